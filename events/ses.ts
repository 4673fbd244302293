import * as z from 'zod/mini';
import { defineEvent, Sources } from './define.js';

/**
 * SES publishes these through a configuration set's EventBridge destination (source `aws.ses`). The
 * `mail` part is built with the schema that uses it, like the schemas themselves (events/define.ts).
 */
const mail = () =>
  z.looseObject({
    messageId: z.optional(z.string()),
    destination: z.optional(z.array(z.string())),
  });

export const EmailBounced = defineEvent({
  detailType: 'Email Bounced',
  source: Sources.ses,
  ours: false,
  description: 'SES reports a bounce. Permanent bounces put the address on our suppression list.',
  schema: () => z.looseObject({
    eventType: z.optional(z.literal('Bounce')),
    mail: mail(),
    bounce: z.looseObject({
      bounceType: z.string(),
      bouncedRecipients: z.array(z.looseObject({ emailAddress: z.string() })),
    }),
  }),
});

export const EmailComplaintReceived = defineEvent({
  detailType: 'Email Complaint Received',
  source: Sources.ses,
  ours: false,
  description: 'SES reports a complaint: the address is suppressed.',
  schema: () => z.looseObject({
    eventType: z.optional(z.literal('Complaint')),
    mail: mail(),
    complaint: z.looseObject({
      complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })),
    }),
  }),
});

export const EmailSent = defineEvent({
  detailType: 'Email Sent',
  source: Sources.ses,
  ours: false,
  description:
    'SES accepted an email sent with our configuration set. The mailer tags each email with its ledger key, so this marks the ledger entry sent even when the sender crashed before recording it.',
  schema: () => z.looseObject({
    eventType: z.optional(z.literal('Send')),
    mail: z.extend(mail(), { tags: z.optional(z.record(z.string(), z.array(z.string()))) }),
  }),
});
