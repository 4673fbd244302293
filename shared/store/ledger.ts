/**
 * The per-recipient email ledger (ARCHITECTURE principle 4). One item per (subject, kind, recipient):
 * claimed with a conditional put before sending, marked `sent` with the SES message id after, or
 * `failed` with the reason. It is also the delivery log admins read.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, leanDynamoClient } from '../aws/clients.js';
import { isAwsError, toAttributes } from '../aws/lean.js';
import { config } from '../config.js';
import { keys, table } from './keys.js';
import { expiresFromNow } from '../retention.js';
import { refreshExpiry } from './expiry.js';
import { batchGetItems, deleteIf, existingKeys, itemKey, queryAll, queryPages, updateIf } from './items.js';

export type LedgerStatus = 'claimed' | 'sent' | 'failed' | 'suppressed';

export interface LedgerEntry {
  subject: string;
  kind: string;
  recipient: string;
  status: LedgerStatus;
  attempts: number;
  claimedAt: string;
  sentAt?: string;
  messageId?: string;
  error?: string;
  /** `ses-event`: recorded by SES's `Email Sent` event, because the sender could not (it crashed, or its call failed after SES took the email). */
  recordedBy?: 'ses-event';
}

/**
 * A claim older than this is taken to be from a crashed sender and may be claimed again. It must be
 * longer than one send (claim → SES → mark sent, SDK retries included) and than the time SES takes to
 * publish its `Email Sent` event, which marks the entry sent when the sender died before it could.
 */
export const CLAIM_LEASE_MS = Number(process.env.LEDGER_CLAIM_LEASE_MS ?? 5 * 60_000);
/** Kept for the delivery log: how many times an email may be claimed before a transient failure is final. */
export const MAX_SEND_ATTEMPTS = 50;

/** What a won claim wrote: enough to write the whole entry again when it is marked sent. */
export interface ClaimedEntry {
  subject: string;
  kind: string;
  recipient: string;
  owner: string;
  attempts: number;
  claimedAtMs: number;
  expiresAt: number;
}

export type ClaimResult =
  | { claimed: true; entry: ClaimedEntry }
  /** Someone else holds the claim (or it was settled): `status` says what the ledger holds. */
  | { claimed: false; status: LedgerStatus; givenUp: boolean; claimedAtMs?: number };

/**
 * Claims the right to send. Succeeds for a new entry, a `failed` one that was not given up, a stale
 * claim (the lease ran out: its sender crashed), or a claim this `owner` made itself (its own earlier
 * attempt, which failed before SES took the email); otherwise says what the ledger holds: `sent`,
 * `suppressed`, given up, or being sent by someone else right now.
 *
 * `expiresAt` (epoch seconds, DynamoDB TTL) is when the entry, which names the recipient, is deleted:
 * the seminar's end plus the retention period (shared/retention.ts); now plus the retention otherwise.
 */
export async function claim(
  subject: string,
  kind: string,
  recipient: string,
  nowMs: number,
  expiresAt = expiresFromNow(nowMs),
  owner = 'anonymous',
): Promise<ClaimResult> {
  try {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: keys.ledger(subject, kind, recipient),
        UpdateExpression:
          'SET #s = :claimed, claimedAt = :now, claimedAtMs = :nowMs, claimOwner = :owner, attempts = if_not_exists(attempts, :zero) + :one, ' +
          'subjectId = :subject, kind = :kind, recipient = :recipient, gsi2pk = :person, gsi2sk = :ledgerSk, #ttl = :exp',
        ConditionExpression:
          'attribute_not_exists(pk) OR (#s = :failed AND (attribute_not_exists(givenUp) OR givenUp = :false)) OR ' +
          '(#s = :claimed AND (claimedAtMs < :stale OR claimOwner = :owner))',
        ExpressionAttributeNames: { '#s': 'status', '#ttl': table.ttl },
        ExpressionAttributeValues: {
          ':exp': expiresAt,
          ':claimed': 'claimed',
          ':failed': 'failed',
          ':false': false,
          ':owner': owner,
          ':now': new Date(nowMs).toISOString(),
          ':nowMs': nowMs,
          ':stale': nowMs - CLAIM_LEASE_MS,
          ':zero': 0,
          ':one': 1,
          ':subject': subject,
          ':kind': kind,
          ':recipient': recipient,
          ':person': keys.person(recipient),
          ':ledgerSk': `LEDGER#${subject}#${kind}`,
        },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { claimed: true, entry: { subject, kind, recipient, owner, attempts: Number(out.Attributes?.attempts ?? 1), claimedAtMs: nowMs, expiresAt } };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const old = attributes(err.Item);
    return {
      claimed: false,
      status: (old.status as LedgerStatus | undefined) ?? 'claimed',
      givenUp: old.givenUp === true,
      claimedAtMs: typeof old.claimedAtMs === 'number' ? old.claimedAtMs : undefined,
    };
  }
}

/** The few attributes `claim` needs from the item a failed condition returns (DynamoDB JSON or plain). */
function attributes(item: unknown): { status?: string; givenUp?: boolean; claimedAtMs?: number; claimOwner?: string } {
  const i = (item ?? {}) as Record<string, unknown>;
  const value = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? ((v as { S?: string; N?: string; BOOL?: boolean }).S ?? (v as { N?: string }).N ?? (v as { BOOL?: boolean }).BOOL) : v);
  const ms = value(i.claimedAtMs);
  return {
    status: value(i.status) as string | undefined,
    givenUp: value(i.givenUp) === true,
    claimedAtMs: ms === undefined ? undefined : Number(ms),
    claimOwner: value(i.claimOwner) as string | undefined,
  };
}

export interface ClaimRequest {
  subject: string;
  kind: string;
  recipient: string;
  nowMs: number;
  expiresAt: number;
  owner: string;
}

/** An email's place in the ledger as one string (its subject, kind and recipient), for sets and maps of emails. */
export const entryKey = (r: { subject: string; kind: string; recipient: string }) => `${r.subject}\u0000${r.kind}\u0000${r.recipient}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Claims many at once: new entries in one transaction (the common case of a fan-out). When the
 * transaction is refused, the entries that exist say why (their old item comes back): sent or given up
 * settles them without another call, a fresh claim of someone else means `in-progress`, and only a
 * failed or stale entry (or the same key twice) is claimed one by one; the rest go in a new transaction.
 */
export async function claimMany(reqs: ClaimRequest[]): Promise<ClaimResult[]> {
  const results: ClaimResult[] = new Array(reqs.length);
  const seen = new Set<string>();
  let batch: number[] = [];
  const single: number[] = [];
  reqs.forEach((r, i) => {
    const k = entryKey(r);
    if (seen.has(k)) single.push(i);
    else {
      seen.add(k);
      batch.push(i);
    }
  });
  const entries = reqs.map((r): ClaimedEntry => ({ ...r, attempts: 1, claimedAtMs: r.nowMs }));
  for (let round = 0; batch.length > 1 && round < 3; round++) {
    try {
      await leanDynamoClient().call('TransactWriteItems', {
        TransactItems: batch.map((i) => ({
          Put: {
            TableName: config().tableName,
            Item: claimedAttributes(entries[i]),
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        })),
      });
      for (const i of batch) results[i] = { claimed: true, entry: entries[i] };
      batch = [];
    } catch (err) {
      if (!isAwsError(err, 'TransactionCanceledException')) throw err;
      const reasons = ((err as { CancellationReasons?: Array<{ Code?: string; Item?: unknown }> }).CancellationReasons ?? []);
      const retry: number[] = [];
      batch.forEach((i, j) => {
        const reason = reasons[j];
        if (reason?.Code !== 'ConditionalCheckFailed') return void retry.push(i);
        const old = attributes(reason.Item);
        const r = reqs[i];
        const fresh = old.status === 'claimed' && old.claimOwner !== r.owner && (old.claimedAtMs ?? 0) >= r.nowMs - CLAIM_LEASE_MS;
        if (old.status === 'sent' || old.status === 'suppressed' || (old.status === 'failed' && old.givenUp) || fresh) {
          results[i] = { claimed: false, status: (old.status as LedgerStatus) ?? 'claimed', givenUp: old.givenUp === true, claimedAtMs: old.claimedAtMs };
        } else single.push(i); // failed, stale, our own, or unknown: the single claim decides
      });
      batch = retry;
    }
  }
  single.push(...batch);
  const one = async (i: number) => {
    const r = reqs[i];
    results[i] = await claim(r.subject, r.kind, r.recipient, r.nowMs, r.expiresAt, r.owner);
  };
  // Distinct keys at once; a key seen twice only after its first claim.
  const firsts = single.filter((i) => single.findIndex((j) => entryKey(reqs[j]) === entryKey(reqs[i])) === single.indexOf(i));
  await Promise.all(firsts.map(one));
  for (const i of single.filter((x) => !firsts.includes(x))) await one(i);
  return results;
}

/**
 * A claim's item as DynamoDB JSON, made once per entry: the `sent` record writes the same item again
 * with its three fields more.
 */
const attributesOf = new WeakMap<ClaimedEntry, ReturnType<typeof toAttributes>>();
function claimedAttributes(e: ClaimedEntry) {
  let attrs = attributesOf.get(e);
  if (!attrs) attributesOf.set(e, (attrs = toAttributes(claimedItem(e))));
  return attrs;
}

function claimedItem(e: ClaimedEntry) {
  return {
    ...keys.ledger(e.subject, e.kind, e.recipient),
    status: 'claimed',
    claimedAt: new Date(e.claimedAtMs).toISOString(),
    claimedAtMs: e.claimedAtMs,
    claimOwner: e.owner,
    attempts: e.attempts,
    subjectId: e.subject,
    kind: e.kind,
    recipient: e.recipient,
    gsi2pk: keys.person(e.recipient),
    gsi2sk: `LEDGER#${e.subject}#${e.kind}`,
    [table.ttl]: e.expiresAt,
  };
}

export interface SentRecord {
  entry: ClaimedEntry;
  messageId: string;
  sentAtMs: number;
}

/** `sent` records in one transaction. */
const RECORDS_PER_TRANSACTION = 25;

/**
 * Marks many entries sent: the whole entry written again (the sender holds its claim; SES's own `Email
 * Sent` writes the same), in transactions of conditional puts, each only where the entry still exists: an
 * erasure that found the entry settled (SES's event may settle it first) has replaced it with its anonymous
 * copy by then, and a record written after that must not bring the address back. Entries gone that way
 * are left gone; the others are written again after a conflict.
 */
export async function markSentMany(records: SentRecord[]): Promise<void[]> {
  const byKey = new Map<string, SentRecord>();
  for (const r of records) byKey.set(entryKey(r.entry), r);
  const puts = [...byKey.values()].map((r) => ({
    Put: {
      TableName: config().tableName,
      Item: { ...claimedAttributes(r.entry), ...toAttributes({ status: 'sent', messageId: r.messageId, sentAt: new Date(r.sentAtMs).toISOString() }) },
      ConditionExpression: 'attribute_exists(pk)',
    },
  }));
  if (puts.length === 1) {
    // One record (a single email's): a conditional PutItem, one write unit where a transaction costs two.
    try {
      await leanDynamoClient().call('PutItem', puts[0].Put);
    } catch (err) {
      // Gone (erased meanwhile): nothing to record.
      if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
    }
    return records.map(() => undefined);
  }
  for (let start = 0; start < puts.length; start += RECORDS_PER_TRANSACTION) {
    let pending = puts.slice(start, start + RECORDS_PER_TRANSACTION);
    for (let attempt = 1; pending.length; attempt++) {
      try {
        await leanDynamoClient().call('TransactWriteItems', { TransactItems: pending });
        pending = [];
      } catch (err) {
        if (!isAwsError(err, 'TransactionCanceledException')) throw err;
        const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
        // Gone (erased meanwhile): nothing to record. The rest were refused with them, or conflicted: again.
        pending = pending.filter((_, j) => reasons[j]?.Code !== 'ConditionalCheckFailed');
        if (pending.length) {
          if (attempt >= 8) throw new Error(`${pending.length} ledger entries could not be marked sent`);
          await sleep(Math.min(1000, 25 * 2 ** attempt));
        }
      }
    }
  }
  return records.map(() => undefined);
}

/** Reads many items' keys/attributes (items.ts `batchGetItems`: consistent, 100 keys a call). */
const batchGet = (keyList: Array<{ pk: string; sk: string }>, projection: string, names?: Record<string, string>) =>
  batchGetItems(keyList, { expression: projection, names });

/** Which of these addresses are suppressed (one BatchGetItem per 100). */
export async function suppressedMany(emails: string[]): Promise<boolean[]> {
  const found = await existingKeys(emails.map((e) => keys.suppressed(e)));
  return emails.map((e) => found.has(itemKey(keys.suppressed(e))));
}

/**
 * Which of these items exist (one consistent BatchGetItem per 100): a sender asks whether the item that
 * entitles a recipient to an email (their registration or subscription) is still there, after its claim.
 */
export async function existMany(itemKeys: Array<{ pk: string; sk: string }>): Promise<boolean[]> {
  const found = await existingKeys(itemKeys);
  return itemKeys.map((k) => found.has(itemKey(k)));
}

/**
 * Gives up a claim this `owner` holds without sending (the recipient was erased meanwhile): the entry,
 * which names the address, is deleted. Anyone else's claim or a settled entry stays.
 */
export async function releaseClaim(subject: string, kind: string, recipient: string, owner: string): Promise<void> {
  await deleteIf({
    TableName: config().tableName,
    Key: keys.ledger(subject, kind, recipient),
    ConditionExpression: '#s = :claimed AND claimOwner = :owner',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':claimed': 'claimed', ':owner': owner },
  });
}

/** The status of many ledger entries (undefined: no entry). */
export async function statusMany(entries: Array<{ subject: string; kind: string; recipient: string }>): Promise<Array<LedgerStatus | undefined>> {
  const found = await batchGet(entries.map((e) => keys.ledger(e.subject, e.kind, e.recipient)), 'pk, sk, #s', { '#s': 'status' });
  return entries.map((e) => {
    const k = keys.ledger(e.subject, e.kind, e.recipient);
    return found.get(itemKey(k))?.status as LedgerStatus | undefined;
  });
}

export async function markSent(subject: string, kind: string, recipient: string, messageId: string, nowMs: number): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.ledger(subject, kind, recipient),
      UpdateExpression: 'SET #s = :sent, messageId = :m, sentAt = :at REMOVE #e',
      ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
      ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId, ':at': new Date(nowMs).toISOString() },
    }),
  );
}

/**
 * Records a failed send. Only the owner's own claim is changed: if SES's `Email Sent` event already
 * marked the entry sent (SES took the email although the call failed), it stays sent.
 */
export async function markFailed(subject: string, kind: string, recipient: string, error: string, final: boolean, owner = 'anonymous'): Promise<void> {
  await updateIf({
    TableName: config().tableName,
    Key: keys.ledger(subject, kind, recipient),
    UpdateExpression: 'SET #s = :failed, #e = :e, givenUp = :final',
    ConditionExpression: '#s = :claimed AND claimOwner = :owner',
    ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
    ExpressionAttributeValues: { ':failed': 'failed', ':e': error.slice(0, 500), ':final': final, ':claimed': 'claimed', ':owner': owner },
  });
}

/**
 * SES published `Email Sent` for an email of ours: the entry is sent, whatever its sender managed to
 * record (a crash between SES and `markSent`, or a call that failed after SES took the email).
 * Returns whether the entry changed.
 */
export async function markSentBySes(subject: string, kind: string, recipient: string, messageId: string, sentAtIso: string): Promise<boolean> {
  const changed = await updateIf({
    TableName: config().tableName,
    Key: keys.ledger(subject, kind, recipient),
    UpdateExpression: 'SET #s = :sent, messageId = :m, sentAt = :at, recordedBy = :ses REMOVE #e',
    ConditionExpression: 'attribute_exists(pk) AND (#s = :claimed OR #s = :failed)',
    ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
    ExpressionAttributeValues: { ':sent': 'sent', ':m': messageId, ':at': sentAtIso, ':claimed': 'claimed', ':failed': 'failed', ':ses': 'ses-event' },
  });
  return changed !== undefined;
}

/** Records that an email was not sent because the address is suppressed. */
export async function recordSuppressed(subject: string, kind: string, recipient: string, nowMs: number, expiresAt = expiresFromNow(nowMs)): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: config().tableName,
        Item: {
          ...keys.ledger(subject, kind, recipient),
          subjectId: subject,
          kind,
          recipient,
          status: 'suppressed',
          attempts: 0,
          claimedAt: new Date(nowMs).toISOString(),
          gsi2pk: keys.person(recipient),
          gsi2sk: `LEDGER#${subject}#${kind}`,
          [table.ttl]: expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

export async function getEntry(subject: string, kind: string, recipient: string): Promise<LedgerEntry | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.ledger(subject, kind, recipient), ConsistentRead: true }),
  );
  return out.Item ? toEntry(out.Item) : undefined;
}

/** A ledger item as a delivery-log entry. */
export function toEntry(i: Record<string, unknown>): LedgerEntry {
  return {
    subject: String(i.subjectId),
    kind: String(i.kind),
    recipient: String(i.recipient),
    status: i.status as LedgerStatus,
    attempts: Number(i.attempts ?? 0),
    claimedAt: String(i.claimedAt),
    sentAt: i.sentAt as string | undefined,
    messageId: i.messageId as string | undefined,
    error: i.error as string | undefined,
    ...(i.recordedBy === 'ses-event' ? { recordedBy: 'ses-event' as const } : {}),
  };
}

/** The delivery log of a subject (seminar or deadline), page by page. */
export async function listEntries(subject: string): Promise<LedgerEntry[]> {
  const items = await queryAll({
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': table.pk },
    ExpressionAttributeValues: { ':pk': keys.ledger(subject, '', '').pk },
  });
  return items.map(toEntry);
}

export async function suppress(email: string, reason: string, nowMs: number): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: config().tableName,
      Item: { ...keys.suppressed(email), email, reason, at: new Date(nowMs).toISOString(), gsi2pk: keys.person(email), gsi2sk: 'SUPPRESSED' },
    }),
  );
}

/** Moves the TTL of a subject's whole delivery log (a seminar whose end moved); returns how many entries changed. */
export async function refreshLedgerExpiry(subject: string, expiresAt: number): Promise<number> {
  return refreshExpiry(keys.ledger(subject, '', '').pk, undefined, expiresAt);
}

/** The addresses an email of `kind` about `subject` was sent to (from its delivery log). */
export async function sentRecipients(subject: string, kind: string): Promise<Set<string>> {
  const sent = new Set<string>();
  const pages = queryPages({
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :kind)',
    FilterExpression: '#s = :sent',
    ProjectionExpression: 'recipient',
    ExpressionAttributeNames: { '#pk': table.pk, '#sk': table.sk, '#s': 'status' },
    ExpressionAttributeValues: { ':pk': keys.ledger(subject, '', '').pk, ':kind': keys.ledger(subject, kind, '').sk, ':sent': 'sent' },
    ConsistentRead: true,
  });
  for await (const page of pages) for (const i of page) sent.add(String(i.recipient));
  return sent;
}
