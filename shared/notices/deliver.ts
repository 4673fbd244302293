/**
 * The sender's side of the send queue (send-queue.ts): one queued message's notice read again from the
 * table (notice.ts `load`), its recipients read by id (one consistent BatchGetItem), and each email built
 * and sent through the fan-out engine (shared/email/fan-out.ts) and the exactly-once ledger, paced by the
 * account's send budget. A notice that no longer holds sends nothing; a recipient whose registration or
 * subscription is gone, or who no longer gets the notice as stored, gets nothing.
 */
import type { FanOutResult } from '../email/fan-out.js';
import { fanOut } from '../email/fan-out.js';
import { registrantNoticeEmails, subscriberNoticeEmails } from '../email/notify.js';
import { getRegistrations } from '../store/registrations.js';
import { getSubscriptions } from '../store/subscriptions.js';
import { isStale, type LoadedNotice, type Stale } from './notice.js';
import { NOTICES } from './registry.js';
import type { QueuedNotice } from './send-queue.js';

export type Delivered = FanOutResult | Stale;

/** Loads a queued message's notice; `load` may be shared by the messages of one batch that name the same notice. */
export function loadQueued(message: QueuedNotice): Promise<LoadedNotice | Stale> {
  const def = NOTICES.get(message.notice);
  if (!def) throw new Error(`Unknown notice ${message.notice}`);
  return def.load(message.params);
}

/** Sends a notice to these recipients (ids on its list). `stopAt`: when to stop starting emails (the invocation's time). */
export async function sendNotice(notice: LoadedNotice | Stale, ids: readonly string[], opts: { stopAt?: number } = {}): Promise<Delivered> {
  if (isStale(notice)) return notice;
  const emails =
    notice.audience === 'registrants'
      ? registrantNoticeEmails(notice, await getRegistrations(notice.seminar.id, ids))
      : subscriberNoticeEmails(notice, await getSubscriptions(notice.target, ids));
  const gone = ids.length - emails.length;
  const describe = notice.audience === 'registrants' ? { seminarId: notice.seminar.id } : { target: `${notice.target.kind}:${notice.target.id}` };
  const result = await fanOut(oncePage(emails), { stopAt: opts.stopAt, kind: notice.kind, describe: { ...describe, kind: notice.kind } });
  return { ...result, skipped: result.skipped + gone };
}

async function* oncePage<T>(page: T[]): AsyncGenerator<T[]> {
  yield page;
}
