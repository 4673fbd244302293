/**
 * The emails of a notice (shared/notices/notice.ts) to the recipients of one queued message, as the sender
 * (shared/notices/deliver.ts) builds them from the stored items it just read: a registrant who no longer
 * receives the notice (cancelled, stopped the seminar's emails) or whom the notice leaves out gets none.
 * Each email is rendered only once its ledger claim is won (mailer.ts).
 */
import type { Registration } from '../domain/model.js';
import type { Subscription } from '../domain/funding.js';
import { now } from '../clock.js';
import { optOutLink, receivesNotice } from '../domain/registration-lifecycle.js';
import type { RegistrantsNotice, SubscribersNotice } from '../notices/notice.js';
import type { OutgoingEmail } from './mailer.js';
import { registrantEmail } from './registrant-email.js';
import { subscriberEmail } from './notify-subscribers.js';

/** The registrants' emails (undefined: this registration does not get the notice). */
export function registrantNoticeEmails(n: RegistrantsNotice, registrations: readonly Registration[]): Array<OutgoingEmail | undefined> {
  // One opt-out for the batch: before the start the link cancels; from the start on it only stops the seminar's emails.
  const optOut = optOutLink(n.seminar, now());
  return registrations.map((r) => {
    const message = receivesNotice(r, n.notice) ? n.build(r) : undefined;
    return message ? registrantEmail(n.seminar, r, n.kind, message, { invite: n.invite, bulk: n.bulk, optOut }) : undefined;
  });
}

/** The subscribers' emails (undefined: not confirmed as stored now, or left out by the notice). */
export function subscriberNoticeEmails(n: SubscribersNotice, subscriptions: readonly Subscription[]): Array<OutgoingEmail | undefined> {
  return subscriptions.map((s) => {
    const message = s.status === 'confirmed' ? n.build(s) : undefined;
    return message ? subscriberEmail(s, n.subject, n.kind, message) : undefined;
  });
}
