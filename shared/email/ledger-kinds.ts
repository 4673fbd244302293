/**
 * Every ledger kind, named once. An entry of the email ledger is (subject, kind, recipient): the kind
 * says which email it is, and an email is sent at most once per entry. What each kind is kept under
 * (its subject) is said with it. Kinds that name a moment or a change (a start, a SEQUENCE, a revision,
 * an event id) make a new email when that moment or change is new, and none for a redelivered event.
 *
 * The message kinds (what an email says) are another list: shared/email/messages/index.ts.
 */
import { createHash } from 'node:crypto';
import type { Deadline } from '../domain/funding.js';
import type { Registration } from '../domain/model.js';

const stamp = (start: string) => new Date(start).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// To one registrant, about their registration (under the seminar id)

/** The emails about one registration. */
export type RegistrationEmail = 'confirm-address' | 'registration-confirmed' | 'waitlist-promoted' | 'registration-cancelled';

/**
 * The ledger kind of an email about one registration. A registration that replaced a cancelled one of
 * the same address gets its own kinds, so its emails are not taken for the ones already sent.
 */
export function registrationKind<B extends RegistrationEmail>(base: B, r: Pick<Registration, 'id' | 'replaces'>): B | `${B}-${string}` {
  return r.replaces ? `${base}-${r.id}` : base;
}

/**
 * Once per RegistrationSubmitted event (`-<event id>`) for an address that already registered: the
 * confirm link again while the registration is pending, else "you are already registered".
 */
export type SubmissionEmail = `confirm-address-again-${string}` | `already-registered-${string}`;

/**
 * The refusal of a submission by the seminar's invitation list: once per address and seminar, however
 * often the address submits.
 */
export const REGISTRATION_REFUSED_KIND = 'registration-refused';

/** Every kind an email to one registrant about their registration may have. */
export type RegistrantEmailKind = RegistrationEmail | `${RegistrationEmail}-${string}` | SubmissionEmail;

// ---------------------------------------------------------------------------------------------
// To every registrant who receives the notice (under the seminar id). Reminders and the streaming
// link name the start they were sent for: when a seminar moves, registrants hear again at the new
// moments (once each), while a redelivered event for the same start still sends nothing twice.

/** `reminder-1440-20261204T110000Z`. */
export const seminarReminderKind = (offsetMinutes: number, start: string) => `reminder-${offsetMinutes}-${stamp(start)}`;
/** `streaming-link-20261204T110000Z`. */
export const streamingLinkKind = (start: string) => `streaming-link-${stamp(start)}`;
/** One per visible change: the seminar's SEQUENCE after the move. */
export const seminarMovedKind = (sequence: number) => `moved-${sequence}`;
export const SEMINAR_CANCELLED_KIND = 'cancelled';
/**
 * `recording-<12 hex of sha256(url)>`: one per recording URL, so a corrected URL goes out again (once each).
 * Also the recording's kind for the series' subscribers: one who registered too gets one email.
 */
export const recordingKind = (url: string) => `recording-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`;

// ---------------------------------------------------------------------------------------------
// To subscribers, about a seminar (under the seminar id)

/**
 * The announcement of a newly scheduled seminar to subscribers, whichever list they are on (the
 * seminar's series, or a funding scheme it is a guidance session of): one per person and seminar, so
 * someone who subscribes to both hears once, from whichever fan-out reaches them first.
 */
export const SEMINAR_ANNOUNCED_KIND = 'seminar-announced';
/** To those told about a seminar as subscribers (not registered): it moved (one per SEQUENCE), or was cancelled. */
export const announcedMovedKind = (sequence: number) => `announced-moved-${sequence}`;
export const ANNOUNCED_CANCELLED_KIND = 'announced-cancelled';

// ---------------------------------------------------------------------------------------------
// To a funding scheme's subscribers, about a round's deadline (under the deadline id)

/** One announcement per person and round, ever (also to a subscriber who confirms after it went out). */
export const DEADLINE_ANNOUNCED_KIND = 'deadline-announced';
/** One reminder per offset and deadline instant: a moved deadline gets its own reminders. */
export const deadlineReminderKind = (d: Pick<Deadline, 'deadline'>, offsetDays: number) =>
  `deadline-reminder-${offsetDays}d-${Math.floor(Date.parse(d.deadline) / 1000)}`;
/** One moved-notice per change of the round. */
export const deadlineMovedKind = (revision: number) => `deadline-moved-r${revision}`;

// ---------------------------------------------------------------------------------------------
// To one subscriber, confirming the address (under the scheme id or the series id)
//
// `confirm-subscription`, and for a repeated request of a pending address
// `confirm-subscription-again-<YYYY-MM-DD>`: the link again, at most once a day
// (functions/schemes/on-subscription-requested.ts).
