/**
 * Every kind of email, registered once. A kind is a module in this folder (its message type, with its
 * literal `kind`, and the function that drafts it) and one entry here under that same `kind`: the
 * message union (`EmailMessage`), the kinds (`EmailKind`) and the renderer (../templates.ts) follow
 * from this record, and the fixture record of test/unit/templates.test.ts must then name the new kind
 * too. An entry under another key than its message's `kind` does not compile.
 */
import type { Lang } from '../../text.js';
import type { Draft } from '../draft.js';
import { alreadyRegistered } from './already-registered.js';
import { announcedSeminarChanged } from './announced-seminar-changed.js';
import { confirmRegistration } from './confirm-registration.js';
import { confirmSubscription } from './confirm-subscription.js';
import { deadlineAnnounced } from './deadline-announced.js';
import { deadlineMoved } from './deadline-moved.js';
import { deadlineReminder } from './deadline-reminder.js';
import { recordingPublished } from './recording-published.js';
import { registrationCancelled } from './registration-cancelled.js';
import { registrationConfirmed } from './registration-confirmed.js';
import { registrationRefused } from './registration-refused.js';
import { seminarAnnounced } from './seminar-announced.js';
import { seminarCancelled } from './seminar-cancelled.js';
import { seminarMoved } from './seminar-moved.js';
import { seminarReminder } from './seminar-reminder.js';
import { seriesRecordingPublished } from './series-recording-published.js';
import { streamingLink } from './streaming-link.js';
import { waitlistPromoted } from './waitlist-promoted.js';

const KINDS = {
  // To a registrant, about their registration
  'confirm-registration': confirmRegistration,
  'already-registered': alreadyRegistered,
  'registration-confirmed': registrationConfirmed,
  'registration-cancelled': registrationCancelled,
  'waitlist-promoted': waitlistPromoted,
  // To an address a seminar's invitation list refused
  'registration-refused': registrationRefused,
  // To a seminar's registrants
  'seminar-reminder': seminarReminder,
  'streaming-link': streamingLink,
  'seminar-moved': seminarMoved,
  'seminar-cancelled': seminarCancelled,
  'recording-published': recordingPublished,
  // To the subscribers of a series or a funding scheme
  'series-recording-published': seriesRecordingPublished,
  'seminar-announced': seminarAnnounced,
  'announced-seminar-changed': announcedSeminarChanged,
  'confirm-subscription': confirmSubscription,
  'deadline-announced': deadlineAnnounced,
  'deadline-reminder': deadlineReminder,
  'deadline-moved': deadlineMoved,
};

/** Any email's data: the message of one of the registered kinds. */
export type EmailMessage = Parameters<(typeof KINDS)[keyof typeof KINDS]>[0];
export type EmailKind = EmailMessage['kind'];
/** The message of one kind, e.g. `MessageOf<'seminar-moved'>`. */
export type MessageOf<K extends EmailKind> = Extract<EmailMessage, { kind: K }>;

/** An entry stays as it is if it drafts the messages of its own key's kind, else it must be `never`. */
type FiledUnderItsKind<T> = {
  [K in keyof T]: T[K] extends (message: infer M, lang: Lang) => Draft ? (M extends { kind: K } ? T[K] : never) : never;
};

/** Each kind's draft. The check: every key is its message's `kind`, so the keys are exactly `EmailKind`. */
export const DRAFTS: FiledUnderItsKind<typeof KINDS> = KINDS;
