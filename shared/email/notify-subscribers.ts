/**
 * Fan-out to the confirmed subscribers of a scheme (or series), on the same engine as `notifyRegistrants`
 * (fan-out.ts): pages through them, sends through the exactly-once ledger with the SES rate limiter and
 * a few retries, and throws if anyone is still missing so the event is retried (the ledger then sends
 * only what is missing). Every email carries the subscriber's own one-click unsubscribe link, also as
 * `List-Unsubscribe` / `List-Unsubscribe-Post` headers. Suppressed addresses get nothing (looked up a
 * page at a time); unsubscribed ones are not confirmed, so they are never read.
 */
import { keys } from '../store/keys.js';
import type { Subscription, SubscriptionTarget } from '../domain/funding.js';
import { subscriptionSub } from '../domain/funding.js';
import { renderEmail, type EmailMessage } from './templates.js';
import { fanOut, type FanOutResult } from './fan-out.js';
import { sendWithRetry, type OutgoingEmail, type SendOutcome } from './mailer.js';
import { linkFor } from '../links.js';
import { confirmedSubscriptionPages } from '../store/subscriptions.js';

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
function emailFor(s: Subscription, subject: string, kind: string, message: SubscriberMessage): OutgoingEmail {
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
  return sendWithRetry(emailFor(s, subject, kind, message));
}

/**
 * Sends `build(subscriber)` to every confirmed subscriber of `target`, once each. `subject` is what the
 * delivery log is kept under (a deadline or seminar id); `kind` names the notice.
 */
export async function notifySubscribers(
  target: SubscriptionTarget,
  subject: string,
  kind: string,
  build: (s: Subscription) => SubscriberMessage | undefined,
): Promise<FanOutResult> {
  async function* pages() {
    for await (const page of confirmedSubscriptionPages(target)) {
      yield page.map((s) => {
        const message = build(s);
        return message ? emailFor(s, subject, kind, message) : undefined;
      });
    }
  }
  // No time limit here, so always complete.
  const { complete: _complete, ...result } = await fanOut(pages(), { kind, describe: { target: `${target.kind}:${target.id}`, kind } });
  return result;
}
