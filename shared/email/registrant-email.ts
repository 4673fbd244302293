/**
 * The email to one registrant about a seminar, built in one place for the single send (`emailRegistrant`:
 * the emails about their registration) and for the fan-out to every registrant (`notifyRegistrants`,
 * notify.ts): the seminar's data, the registrant's own opt-out link, the organiser's signature (the
 * sender's name, as a scheme's notices are signed by its organiser), the registration's `.ics` if asked
 * for, kept in the ledger until the seminar's retention ends. It is rendered only once its ledger claim is
 * won, so a redelivered event costs one conditional write per email already done.
 */
import { keys } from '../store/keys.js';
import type { Registration, Seminar } from '../domain/model.js';
import { optOutLink } from '../domain/registration-lifecycle.js';
import { seminarMoments } from '../domain/seminar-rules.js';
import { now } from '../clock.js';
import { config } from '../config.js';
import { linkFor, registrationSub } from '../links.js';
import { expiresAfter } from '../retention.js';
import { registrationInvite } from './calendar.js';
import type { RegistrantEmailKind } from './ledger-kinds.js';
import { sendWithRetry, type OutgoingEmail, type SendOutcome } from './mailer.js';
import { renderEmail, type EmailMessage } from './templates.js';

/** A message for one registrant, without the seminar and the cancel link (added here). */
type Distribute<T> = T extends EmailMessage ? Omit<T, 'cancelUrl' | 'seminar'> : never;
export type RegistrantMessage = Distribute<EmailMessage>;

export interface RegistrantEmailOptions {
  /** Attach the registration's `.ics` (REQUEST or CANCEL). */
  invite?: 'REQUEST' | 'CANCEL';
  /** A CANCEL that is the registrant's own: its SEQUENCE is above every invite sent before. */
  byRegistrant?: boolean;
  /** Bulk notices carry the opt-out link as List-Unsubscribe headers too. */
  bulk?: boolean;
  /**
   * What the opt-out link does: before the seminar's start it cancels the registration, from the start
   * on it only stops the seminar's emails. Default: as it is now; a fan-out decides once for everyone.
   */
  optOut?: ReturnType<typeof optOutLink>;
}

/**
 * The email, addressed and kept under the seminar id. A cancellation receipt gets no opt-out link:
 * there is nothing left to cancel (it ends with the seminar's page).
 */
export function registrantEmail(seminar: Seminar, r: Registration, kind: string, message: RegistrantMessage, opts: RegistrantEmailOptions = {}): OutgoingEmail {
  const optOut = opts.optOut ?? optOutLink(seminar, now());
  return {
    subject: seminar.id,
    kind,
    to: r.email,
    expiresAt: expiresAfter(seminar.end),
    entitledBy: keys.registration(seminar.id, r.id),
    prepare: async () => {
      const cancelUrl = message.kind === 'registration-cancelled' ? undefined : await linkFor(optOut, registrationSub(seminar.id, r.id), r.language);
      const full = { organiser: config().senderName, ...message, seminar, ...(cancelUrl ? { cancelUrl } : {}) } as EmailMessage;
      return {
        content: renderEmail(full, r.language),
        attachments: opts.invite ? [registrationInvite(seminar, r, opts.invite, { byRegistrant: opts.byRegistrant })] : undefined,
        unsubscribeUrl: opts.bulk ? cancelUrl : undefined,
      };
    },
  };
}

/** Sends one email about a registration to its registrant, through the exactly-once ledger. */
export async function emailRegistrant(
  seminar: Seminar,
  r: Registration,
  kind: RegistrantEmailKind,
  message: RegistrantMessage,
  opts: Pick<RegistrantEmailOptions, 'invite' | 'byRegistrant'> = {},
): Promise<SendOutcome> {
  return sendWithRetry(registrantEmail(seminar, r, kind, message, opts));
}

/** What a digital attendee is told about the streaming link: the link itself once it went out. */
export function streamingInfo(seminar: Seminar) {
  const at = seminarMoments({ ...seminar, livestream: true }).find((m) => m.kind === 'streaming-link')!.at;
  return seminar.streamingLinkSentAt && seminar.streamingUrl ? { streamingUrl: seminar.streamingUrl } : { streamingLinkAt: at };
}
