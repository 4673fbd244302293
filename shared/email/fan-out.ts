/**
 * The fan-out engine under every bulk notice (registrants of a seminar, subscribers of a scheme or series),
 * run by the sender for the recipients of one queued message (shared/notices/deliver.ts): pages of emails go
 * through one pool of senders, each email through the exactly-once ledger.
 *
 * What keeps it fast without loosening the ledger:
 * - the next page is read while the current one is sent, and the suppression list is looked up for a
 *   whole page at once (100 addresses per BatchGetItem) as part of that read-ahead, so no sender waits
 *   for it;
 * - the senders form one pool across pages: nobody idles while the last emails of a page finish; at
 *   high send rates the pool is larger than the SES slots, so claims are made while the slots are at SES;
 * - once SES has taken an email, its sender moves on to the next one, and the `sent` record follows in
 *   the ledger's batched writes; the fan-out waits for every record before it returns.
 *
 * Recipients someone else is sending right now (a duplicate delivery) are looked at again at the end,
 * until that sender finished or its claim ran out (it crashed) and they are sent here. If any still fail,
 * the error is thrown so the message is retried, and the ledger makes the retry send only what is missing.
 */
import { senderConcurrency, sendWithRetry, type OutgoingEmail, type SendOutcome } from './mailer.js';
import { config } from '../config.js';
import { suppressedMany } from '../store/ledger.js';
import { logger } from '../log.js';
import { normaliseEmail } from '../domain/primitives.js';

export interface FanOutResult {
  sent: number;
  alreadyHandled: number;
  suppressed: number;
  failed: number;
  skipped: number;
  /** False when it stopped at `stopAt` before everyone was handled. */
  complete?: boolean;
}

export interface FanOutOptions {
  /**
   * Epoch ms (real time) after which no new email is started (the Lambda's time is running out): the
   * result then says `complete: false`, and the sender reports its message unfinished, so it comes back.
   */
  stopAt?: number;
  /** The ledger kind of the notice, for errors. */
  kind: string;
  /** For the log line when some recipients failed. */
  describe: Record<string, unknown>;
}

/** A page's emails (undefined: a recipient this notice skips), with which addresses are suppressed. */
interface Page {
  mails: OutgoingEmail[];
  skipped: number;
  suppressed: Set<string>;
}

/**
 * Senders: one per SES slot (mailer.ts), and at high send rates some more, which claim the next emails
 * in the ledger while every slot is busy at SES, so the slots never wait for a claim. At most an eighth
 * of a second's worth of sends (and two rounds of slots) is claimed ahead: a fan-out told to stop
 * finishes what it claimed within that.
 */
export function fanOutSenders(): number {
  const slots = senderConcurrency();
  return slots + Math.min(2 * slots, Math.floor(config().sesSendRate / 8));
}

/** Reads each page and its suppression lookups while the page before it is being sent. */
async function* readAhead(pages: AsyncIterable<Array<OutgoingEmail | undefined>>): AsyncGenerator<Page> {
  const source = pages[Symbol.asyncIterator]();
  const load = async (): Promise<Page | undefined> => {
    const next = await source.next();
    if (next.done) return undefined;
    const mails = next.value.filter((m): m is OutgoingEmail => m !== undefined);
    const addresses = [...new Set(mails.map((m) => normaliseEmail(m.to)))];
    const flags = addresses.length ? await suppressedMany(addresses) : [];
    return { mails, skipped: next.value.length - mails.length, suppressed: new Set(addresses.filter((_, i) => flags[i])) };
  };
  let ahead = load();
  for (;;) {
    const page = await ahead;
    if (!page) return;
    ahead = load();
    ahead.catch(() => undefined); // surfaced when awaited
    yield page;
  }
}

export async function fanOut(pages: AsyncIterable<Array<OutgoingEmail | undefined>>, options: FanOutOptions): Promise<FanOutResult> {
  const result: FanOutResult = { sent: 0, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: 0, complete: true };
  const outOfTime = () => {
    if (options.stopAt === undefined || Date.now() < options.stopAt) return false;
    result.complete = false;
    return true;
  };
  const count = (outcome: SendOutcome) => {
    if (outcome === 'sent') result.sent++;
    else if (outcome === 'suppressed') result.suppressed++;
    else if (outcome === 'given-up') result.failed++;
    else if (outcome === 'recipient-gone') result.skipped++;
    else result.alreadyHandled++;
  };
  const errors: unknown[] = [];
  // Records still being written (each settles without throwing): only those are held, not one per email.
  const records = new Set<Promise<void>>();
  const recordInBackground = (p: Promise<void>) => {
    records.add(p);
    const done = () => void records.delete(p);
    p.then(done, done);
  };
  const deferred: OutgoingEmail[] = [];

  // One queue of emails across pages, which the senders take from; a page is read when it runs dry.
  const source = readAhead(pages);
  let queue: Array<{ mail: OutgoingEmail; suppressed: boolean }> = [];
  let exhausted = false;
  let refilling: Promise<void> | undefined;
  const refill = () =>
    (refilling ??= (async () => {
      try {
        const next = await source.next();
        if (next.done) exhausted = true;
        else {
          result.skipped += next.value.skipped;
          queue = queue.concat(next.value.mails.map((mail) => ({ mail, suppressed: next.value.suppressed.has(normaliseEmail(mail.to)) })));
        }
      } finally {
        refilling = undefined;
      }
    })());
  const take = async () => {
    while (!queue.length && !exhausted) await refill();
    return queue.shift();
  };

  let readFailed = false;
  const sender = async () => {
    for (;;) {
      if (outOfTime() || readFailed) return;
      let item;
      try {
        item = await take();
      } catch (err) {
        // Reading a page failed: the others stop too; what was sent is recorded below, the rest comes
        // with the retry of the message.
        if (!readFailed) errors.push(err);
        readFailed = true;
        return;
      }
      if (!item) return;
      try {
        const outcome = await sendWithRetry(item.mail, { deferInProgress: true, suppressed: item.suppressed, recordInBackground });
        if (outcome === 'in-progress') deferred.push(item.mail);
        else count(outcome);
      } catch (err) {
        result.failed++;
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: fanOutSenders() }, sender));

  // Emails another sender was sending: done by now, or their claim runs out and they are sent here.
  let i = 0;
  const waiter = async () => {
    while (i < deferred.length) {
      const mail = deferred[i++];
      try {
        count(await sendWithRetry(mail, { recordInBackground, ...(options.stopAt === undefined ? {} : { maxWaitMs: Math.max(0, options.stopAt - Date.now()) }) }));
      } catch (err) {
        result.failed++;
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(senderConcurrency(), deferred.length) }, waiter));
  await Promise.all([...records]);

  if (errors.length) {
    logger.warn('Some recipients failed; the message will be retried', { ...options.describe, failed: errors.length });
    throw new AggregateError(errors, `${errors.length} email(s) of kind ${options.kind} failed`);
  }
  return result;
}
