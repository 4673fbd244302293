/** Sends one email about a registration to its registrant, through the exactly-once ledger. */
import type { Registration, Seminar } from '../../shared/domain/model.js';
import { renderEmail, type EmailMessage } from '../../shared/email/templates.js';
import { sendWithRetry, type RegistrantMessage } from '../../shared/email/notify.js';
import { registrationInvite } from '../../shared/email/calendar.js';
import { linkFor, registrationSub } from '../../shared/links.js';
import { expiresAfter } from '../../shared/retention.js';
import { now } from '../../shared/clock.js';
import { optOutLink } from '../../shared/domain/registration-lifecycle.js';
import { seminarMoments } from '../../shared/domain/seminar-rules.js';
import { config } from '../../shared/config.js';

/**
 * `opts.invite` attaches the registration's `.ics`; `opts.byRegistrant` marks a CANCEL as the
 * registrant's own (its SEQUENCE is above every invite sent before). Signed by the organiser (the
 * sender's name). A cancellation receipt gets no cancel link: there is nothing left to cancel. Before the
 * seminar's start the link cancels; from the start on it only stops the seminar's emails.
 */
export async function emailRegistrant(
  seminar: Seminar,
  r: Registration,
  kind: string,
  message: RegistrantMessage,
  opts: { invite?: 'REQUEST' | 'CANCEL'; byRegistrant?: boolean } = {},
) {
  const cancelUrl = message.kind === 'registration-cancelled' ? undefined : await linkFor(optOutLink(seminar, now()), registrationSub(seminar.id, r.id), r.language);
  const full = { organiser: config().senderName, ...message, seminar, ...(cancelUrl ? { cancelUrl } : {}) } as EmailMessage;
  return sendWithRetry({
    subject: seminar.id,
    kind,
    to: r.email,
    content: renderEmail(full, r.language),
    attachments: opts.invite ? [registrationInvite(seminar, r, opts.invite, { byRegistrant: opts.byRegistrant })] : undefined,
    expiresAt: expiresAfter(seminar.end),
  });
}

/**
 * The ledger kind of an email about one registration. A registration that replaced a cancelled one of
 * the same address gets its own kinds, so its emails are not taken for the ones already sent.
 */
export function registrationKind(base: string, r: Registration): string {
  return r.replaces ? `${base}-${r.id}` : base;
}

/** What a digital attendee is told about the streaming link: the link itself once it went out. */
export function streamingInfo(seminar: Seminar) {
  const at = seminarMoments({ ...seminar, livestream: true }).find((m) => m.kind === 'streaming-link')!.at;
  return seminar.streamingLinkSentAt && seminar.streamingUrl ? { streamingUrl: seminar.streamingUrl } : { streamingLinkAt: at };
}
