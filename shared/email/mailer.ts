/**
 * Sends one email exactly once per (subject, kind, recipient): suppression check → ledger claim →
 * SES SendEmail → mark sent.
 *
 * - A failed send is marked `failed` and the error is rethrown, so the caller retries and, in the end,
 *   the event is redelivered; the ledger lets the retry send it, never twice. A permanent rejection
 *   (SES refuses the message itself) is marked given up and not retried.
 * - Someone else holding a fresh claim (a duplicate delivery, a concurrent retry) gives `in-progress`:
 *   the caller comes back later. A claim whose lease ran out belonged to a sender that crashed; it is
 *   claimed again and sent, unless SES's `Email Sent` event (every email carries its ledger key as a
 *   tag) has marked it sent in the meantime.
 * - When SES took the email but the ledger cannot be updated, the email is not sent again: the error
 *   says so (`SentNotRecordedError`) and the `Email Sent` event records it.
 *
 * `sendOnce` is one attempt; `sendWithRetry`, what every sender calls (one email, or each email of a
 * fan-out), retries a failing attempt a few times and waits out another sender's fresh claim.
 */
import { randomUUID } from 'node:crypto';
import { GetAccountCommand, type Attachment, type MessageHeader, type MessageTag, type SendEmailCommandInput as SdkSendEmailInput } from '@aws-sdk/client-sesv2';
import { leanSesClient, sesClient } from '../aws/clients.js';
import { isAwsError } from '../aws/lean.js';
import { Slots } from './rate.js';
import { SharedRateLimiter } from './send-budget.js';
import { config } from '../config.js';
import { nowMs } from '../clock.js';
import { logger, maskEmail } from '../log.js';
import { expiresFromNow } from '../retention.js';
import { CLAIM_LEASE_MS, claimMany, entryKey, existMany, markFailed, releaseClaim, markSentMany, recordSuppressed, suppressedMany, type ClaimedEntry, type ClaimRequest, type ClaimResult, type SentRecord } from '../store/ledger.js';
import { Batcher } from '../batcher.js';
import { normaliseEmail } from '../domain/primitives.js';
import { LEDGER_TAG, ledgerTagValue } from './ledger-tag.js';
import { formatMailbox } from './mailbox-address.js';

export interface EmailBody {
  content: { subject: string; text: string; html: string };
  attachments?: Array<{ fileName: string; contentType: string; content: string }>;
  /** Bulk notices: List-Unsubscribe (RFC 2369/8058). */
  unsubscribeUrl?: string;
}

interface Addressing {
  /** What the email is about: a seminar id or a deadline id. */
  subject: string;
  /** Which email: `registration-confirmed`, `reminder-1440-…`, … */
  kind: string;
  to: string;
  /** When the ledger entry (which names the recipient) expires, epoch seconds; default now + retention. */
  expiresAt?: number;
  /**
   * The stored item that entitles the recipient to this email (their registration or subscription). It is
   * read again after the claim is won and before SES gets the email: an erasure deletes it before it
   * anonymises the ledger, so a sender that read the recipient before the erasure sends nothing after it
   * and leaves no entry naming them.
   */
  entitledBy?: { pk: string; sk: string };
}

/** An email, rendered up front, or rendered only once the claim is won (`prepare`), which saves the work for emails already sent. */
export type OutgoingEmail = Addressing & (EmailBody | { prepare: () => EmailBody | Promise<EmailBody> });

/**
 * What became of an email: sent now, sent (or settled) before, not sent to a suppressed address, given up
 * after a permanent rejection, or not sent because what entitled the recipient is gone (erased).
 */
export type SendOutcome = 'sent' | 'already-handled' | 'suppressed' | 'given-up' | 'recipient-gone';
/** `sendOnce` may also find the email being sent by someone else right now. */
export type SendOnceOutcome = SendOutcome | 'in-progress';

export interface SendOnceOptions {
  /** Who claims: an earlier failed attempt of the same owner may be claimed again at once. */
  owner?: string;
  /** Whether the address is suppressed, when the caller looked it up already (a fan-out does, per page). */
  suppressed?: boolean;
  /**
   * Once SES has the email, hand the recording of `sent` to this instead of waiting for it: the sender
   * moves on, and the caller awaits the records before it finishes. A record that cannot be written is
   * logged, and SES's `Email Sent` event records it.
   */
  recordInBackground?: (record: Promise<void>) => void;
}

/** SES took the email, but the ledger could not be marked `sent`; it must not be sent again. */
export class SentNotRecordedError extends Error {
  constructor(readonly messageId: string, cause: unknown) {
    super(`SES accepted message ${messageId}, but the ledger could not be updated: ${(cause as Error)?.message ?? cause}`);
    this.name = 'SentNotRecordedError';
  }
}

/** SES refused this message itself (rejected content or address): trying again cannot help. */
export function isPermanentSesError(err: unknown): boolean {
  return isAwsError(err, 'MessageRejected');
}

/**
 * A request SES calls bad (an address it cannot parse, say) is given up after this many attempts, not
 * at once: the same error also comes from a configuration mistake, which an operator fixes.
 */
export const BAD_REQUEST_ATTEMPTS = 3;
const isBadRequest = (err: unknown) => isAwsError(err, 'BadRequestException');

const noBreaks = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

let limiter: Promise<SharedRateLimiter> | undefined;
/**
 * The account's send budget (shared/email/send-budget.ts), at the configured send rate or the account's
 * (SES GetAccount), whichever is lower; where GetAccount is not available (the local SES), the configured
 * one. Every function and every concurrent invocation takes its slots from the same item in the table.
 */
export function sendLimiter(): Promise<SharedRateLimiter> {
  limiter ??= (async () => {
    const configured = config().sesSendRate;
    try {
      const max = (await sesClient().send(new GetAccountCommand({}))).SendQuota?.MaxSendRate;
      if (max && max > 0 && max < configured) {
        logger.info('Sending at the SES account rate', { configured, account: max });
        return new SharedRateLimiter(max);
      }
    } catch {
      // no account information: the configured rate stands
    }
    return new SharedRateLimiter(configured);
  })();
  limiter.catch(() => (limiter = undefined));
  return limiter;
}

/**
 * SendEmail calls in flight at once (per process): enough to keep SES busy at the configured rate (a call
 * takes some tens of milliseconds), never more than 64.
 */
export const MAX_SENDERS = 64;
export function senderConcurrency(): number {
  return Math.max(1, Math.min(MAX_SENDERS, Math.ceil(config().sesSendRate)));
}
let inFlight: Slots | undefined;

/** SendEmail's request as the JSON protocol carries it: an attachment's content in base64. */
export type SendEmailCommandInput = Omit<SdkSendEmailInput, 'Content'> & {
  Content: { Simple: Omit<NonNullable<NonNullable<SdkSendEmailInput['Content']>['Simple']>, 'Attachments'> & { Attachments?: Array<Omit<Attachment, 'RawContent'> & { RawContent: string }> } };
};

/**
 * SendEmail, paced: every attempt (retries included) takes one of the process's `senderConcurrency()`
 * slots and waits for its send slot of the budget right before the request goes on the wire, so SES sees
 * the sends evenly spaced however busy the process is in between. The email is built (rendered) only
 * then, in the first attempt: the many emails of a batch waiting for a slot hold nothing, and the
 * collector has little to keep. It goes through the lean client (shared/aws/lean.ts), which costs a third
 * to a half of the SDK's CPU per email.
 */
async function sendEmail(build: () => Promise<SendEmailCommandInput>): Promise<{ MessageId?: string }> {
  return leanSesClient().call<{ MessageId?: string }>('SendEmail', build, {
    aroundAttempt: async (attempt) => {
      const slots = (inFlight ??= new Slots(senderConcurrency()));
      await slots.acquire();
      try {
        await (await sendLimiter()).take();
        return await attempt();
      } finally {
        slots.release();
      }
    },
  });
}

/**
 * The ledger calls of concurrent single sends (`sendOnce`: a handler's emails, a fan-out's retries),
 * coalesced: those made within a few milliseconds share one BatchGetItem for their suppression checks, one
 * transaction for their claims and one for their records. A fan-out's pages batch their own
 * (`sendBatch`).
 */
let batchers: {
  suppressed: Batcher<string, boolean>;
  claim: Batcher<ClaimRequest, ClaimResult>;
  sent: Batcher<SentRecord, void>;
  entitled: Batcher<{ pk: string; sk: string }, boolean>;
} | undefined;
function ledger() {
  batchers ??= {
    suppressed: new Batcher(suppressedMany, 100),
    entitled: new Batcher(existMany, 100),
    claim: new Batcher(claimMany, 25),
    sent: new Batcher(markSentMany, 25),
  };
  return batchers;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What an email is when its claim was not won: someone is sending it now, it was given up, or it is settled. */
function lostClaim(r: Extract<ClaimResult, { claimed: false }>): 'in-progress' | 'given-up' | 'already-handled' {
  if (r.status === 'claimed') return 'in-progress';
  if (r.status === 'failed' && r.givenUp) return 'given-up';
  return 'already-handled';
}

export async function sendOnce(mail: OutgoingEmail, opts: SendOnceOptions = {}): Promise<SendOnceOutcome> {
  const owner = opts.owner ?? randomUUID();
  const to = normaliseEmail(mail.to);
  if (opts.suppressed ?? (await ledger().suppressed.load(to))) {
    await recordSuppressed(mail.subject, mail.kind, to, nowMs(), mail.expiresAt);
    return 'suppressed';
  }
  const at = nowMs();
  const won = await ledger().claim.load({ subject: mail.subject, kind: mail.kind, recipient: to, nowMs: at, expiresAt: mail.expiresAt ?? expiresFromNow(at), owner });
  if (!won.claimed) return lostClaim(won);
  const claimedAt = Date.now();
  if (mail.entitledBy && !(await ledger().entitled.load(mail.entitledBy))) {
    // Erased (or otherwise gone) since the recipient was read: nothing is sent, and the claim that names them goes.
    await releaseClaim(mail.subject, mail.kind, to, owner);
    return 'recipient-gone';
  }

  const messageId = await sendClaimed(mail, to, won.entry, owner);

  // SES has the email: from here on it must never be sent again.
  const record = recordSent(() => ledger().sent.load({ entry: won.entry, messageId, sentAtMs: nowMs() }), claimedAt, messageId);
  if (opts.recordInBackground) {
    opts.recordInBackground(
      record.catch((err: unknown) => logger.error('Sent, but not recorded in the ledger', { kind: mail.kind, to: maskEmail(to), error: (err as Error).message })),
    );
  } else await record;
  return 'sent';
}

/**
 * The SES part of an email whose claim is won: the request built and sent (paced); SES's message id, or
 * the failure marked in the ledger (given up if SES refused the message itself, or called the request bad
 * too often) and thrown.
 */
async function sendClaimed(mail: OutgoingEmail, to: string, entry: ClaimedEntry, owner: string): Promise<string> {
  const c = config();
  try {
    const out = await sendEmail(async () => {
      const body: EmailBody = 'prepare' in mail ? await mail.prepare() : mail;
      const headers: MessageHeader[] = [];
      if (body.unsubscribeUrl) {
        headers.push({ Name: 'List-Unsubscribe', Value: `<${body.unsubscribeUrl}>` });
        headers.push({ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' });
      }
      const tags: MessageTag[] = [{ Name: 'kind', Value: mail.kind.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 255) }];
      const ledgerTag = ledgerTagValue(mail.subject, mail.kind);
      if (ledgerTag) tags.push({ Name: LEDGER_TAG, Value: ledgerTag });
      return {
        FromEmailAddress: formatMailbox(c.senderName, c.senderEmail),
        Destination: { ToAddresses: [to] },
        ConfigurationSetName: c.sesConfigurationSet,
        EmailTags: tags,
        Content: {
          Simple: {
            Subject: { Data: noBreaks(body.content.subject), Charset: 'UTF-8' },
            Body: {
              Text: { Data: body.content.text, Charset: 'UTF-8' },
              Html: { Data: body.content.html, Charset: 'UTF-8' },
            },
            Headers: headers.length ? headers : undefined,
            // The JSON protocol carries a blob as base64.
            Attachments: body.attachments?.map((a) => ({
              FileName: a.fileName,
              ContentType: a.contentType,
              ContentDisposition: 'ATTACHMENT',
              RawContent: Buffer.from(a.content, 'utf8').toString('base64'),
            })),
          },
        },
      };
    });
    return out.MessageId ?? 'unknown';
  } catch (err) {
    const final = isPermanentSesError(err) || (isBadRequest(err) && entry.attempts >= BAD_REQUEST_ATTEMPTS);
    await markFailed(mail.subject, mail.kind, to, (err as Error)?.message ?? String(err), final, owner).catch((e: unknown) =>
      // The claim stays ours; the next attempt of this owner claims it again.
      logger.warn('Could not record a failed send', { kind: mail.kind, to: maskEmail(to), error: (e as Error).message }),
    );
    logger.warn('Send failed', { kind: mail.kind, to: maskEmail(to), final, error: (err as Error)?.message });
    throw err;
  }
}

/**
 * Records `sent` (`write`), retried for as long as the claim surely protects the email (a third of the
 * lease from when it was claimed), then left to SES's `Email Sent` event: `SentNotRecordedError`.
 */
async function recordSent(write: () => Promise<unknown>, claimedAt: number, messageId: string): Promise<void> {
  const recordBy = claimedAt + CLAIM_LEASE_MS / 3;
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (err) {
      const pause = Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random());
      if (Date.now() + pause > recordBy) throw new SentNotRecordedError(messageId, err);
      await sleep(pause);
    }
  }
}

/** What became of one email of a batch; `failed` carries the error, `unstarted` was not begun (out of time: its claim was given back). */
export type BatchOutcome = { outcome: SendOnceOutcome | 'unstarted' } | { outcome: 'failed'; error: unknown };

/**
 * Claims made at a time (one transaction): a quarter of a second of the account's rate, 5 to 50
 * (TransactWriteItems takes 100 items).
 */
export function claimAhead(): number {
  return Math.max(5, Math.min(50, Math.ceil(config().sesSendRate / 4)));
}
/** `sent` records per write (a transaction of conditional puts: shared/store/ledger.ts `markSentMany`). */
const RECORDS_PER_WRITE = 25;

/**
 * The emails of one queued message (shared/notices/deliver.ts, through the fan-out engine) as one batch
 * through the same ledger as `sendOnce`, with the ledger's calls made for many emails, not per email: one
 * suppression lookup (unless the caller made it), the claims `claimAhead()` to a transaction (the next
 * chunk claimed while this one is sent) with one look at what entitles each recipient, then the SendEmails
 * (paced by the send budget, `concurrency` at once), their `sent` records in writes of 25 as they come. An email someone else is sending (`in-progress`) or that failed
 * is left to the caller, which sends it with `sendWithRetry`; after `stopAt` no email is begun, and the
 * claims of those not begun are given back (`unstarted`).
 */
export async function sendBatch(mails: readonly OutgoingEmail[], opts: { suppressed?: ReadonlySet<string>; concurrency?: number; stopAt?: number } = {}): Promise<BatchOutcome[]> {
  const owner = randomUUID();
  const out: BatchOutcome[] = new Array(mails.length);
  const tos = mails.map((m) => normaliseEmail(m.to));
  let suppressed = opts.suppressed;
  if (!suppressed) {
    const unique = [...new Set(tos)];
    const flags = unique.length ? await suppressedMany(unique) : [];
    suppressed = new Set(unique.filter((_, i) => flags[i]));
  }
  const claims: number[] = [];
  const quiet: Array<Promise<void>> = [];
  // The batch claims as one owner, which may claim its own entry again: an email named twice is sent once.
  const seen = new Set<string>();
  mails.forEach((m, i) => {
    const key = entryKey({ subject: m.subject, kind: m.kind, recipient: tos[i] });
    if (seen.has(key)) return void (out[i] = { outcome: 'already-handled' });
    seen.add(key);
    if (!suppressed.has(tos[i])) return void claims.push(i);
    out[i] = { outcome: 'suppressed' };
    quiet.push(recordSuppressed(m.subject, m.kind, tos[i], nowMs(), m.expiresAt));
  });
  await Promise.all(quiet);

  // Claimed a chunk at a time, the next while this one is sent: what a sender that dies holds (its
  // recipients wait out the lease) stays about a quarter of a second of the account's sends.
  const claimChunk = async (chunk: number[]): Promise<Array<{ i: number; entry: ClaimedEntry; claimedAt: number }>> => {
    if (!chunk.length) return [];
    const at = nowMs();
    const results = await claimMany(chunk.map((i) => ({ subject: mails[i].subject, kind: mails[i].kind, recipient: tos[i], nowMs: at, expiresAt: mails[i].expiresAt ?? expiresFromNow(at), owner })));
    const claimedAt = Date.now();
    const won: Array<{ i: number; entry: ClaimedEntry; claimedAt: number }> = [];
    chunk.forEach((i, j) => {
      const r = results[j];
      if (r.claimed) won.push({ i, entry: r.entry, claimedAt });
      else out[i] = { outcome: lostClaim(r) };
    });
    // Erased (or otherwise gone) since the recipients were read: nothing is sent, and the claim that names them goes.
    const entitled = won.filter((w) => mails[w.i].entitledBy);
    const present = entitled.length ? await existMany(entitled.map((w) => mails[w.i].entitledBy!)) : [];
    const gone = new Set(entitled.filter((_, j) => !present[j]).map((w) => w.i));
    await Promise.all(
      [...gone].map(async (i) => {
        await releaseClaim(mails[i].subject, mails[i].kind, tos[i], owner);
        out[i] = { outcome: 'recipient-gone' };
      }),
    );
    return won.filter((w) => !gone.has(w.i));
  };

  let pending: SentRecord[] = [];
  let pendingSince = 0;
  const records: Array<Promise<void>> = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    records.push(
      recordSent(() => markSentMany(batch), pendingSince, batch[0].messageId).catch((err: unknown) =>
        logger.error('Sent, but not recorded in the ledger', { kind: mails[0].kind, emails: batch.length, error: (err as Error).message }),
      ),
    );
  };
  const send = async ({ i, entry, claimedAt }: { i: number; entry: ClaimedEntry; claimedAt: number }) => {
    if (opts.stopAt !== undefined && Date.now() >= opts.stopAt) {
      await releaseClaim(mails[i].subject, mails[i].kind, tos[i], owner);
      out[i] = { outcome: 'unstarted' };
      return;
    }
    try {
      const messageId = await sendClaimed(mails[i], tos[i], entry, owner);
      out[i] = { outcome: 'sent' };
      if (!pending.length) pendingSince = claimedAt;
      pending.push({ entry, messageId, sentAtMs: nowMs() });
      if (pending.length >= RECORDS_PER_WRITE) flush();
    } catch (error) {
      out[i] = isPermanentSesError(error) ? { outcome: 'given-up' } : { outcome: 'failed', error };
    }
  };
  // One pool of senders over the chunks: the next chunk is claimed when half of this one is taken, so no
  // sender waits for a claim, nor for the slowest answer of a chunk before the next one starts.
  const size = claimAhead();
  const chunks = Array.from({ length: Math.ceil(claims.length / size) }, (_, k) => claims.slice(k * size, (k + 1) * size));
  type Ready = { i: number; entry: ClaimedEntry; claimedAt: number };
  const ready: Ready[] = [];
  let nextChunk = 0;
  let claiming: Promise<void> | undefined;
  let claimError: unknown;
  const claimNext = (): Promise<void> | undefined => {
    if (claiming || claimError !== undefined || nextChunk >= chunks.length) return claiming;
    const chunk = chunks[nextChunk++];
    // One claim at a time: none starts while this one is out, so it can clear the mark when it is done.
    claiming = claimChunk(chunk)
      .then(
        (won) => void ready.push(...won),
        (err: unknown) => void (claimError = err ?? new Error('claim failed')),
      )
      .finally(() => (claiming = undefined));
    return claiming;
  };
  const take = async (): Promise<Ready | undefined> => {
    for (;;) {
      if (claimError !== undefined) return undefined; // stop; thrown once the senders are done
      if (ready.length) {
        const r = ready.shift()!;
        if (ready.length <= size / 2) claimNext();
        return r;
      }
      const c = claimNext();
      if (!c) return undefined;
      await c;
    }
  };
  const sender = async () => {
    for (let r = await take(); r; r = await take()) await send(r);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? senderConcurrency(), claims.length)) }, sender));
  } finally {
    // What was sent is recorded even when a claim failed (the caller retries the rest).
    flush();
    await Promise.all(records);
  }
  if (claimError !== undefined) throw claimError;
  return out;
}

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
export async function sendWithRetry(mail: OutgoingEmail, opts: SendWithRetryOptions & { deferInProgress: true }): Promise<SendOnceOutcome>;
export async function sendWithRetry(mail: OutgoingEmail, opts?: SendWithRetryOptions): Promise<SendOutcome>;
export async function sendWithRetry(mail: OutgoingEmail, opts: SendWithRetryOptions = {}): Promise<SendOnceOutcome> {
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
