/** Sends one email about a registration to its registrant, through the exactly-once ledger. */
import type { Registration, Seminar } from '../../shared/domain/model.js';
import { renderEmail, type EmailMessage } from '../../shared/email/templates.js';
import { sendWithRetry, type RegistrantMessage } from '../../shared/email/notify.js';
import { registrationInvite } from '../../shared/email/calendar.js';
import { linkFor, registrationSub } from '../../shared/links.js';
import { expiresAfter } from '../../shared/retention.js';

export async function emailRegistrant(
  seminar: Seminar,
  r: Registration,
  kind: string,
  message: RegistrantMessage,
  opts: { invite?: 'REQUEST' | 'CANCEL' } = {},
) {
  const cancelUrl = await linkFor('cancel-registration', registrationSub(seminar.id, r.id), r.language);
  const full = { ...message, seminar, cancelUrl } as EmailMessage;
  return sendWithRetry({
    subject: seminar.id,
    kind,
    to: r.email,
    content: renderEmail(full, r.language),
    attachments: opts.invite ? [registrationInvite(seminar, r, opts.invite)] : undefined,
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
  const at = new Date(Date.parse(seminar.start) - seminar.streamingLinkOffsetMinutes * 60_000);
  return seminar.streamingLinkSentAt && seminar.streamingUrl ? { streamingUrl: seminar.streamingUrl } : { streamingLinkAt: at };
}
