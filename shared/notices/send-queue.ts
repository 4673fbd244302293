/**
 * The send queue (SQS): a fan-out puts a notice on it as messages of up to 100 recipient ids each; the
 * sender (functions/email/send-notices.ts) takes them a message at a time, paced by the account's send
 * budget. So a fan-out only reads its list and enqueues (100,000 registrants: 1,000 messages in 100
 * SendMessageBatch calls at rates of 50/s and more), and no invocation on either side comes near a
 * Lambda's time limit.
 *
 * A message names the notice and its parameters (notice.ts) and the recipients by id, nothing else: the
 * sender reads the rest from the table. Enqueuing twice (a retried event) costs the ledger's conditional
 * writes, never a second email.
 */
import * as z from 'zod/mini';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '../aws/clients.js';
import { config } from '../config.js';
import { logger } from '../log.js';
import { recipientsPerNotice } from '../email/rate.js';
import { receivesNotice } from '../domain/registration-lifecycle.js';
import type { Subscription } from '../domain/funding.js';
import { noticeRecipientPages, type NoticeRecipient } from '../store/registrations.js';
import { confirmedSubscriptionPages } from '../store/subscriptions.js';
import { isStale, type LoadedNotice, type NoticeDefinition, type NoticeParams, type Stale } from './notice.js';

/** A message on the send queue. */
export const QueuedNotice = z.object({
  v: z.literal(1),
  notice: z.string().check(z.minLength(1), z.maxLength(100)),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  to: z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.minLength(1), z.maxLength(100)),
});
export type QueuedNotice = z.infer<typeof QueuedNotice>;

export interface Enqueued {
  notice: string;
  /** Recipients put on the queue. */
  recipients: number;
  /** Messages they went in. */
  messages: number;
}

/** Messages per SendMessageBatch (SQS's maximum). */
const BATCH = 10;
/** SendMessageBatch calls in flight at once while the list is read. */
const IN_FLIGHT = 4;

/**
 * Puts a notice on the send queue for everyone on its list who gets it as stored now: the registrants whom
 * the lifecycle gives this notice, or the confirmed subscribers; `only` leaves out more. A stale notice
 * enqueues nothing and says why.
 */
export async function enqueueNotice<P extends NoticeParams, L extends LoadedNotice>(
  def: NoticeDefinition<P, L>,
  params: P,
  opts: {
    only?: (recipient: NoticeRecipient | Subscription) => boolean;
    /** The notice as `def.load(params)` answered it just now (the caller asked first). */
    loaded?: L | Stale;
  } = {},
): Promise<Enqueued | Stale> {
  const loaded = opts.loaded ?? (await def.load(params));
  if (isStale(loaded)) {
    logger.info('Notice not due', { notice: def.name, reason: loaded.stale, ...params });
    return loaded;
  }
  const perMessage = recipientsPerNotice(config().sesSendRate);
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as QueuedNotice['params'];
  const result: Enqueued = { notice: def.name, recipients: 0, messages: 0 };
  const sending = new Set<Promise<void>>();
  let failed: unknown;
  let ids: string[] = [];
  let messages: string[] = [];
  const flushBatch = async () => {
    const batch = messages;
    messages = [];
    if (!batch.length) return;
    const p = sendBatch(batch).catch((err) => void (failed ??= err));
    sending.add(p);
    void p.finally(() => sending.delete(p));
    while (sending.size >= IN_FLIGHT) await Promise.race(sending);
  };
  const flushMessage = async () => {
    if (!ids.length) return;
    messages.push(JSON.stringify({ v: 1, notice: def.name, params: clean, to: ids } satisfies QueuedNotice));
    result.messages++;
    ids = [];
    if (messages.length === BATCH) await flushBatch();
  };
  for await (const page of recipientPages(loaded)) {
    for (const r of page) {
      if (opts.only && !opts.only(r)) continue;
      ids.push(r.id);
      result.recipients++;
      if (ids.length === perMessage) await flushMessage();
    }
    if (failed) break;
  }
  await flushMessage();
  await flushBatch();
  await Promise.all(sending);
  if (failed) throw failed;
  logger.info('Notice enqueued', { ...result, ...params });
  return result;
}

/** The list's pages: who gets the notice as stored now (the sender checks each again, and builds their message). */
async function* recipientPages(n: LoadedNotice): AsyncGenerator<Array<NoticeRecipient | Subscription>> {
  if (n.audience === 'registrants') {
    for await (const page of noticeRecipientPages(n.seminar.id)) yield page.filter((r) => receivesNotice(r, n.notice));
  } else {
    yield* confirmedSubscriptionPages(n.target);
  }
}

/** One SendMessageBatch; the entries SQS did not take (throttled, say) are sent again a few times. */
async function sendBatch(bodies: string[]): Promise<void> {
  let entries = bodies.map((body, i) => ({ Id: String(i), MessageBody: body }));
  for (let attempt = 1; entries.length; attempt++) {
    const out = await sqsClient().send(new SendMessageBatchCommand({ QueueUrl: config().sendQueueUrl, Entries: entries }));
    const failed = new Set((out.Failed ?? []).map((f) => f.Id));
    const permanent = (out.Failed ?? []).find((f) => f.SenderFault);
    if (permanent) throw new Error(`The send queue refused a notice: ${permanent.Code} ${permanent.Message ?? ''}`);
    entries = entries.filter((e) => failed.has(e.Id));
    if (entries.length) {
      if (attempt >= 5) throw new Error(`${entries.length} notice message(s) could not be queued`);
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  }
}
