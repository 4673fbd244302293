/**
 * A subscriber's email: every one carries the subscriber's own one-click unsubscribe link, also as
 * `List-Unsubscribe` / `List-Unsubscribe-Post` headers, and names the subscription that entitles them to it.
 * The notices to a whole list go through the send queue (shared/notices/); suppressed addresses get nothing
 * (the mailer checks); unsubscribed ones are not confirmed, so they are never sent to.
 */
import { keys } from '../store/keys.js';
import type { Subscription } from '../domain/funding.js';
import { subscriptionSub } from '../domain/funding.js';
import { renderEmail, type EmailMessage } from './templates.js';
import { sendWithRetry, type OutgoingEmail, type SendOutcome } from './mailer.js';
import { linkFor } from '../links.js';

/**
 * Messages for subscribers: every kind with an unsubscribe link (added here), but the confirm-subscription
 * email, which goes to a pending address with its confirm link (functions/schemes/on-subscription-requested.ts).
 */
type Distribute<T> = T extends { unsubscribeUrl: string } ? Omit<T, 'unsubscribeUrl'> : never;
export type SubscriberMessage = Distribute<Exclude<EmailMessage, { kind: 'confirm-subscription' }>>;

export async function unsubscribeUrlFor(s: Subscription): Promise<string> {
  return linkFor('unsubscribe', subscriptionSub(s), s.language);
}

/** The email for one subscriber, rendered only once its ledger claim is won. */
export function subscriberEmail(s: Subscription, subject: string, kind: string, message: SubscriberMessage): OutgoingEmail {
  return {
    subject,
    kind,
    to: s.email,
    entitledBy: keys.subscription(s.target.kind, s.target.id, s.id),
    prepare: async () => {
      const unsubscribeUrl = await unsubscribeUrlFor(s);
      return { content: renderEmail({ ...message, unsubscribeUrl } as EmailMessage, s.language), unsubscribeUrl };
    },
  };
}

/** One email to one subscriber, exactly once per (subject, kind). */
export async function emailSubscriber(s: Subscription, subject: string, kind: string, message: SubscriberMessage): Promise<SendOutcome> {
  return sendWithRetry(subscriberEmail(s, subject, kind, message));
}
