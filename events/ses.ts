import * as z from 'zod';
import { defineEvent, Sources } from './define.js';

/** SES publishes these through a configuration set's EventBridge destination (source `aws.ses`). */
const mail = z.object({
  messageId: z.string().optional(),
  destination: z.array(z.string()).optional(),
}).loose();

export const EmailBounced = defineEvent({
  detailType: 'Email Bounced',
  source: Sources.ses,
  ours: false,
  description: 'SES reports a bounce. Permanent bounces put the address on our suppression list.',
  schema: () => z.object({
    eventType: z.literal('Bounce').optional(),
    mail,
    bounce: z.object({
      bounceType: z.string(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string() }).loose()),
    }).loose(),
  }).loose(),
});

export const EmailComplaintReceived = defineEvent({
  detailType: 'Email Complaint Received',
  source: Sources.ses,
  ours: false,
  description: 'SES reports a complaint: the address is suppressed.',
  schema: () => z.object({
    eventType: z.literal('Complaint').optional(),
    mail,
    complaint: z.object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() }).loose()),
    }).loose(),
  }).loose(),
});

export const EmailSent = defineEvent({
  detailType: 'Email Sent',
  source: Sources.ses,
  ours: false,
  description:
    'SES accepted an email sent with our configuration set. The mailer tags each email with its ledger key, so this marks the ledger entry sent even when the sender crashed before recording it.',
  schema: () => z.object({
    eventType: z.literal('Send').optional(),
    mail: mail.extend({ tags: z.record(z.string(), z.array(z.string())).optional() }),
  }).loose(),
});
