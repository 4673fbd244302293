/**
 * Emails to a seminar's registrants: one (`sendWithRetry`, through the exactly-once ledger, paced by the
 * SES send rate, with a few quick retries) or all of them (`notifyRegistrants`, on the fan-out engine of
 * fan-out.ts). An email is rendered only once its claim is won, so a redelivered event costs one
 * conditional write per recipient already done.
 */
import { randomUUID } from 'node:crypto';
import type { Registration, Seminar } from '../domain/model.js';
import { renderEmail, type EmailMessage } from './templates.js';
import { sendOnce, SentNotRecordedError, isPermanentSesError, type OutgoingEmail, type SendOutcome } from './mailer.js';
export { sendLimiter, MAX_SENDERS, senderConcurrency } from './mailer.js';
import { config } from '../config.js';
import { registrationPages } from '../store/registrations.js';
import { CLAIM_LEASE_MS } from '../store/ledger.js';
import { linkFor, registrationSub } from '../links.js';
import { registrationInvite } from './calendar.js';
import { logger, maskEmail } from '../log.js';
import { fanOut, type FanOutResult } from './fan-out.js';
import { expiresAfter } from '../retention.js';
import { now } from '../clock.js';
import { optOutLink, receivesNotice, type RegistrantNotice } from '../domain/registration-lifecycle.js';

/** A message for one recipient, without the cancel link (added here). */
type Distribute<T> = T extends EmailMessage ? Omit<T, 'cancelUrl' | 'seminar'> : never;
export type RegistrantMessage = Distribute<EmailMessage>;

export interface NotifyOptions {
  /** Which notice it is: who gets it is the lifecycle's `receivesNotice` (shared/domain/registration-lifecycle.ts). */
  notice: RegistrantNotice;
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

export type NotifyResult = FanOutResult;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SendWithRetryOptions {
  /** Tries for a failing send before the error is thrown (default 4). */
  attempts?: number;
  /** Return `in-progress` at once when someone else is sending it, instead of waiting for them. */
  deferInProgress?: boolean;
  /** How long to wait for another sender's claim, in real milliseconds (default: the lease + 1 min). */
  maxWaitMs?: number;
  /** Passed to `sendOnce`: the suppression lookup already made, and recording `sent` off the sender's path. */
  suppressed?: boolean;
  recordInBackground?: (record: Promise<void>) => void;
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
      outcome = await sendOnce(mail, { owner, suppressed: opts.suppressed, recordInBackground: opts.recordInBackground });
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

export async function notifyRegistrants(
  seminar: Seminar,
  kind: string,
  build: (r: Registration) => RegistrantMessage | undefined,
  options: NotifyOptions,
): Promise<NotifyResult> {
  const filter = (r: Registration) => receivesNotice(r, options.notice);
  const expiresAt = expiresAfter(seminar.end);
  // Before the start the link cancels; from the start on it only stops the seminar's emails.
  const optOut = optOutLink(seminar, now());

  const emailFor = (r: Registration, message: RegistrantMessage): OutgoingEmail => ({
    subject: seminar.id,
    kind,
    to: r.email,
    expiresAt,
    prepare: async () => {
      const cancelUrl = await linkFor(optOut, registrationSub(seminar.id, r.id), r.language);
      // Signed by the organiser (the sender's name), as the scheme notices are by theirs.
      const full = { organiser: config().senderName, ...message, seminar, cancelUrl } as EmailMessage;
      return {
        content: renderEmail(full, r.language),
        attachments: options.invite ? [registrationInvite(seminar, r, options.invite)] : undefined,
        unsubscribeUrl: options.bulk ? cancelUrl : undefined,
      };
    },
  });
  async function* pages() {
    for await (const page of registrationPages(seminar.id)) {
      yield page.map((r) => {
        const message = filter(r) ? build(r) : undefined;
        return message ? emailFor(r, message) : undefined;
      });
    }
  }
  return fanOut(pages(), { stopAt: options.stopAt, kind, describe: { seminarId: seminar.id, kind } });
}
