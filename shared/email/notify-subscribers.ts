/**
 * Fan-out to the confirmed subscribers of a scheme (or series), the way `notifyRegistrants` does it for
 * registrants: pages through them, sends through the exactly-once ledger with the SES rate limiter and
 * a few retries, and throws if anyone is still missing so the event is retried (the ledger then sends
 * only what is missing). Every email carries the subscriber's own one-click unsubscribe link, also as
 * `List-Unsubscribe` / `List-Unsubscribe-Post` headers. Suppressed addresses get nothing (the mailer
 * checks); unsubscribed ones are not confirmed, so they are never read.
 */
import type { Subscription, SubscriptionTarget } from '../domain/funding.js';
import { subscriptionSub } from '../domain/funding.js';
import { renderEmail, type EmailMessage } from './templates.js';
import { senderConcurrency, sendWithRetry, type NotifyResult } from './notify.js';
import type { OutgoingEmail, SendOutcome } from './mailer.js';
import { linkFor } from '../links.js';
import { confirmedSubscriptionPages } from '../store/subscriptions.js';
import { logger } from '../log.js';

/** Messages for subscribers; the unsubscribe link is added here. */
type Distribute<T> = T extends { unsubscribeUrl: string } ? Omit<T, 'unsubscribeUrl'> : never;
export type SubscriberMessage = Distribute<
  Extract<EmailMessage, { kind: 'deadline-announced' | 'deadline-reminder' | 'deadline-moved' | 'seminar-announced' | 'series-recording-published' }>
>;

export async function unsubscribeUrlFor(s: Subscription): Promise<string> {
  return linkFor('unsubscribe', subscriptionSub(s), s.language);
}

/** The email for one subscriber, rendered only once its ledger claim is won. */
function emailFor(s: Subscription, subject: string, kind: string, message: SubscriberMessage): OutgoingEmail {
  return {
    subject,
    kind,
    to: s.email,
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
): Promise<NotifyResult> {
  const result: NotifyResult = { sent: 0, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: 0 };
  const concurrency = senderConcurrency();
  const errors: unknown[] = [];
  const count = (outcome: SendOutcome) => {
    if (outcome === 'sent') result.sent++;
    else if (outcome === 'suppressed') result.suppressed++;
    else if (outcome === 'given-up') result.failed++;
    else result.alreadyHandled++;
  };
  const run = async <T>(items: T[], work: (item: T) => Promise<void>) => {
    let i = 0;
    const worker = async () => {
      while (i < items.length) await work(items[i++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  };

  // Emails someone else is sending right now (a duplicate delivery) are looked at again at the end.
  const deferred: OutgoingEmail[] = [];
  for await (const page of confirmedSubscriptionPages(target)) {
    const mails: OutgoingEmail[] = [];
    for (const s of page) {
      const message = build(s);
      if (message) mails.push(emailFor(s, subject, kind, message));
      else result.skipped++;
    }
    await run(mails, async (mail) => {
      try {
        const outcome = await sendWithRetry(mail, { deferInProgress: true });
        if (outcome === 'in-progress') deferred.push(mail);
        else count(outcome);
      } catch (err) {
        result.failed++;
        errors.push(err);
      }
    });
  }
  await run(deferred, async (mail) => {
    try {
      count(await sendWithRetry(mail));
    } catch (err) {
      result.failed++;
      errors.push(err);
    }
  });
  if (errors.length) {
    logger.warn('Some subscribers failed; the event will be retried', { target: `${target.kind}:${target.id}`, kind, failed: errors.length });
    throw new AggregateError(errors, `${errors.length} email(s) of kind ${kind} failed`);
  }
  return result;
}
