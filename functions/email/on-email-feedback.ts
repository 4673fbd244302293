/**
 * SES bounce and complaint events → the address is suppressed: no later email goes to it, for any
 * seminar or scheme. Transient bounces are not suppressed.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { EmailBounced, EmailComplaintReceived } from '../../events/index.js';
import { suppress } from '../../shared/store/ledger.js';
import { nowMs } from '../../shared/clock.js';
import { logger, maskEmail } from '../../shared/log.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
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
