/**
 * SES bounce and complaint events → the address is suppressed: no later email goes to it, for any
 * seminar or scheme. Transient bounces are not suppressed.
 * SES send events → the email's ledger entry (named by the `ledger` tag the mailer puts on every email)
 * is marked sent, which settles an email whose sender died between SES and recording it.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { EmailBounced, EmailComplaintReceived, EmailSent } from '../../events/index.js';
import { markSentBySes, statusMany, suppress, type LedgerStatus } from '../../shared/store/ledger.js';
import { Batcher } from '../../shared/batcher.js';
import { LEDGER_TAG, parseLedgerTag } from '../../shared/email/ledger-tag.js';
import { nowMs } from '../../shared/clock.js';
import { logger, maskEmail } from '../../shared/log.js';

/** Send events of concurrent invocations share one BatchGetItem. */
let statuses: Batcher<{ subject: string; kind: string; recipient: string }, LedgerStatus | undefined> | undefined;

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  if (event['detail-type'] === EmailSent.detailType) {
    const d = EmailSent.schema.parse(event.detail);
    const key = parseLedgerTag(d.mail.tags?.[LEDGER_TAG]?.[0]);
    const to = d.mail.destination?.[0];
    if (!key || !to || !d.mail.messageId) return { recorded: false };
    const entry = { subject: key.subject, kind: key.kind, recipient: to.trim().toLowerCase() };
    // Nearly always the sender recorded it already: a batched read settles that, a write only when not.
    const status = await (statuses ??= new Batcher(statusMany, 100, 5)).load(entry);
    if (status !== 'claimed' && status !== 'failed') return { recorded: false };
    const recorded = await markSentBySes(entry.subject, entry.kind, entry.recipient, d.mail.messageId, new Date(nowMs()).toISOString());
    return { recorded };
  }
  let addresses: string[] = [];
  let reason = '';
  if (event['detail-type'] === EmailBounced.detailType) {
    const d = EmailBounced.schema.parse(event.detail);
    if (d.bounce.bounceType !== 'Permanent') return { suppressed: 0 };
    addresses = d.bounce.bouncedRecipients.map((r) => r.emailAddress);
    reason = `bounce (${d.bounce.bounceType})`;
  } else {
    const d = EmailComplaintReceived.schema.parse(event.detail);
    addresses = d.complaint.complainedRecipients.map((r) => r.emailAddress);
    reason = 'complaint';
  }
  for (const a of addresses) {
    const email = a.replace(/^.*<([^>]+)>.*$/, '$1').trim().toLowerCase();
    await suppress(email, reason, nowMs());
    logger.info('Address suppressed', { to: maskEmail(email), reason });
  }
  return { suppressed: addresses.length };
};
