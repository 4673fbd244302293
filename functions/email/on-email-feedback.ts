/**
 * SES bounce and complaint events → the address is suppressed: no later email goes to it, for any
 * seminar or scheme. Transient bounces are not suppressed.
 * SES send events → the email's ledger entry (named by the `ledger` tag the mailer puts on every email)
 * is marked sent, which settles an email whose sender died between SES and recording it.
 */
import { EmailBounced, EmailComplaintReceived, EmailSent } from '../../events/index.js';
import { on, onEvents } from '../../shared/aws/on-event.js';
import { markSentBySes, statusMany, suppress, type LedgerStatus } from '../../shared/store/ledger.js';
import { Batcher } from '../../shared/batcher.js';
import { LEDGER_TAG, parseLedgerTag } from '../../shared/email/ledger-tag.js';
import { nowMs } from '../../shared/clock.js';
import { logger, maskEmail } from '../../shared/log.js';
import { normaliseEmail } from '../../shared/domain/primitives.js';

/** Send events of concurrent invocations share one BatchGetItem. */
let statuses: Batcher<{ subject: string; kind: string; recipient: string }, LedgerStatus | undefined> | undefined;

export const handler = onEvents(
  on(EmailSent, async (d) => {
    const key = parseLedgerTag(d.mail.tags?.[LEDGER_TAG]?.[0]);
    const to = d.mail.destination?.[0];
    if (!key || !to || !d.mail.messageId) return { recorded: false };
    const entry = { subject: key.subject, kind: key.kind, recipient: normaliseEmail(to) };
    // Nearly always the sender recorded it already: a batched read settles that, a write only when not.
    const status = await (statuses ??= new Batcher(statusMany, 100, 5)).load(entry);
    if (status !== 'claimed' && status !== 'failed') return { recorded: false };
    const recorded = await markSentBySes(entry.subject, entry.kind, entry.recipient, d.mail.messageId, new Date(nowMs()).toISOString());
    return { recorded };
  }),
  on(EmailBounced, async (d) =>
    d.bounce.bounceType === 'Permanent' ? suppressAll(d.bounce.bouncedRecipients.map((r) => r.emailAddress), `bounce (${d.bounce.bounceType})`) : { suppressed: 0 },
  ),
  on(EmailComplaintReceived, async (d) => suppressAll(d.complaint.complainedRecipients.map((r) => r.emailAddress), 'complaint')),
);

async function suppressAll(addresses: string[], reason: string) {
  for (const a of addresses) {
    const email = normaliseEmail(a.replace(/^.*<([^>]+)>.*$/, '$1'));
    await suppress(email, reason, nowMs());
    logger.info('Address suppressed', { to: maskEmail(email), reason });
  }
  return { suppressed: addresses.length };
}
