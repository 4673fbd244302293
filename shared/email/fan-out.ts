/**
 * The fan-out engine under every bulk notice (registrants of a seminar, subscribers of a scheme or series),
 * run by the sender for the recipients of one queued message (shared/notices/deliver.ts): each page of
 * emails goes as one batch through the exactly-once ledger (mailer.ts `sendBatch`).
 *
 * What keeps it fast without loosening the ledger:
 * - the next page is read while the current one is sent, and the suppression list is looked up for a
 *   whole page at once (100 addresses per BatchGetItem) as part of that read-ahead;
 * - a page's ledger calls are made for many emails at once: its claims a chunk to a transaction (the next
 *   chunk claimed while this one is sent), one look at what entitles the chunk's recipients, the `sent`
 *   records 25 to a write, whatever the send rate (no batching window that only fills when many senders
 *   happen to be waiting);
 * - once SES has taken an email, its sender moves on to the next one; the fan-out waits for every record
 *   before it returns.
 *
 * Recipients someone else is sending right now (a duplicate delivery) are looked at again at the end,
 * until that sender finished or its claim ran out (it crashed) and they are sent here. If any still fail,
 * the error is thrown so the message is retried, and the ledger makes the retry send only what is missing.
 */
import { sendBatch, senderConcurrency, sendWithRetry, type OutgoingEmail, type SendOutcome } from './mailer.js';
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
 * Senders of a batch: one per SES slot (mailer.ts), and at high send rates some more (an eighth of a
 * second's sends, at most two rounds of slots), which render the next emails while every slot is busy at
 * SES, so a slot never waits for an email to be built.
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
  // Records still being written by the retries below (each settles without throwing).
  const records = new Set<Promise<void>>();
  const recordInBackground = (p: Promise<void>) => {
    records.add(p);
    const done = () => void records.delete(p);
    p.then(done, done);
  };
  // Emails another sender was sending, and emails whose send failed: sent one by one below.
  const again: OutgoingEmail[] = [];

  // Each page as one batch (mailer.ts `sendBatch`), the next page read meanwhile.
  try {
    for await (const page of readAhead(pages)) {
      if (outOfTime()) break;
      result.skipped += page.skipped;
      const outcomes = await sendBatch(page.mails, { suppressed: page.suppressed, concurrency: fanOutSenders(), stopAt: options.stopAt });
      outcomes.forEach((o, i) => {
        if (o.outcome === 'in-progress' || o.outcome === 'failed') again.push(page.mails[i]);
        else if (o.outcome === 'unstarted') result.complete = false;
        else count(o.outcome);
      });
    }
  } catch (err) {
    // Reading a page failed: what was sent is recorded, the rest comes with the retry of the message.
    errors.push(err);
  }

  // Done by the other sender by now, or their claim runs out and they are sent here; a failed send gets
  // three more tries (four in all, as `sendWithRetry` gives a single email).
  let i = 0;
  const waiter = async () => {
    while (i < again.length) {
      const mail = again[i++];
      try {
        count(await sendWithRetry(mail, { attempts: 3, recordInBackground, ...(options.stopAt === undefined ? {} : { maxWaitMs: Math.max(0, options.stopAt - Date.now()) }) }));
      } catch (err) {
        result.failed++;
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(senderConcurrency(), again.length) }, waiter));
  await Promise.all([...records]);

  if (errors.length) {
    logger.warn('Some recipients failed; the message will be retried', { ...options.describe, failed: errors.length });
    throw new AggregateError(errors, `${errors.length} email(s) of kind ${options.kind} failed`);
  }
  return result;
}
