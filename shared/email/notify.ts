/**
 * Fan-out to a seminar's registrants: pages through them, hands each to a pool of senders whose rate
 * respects the SES send rate, and sends through the exactly-once ledger. Recipients that fail are
 * retried with backoff; if any still fail, the error is thrown so the event is retried, and the ledger
 * makes the retry send only what is missing.
 */
import type { Registration, Seminar } from '../domain/model.js';
import { renderEmail, type EmailMessage } from './templates.js';
import { sendOnce, type OutgoingEmail } from './mailer.js';
import { RateLimiter } from './rate.js';
import { config } from '../config.js';
import { registrationPages } from '../store/registrations.js';
import { linkFor, registrationSub } from '../links.js';
import { registrationInvite } from './calendar.js';
import { logger } from '../log.js';

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
}

export interface NotifyResult {
  sent: number;
  alreadyHandled: number;
  suppressed: number;
  failed: number;
  skipped: number;
}

let limiter: RateLimiter | undefined;
export function sendLimiter(): RateLimiter {
  limiter ??= new RateLimiter(config().sesSendRate);
  return limiter;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one email with a few quick retries; rethrows the last error. */
export async function sendWithRetry(mail: OutgoingEmail, attempts = 4): Promise<Awaited<ReturnType<typeof sendOnce>>> {
  for (let i = 1; ; i++) {
    await sendLimiter().take();
    try {
      return await sendOnce(mail);
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(Math.min(2000, 100 * 2 ** i) * (0.5 + Math.random()));
    }
  }
}

export async function notifyRegistrants(
  seminar: Seminar,
  kind: string,
  build: (r: Registration) => RegistrantMessage | undefined,
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  const result: NotifyResult = { sent: 0, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: 0 };
  const filter = options.filter ?? ((r: Registration) => r.status === 'confirmed');
  const concurrency = Math.max(1, Math.min(32, Math.ceil(config().sesSendRate)));
  const errors: unknown[] = [];

  for await (const page of registrationPages(seminar.id)) {
    const queue = page.filter((r) => {
      const keep = filter(r);
      if (!keep) result.skipped++;
      return keep;
    });
    const worker = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const message = build(r);
        if (!message) {
          result.skipped++;
          continue;
        }
        try {
          const cancelUrl = await linkFor('cancel-registration', registrationSub(seminar.id, r.id), r.language);
          const full = { ...message, seminar, cancelUrl } as EmailMessage;
          const outcome = await sendWithRetry({
            subject: seminar.id,
            kind,
            to: r.email,
            content: renderEmail(full, r.language),
            attachments: options.invite ? [registrationInvite(seminar, r, options.invite)] : undefined,
            unsubscribeUrl: options.bulk ? cancelUrl : undefined,
          });
          if (outcome === 'sent') result.sent++;
          else if (outcome === 'suppressed') result.suppressed++;
          else result.alreadyHandled++;
        } catch (err) {
          result.failed++;
          errors.push(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }
  if (errors.length) {
    logger.warn('Some recipients failed; the event will be retried', { seminarId: seminar.id, kind, failed: errors.length });
    throw new AggregateError(errors, `${errors.length} email(s) of kind ${kind} failed`);
  }
  return result;
}
