/**
 * Fan-out to a seminar's registrants: pages through them (the next page is read while the current one
 * is sent), hands each to a pool of senders whose rate respects the SES send rate, and sends through
 * the exactly-once ledger. An email is rendered only once its claim is won, so a redelivered event
 * costs one conditional write per recipient already done. Recipients that fail are retried with
 * backoff; recipients someone else is sending right now (a duplicate delivery) are checked again at
 * the end, until that sender finished or its claim ran out (it crashed) and they are sent here. If any
 * still fail, the error is thrown so the event is retried, and the ledger makes the retry send only
 * what is missing.
 */
import { randomUUID } from 'node:crypto';
import type { Registration, Seminar } from '../domain/model.js';
import { renderEmail, type EmailMessage } from './templates.js';
import { sendOnce, SentNotRecordedError, isPermanentSesError, type OutgoingEmail, type SendOutcome } from './mailer.js';
export { sendLimiter } from './mailer.js';
import { config } from '../config.js';
import { registrationPages } from '../store/registrations.js';
import { CLAIM_LEASE_MS } from '../store/ledger.js';
import { linkFor, registrationSub } from '../links.js';
import { registrationInvite } from './calendar.js';
import { logger, maskEmail } from '../log.js';
import { expiresAfter } from '../retention.js';

/** A message for one recipient, without the cancel link (added here). */
type Distribute<T> = T extends EmailMessage ? Omit<T, 'cancelUrl' | 'seminar'> : never;
export type RegistrantMessage = Distribute<EmailMessage>;

export interface NotifyOptions {
  /** Which registrations get it; default every confirmed one. */
  filter?: (r: Registration) => boolean;
  /** Attach the registrant's `.ics` (REQUEST or CANCEL). */
  invite?: 'REQUEST' | 'CANCEL';
  /** Bulk notices carry List-Unsubscribe headers. */
  bulk?: boolean;
  /**
   * Epoch ms (real time) after which no new email is started (the Lambda's time is running out): the
   * result then says `complete: false`, and the caller continues in a new invocation.
   */
  stopAt?: number;
}

export interface NotifyResult {
  sent: number;
  alreadyHandled: number;
  suppressed: number;
  failed: number;
  skipped: number;
  /** False when the fan-out stopped at `stopAt` before everyone was handled. */
  complete?: boolean;
}

/**
 * Senders working at once: enough to keep SES busy at the configured rate (an email spends some tens of
 * milliseconds in the ledger's batches and at SES), never more than 64.
 */
export const MAX_SENDERS = 64;
export function senderConcurrency(): number {
  return Math.max(1, Math.min(MAX_SENDERS, Math.ceil(config().sesSendRate)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SendWithRetryOptions {
  /** Tries for a failing send before the error is thrown (default 4). */
  attempts?: number;
  /** Return `in-progress` at once when someone else is sending it, instead of waiting for them. */
  deferInProgress?: boolean;
  /** How long to wait for another sender's claim, in real milliseconds (default: the lease + 1 min). */
  maxWaitMs?: number;
  /** Between looks at another sender's claim (default 500 ms). */
  pollMs?: number;
}

/**
 * Sends one email through the ledger, paced by the send-rate limiter, with a few quick retries;
 * rethrows the last error. Waits while another sender holds a fresh claim on the same email, so that
 * when this resolves the email has gone out (or was suppressed or given up), whoever sent it.
 */
export async function sendWithRetry(mail: OutgoingEmail, opts: SendWithRetryOptions & { deferInProgress: true }): Promise<SendOutcome | 'in-progress'>;
export async function sendWithRetry(mail: OutgoingEmail, opts?: SendWithRetryOptions): Promise<SendOutcome>;
export async function sendWithRetry(mail: OutgoingEmail, opts: SendWithRetryOptions = {}): Promise<SendOutcome | 'in-progress'> {
  const attempts = opts.attempts ?? 4;
  const owner = randomUUID();
  const waitUntil = Date.now() + (opts.maxWaitMs ?? CLAIM_LEASE_MS + 60_000);
  for (let failures = 0; ; ) {
    let outcome;
    try {
      outcome = await sendOnce(mail, { owner });
    } catch (err) {
      if (err instanceof SentNotRecordedError) {
        // SES has it; SES's `Email Sent` event will mark the ledger. Never send it again.
        logger.error('Sent, but not recorded in the ledger', { kind: mail.kind, to: maskEmail(mail.to), error: err.message });
        return 'sent';
      }
      if (isPermanentSesError(err)) return 'given-up';
      if (++failures >= attempts) throw err;
      await sleep(Math.min(2000, 100 * 2 ** failures) * (0.5 + Math.random()));
      continue;
    }
    if (outcome !== 'in-progress') return outcome;
    if (opts.deferInProgress) return 'in-progress';
    if (Date.now() > waitUntil) throw new Error(`${mail.kind} to ${maskEmail(mail.to)} is still claimed by another sender`);
    await sleep(opts.pollMs ?? 500);
  }
}

/** A bounded queue of pages: the reader stays one page ahead of the senders. */
async function* prefetched<T>(pages: AsyncGenerator<T[]>): AsyncGenerator<T[]> {
  let next = pages.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    next = pages.next();
    next.catch(() => undefined); // surfaced when awaited
    yield current.value;
  }
}

export async function notifyRegistrants(
  seminar: Seminar,
  kind: string,
  build: (r: Registration) => RegistrantMessage | undefined,
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  const result: NotifyResult = { sent: 0, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: 0, complete: true };
  const filter = options.filter ?? ((r: Registration) => r.status === 'confirmed');
  const outOfTime = () => {
    if (options.stopAt === undefined || Date.now() < options.stopAt) return false;
    result.complete = false;
    return true;
  };
  const concurrency = senderConcurrency();
  const errors: unknown[] = [];
  const expiresAt = expiresAfter(seminar.end);

  const emailFor = (r: Registration, message: RegistrantMessage): OutgoingEmail => ({
    subject: seminar.id,
    kind,
    to: r.email,
    expiresAt,
    prepare: async () => {
      const cancelUrl = await linkFor('cancel-registration', registrationSub(seminar.id, r.id), r.language);
      const full = { ...message, seminar, cancelUrl } as EmailMessage;
      return {
        content: renderEmail(full, r.language),
        attachments: options.invite ? [registrationInvite(seminar, r, options.invite)] : undefined,
        unsubscribeUrl: options.bulk ? cancelUrl : undefined,
      };
    },
  });
  const count = (outcome: SendOutcome) => {
    if (outcome === 'sent') result.sent++;
    else if (outcome === 'suppressed') result.suppressed++;
    else if (outcome === 'given-up') result.failed++;
    else result.alreadyHandled++;
  };

  /** Runs `work` over `items` with the pool's concurrency. */
  const run = async <T>(items: T[], work: (item: T) => Promise<void>) => {
    let i = 0;
    const worker = async () => {
      while (i < items.length && !outOfTime()) await work(items[i++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  };

  const deferred: OutgoingEmail[] = [];
  for await (const page of prefetched(registrationPages(seminar.id))) {
    if (outOfTime()) break;
    const mails: OutgoingEmail[] = [];
    for (const r of page) {
      const message = filter(r) ? build(r) : undefined;
      if (message) mails.push(emailFor(r, message));
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
  // Emails another sender was sending: done by now, or their claim runs out and they are sent here.
  await run(deferred, async (mail) => {
    try {
      count(await sendWithRetry(mail, options.stopAt === undefined ? {} : { maxWaitMs: Math.max(0, options.stopAt - Date.now()) }));
    } catch (err) {
      result.failed++;
      errors.push(err);
    }
  });

  if (errors.length) {
    logger.warn('Some recipients failed; the event will be retried', { seminarId: seminar.id, kind, failed: errors.length });
    throw new AggregateError(errors, `${errors.length} email(s) of kind ${kind} failed`);
  }
  return result;
}
