/**
 * The per-recipient email ledger (ARCHITECTURE principle 4). One item per (subject, kind, recipient):
 * claimed with a conditional put before sending, marked `sent` with the SES message id after, or
 * `failed` with the reason. It is also the delivery log admins read.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { keys, table } from './keys.js';

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
}

/** A claim older than this is taken to be from a crashed sender and may be claimed again. */
export const CLAIM_LEASE_MS = Number(process.env.LEDGER_CLAIM_LEASE_MS ?? 5 * 60_000);
/** Sends are given up (status stays `failed`) after this many attempts. */
export const MAX_SEND_ATTEMPTS = 8;

/**
 * Claims the right to send. Succeeds for a new entry, a `failed` one with attempts left, or a stale
 * claim; fails (returns false) when the email was sent, is being sent, or was given up.
 */
export async function claim(subject: string, kind: string, recipient: string, nowMs: number): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: keys.ledger(subject, kind, recipient),
        UpdateExpression:
          'SET #s = :claimed, claimedAt = :now, claimedAtMs = :nowMs, attempts = if_not_exists(attempts, :zero) + :one, ' +
          'subjectId = :subject, kind = :kind, recipient = :recipient, gsi2pk = :person, gsi2sk = :ledgerSk',
        ConditionExpression:
          'attribute_not_exists(pk) OR (#s = :failed AND attempts < :max) OR (#s = :claimed AND claimedAtMs < :stale)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':failed': 'failed',
          ':now': new Date(nowMs).toISOString(),
          ':nowMs': nowMs,
          ':stale': nowMs - CLAIM_LEASE_MS,
          ':zero': 0,
          ':one': 1,
          ':max': MAX_SEND_ATTEMPTS,
          ':subject': subject,
          ':kind': kind,
          ':recipient': recipient,
          ':person': keys.person(recipient),
          ':ledgerSk': `LEDGER#${subject}#${kind}`,
        },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
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

export async function markFailed(subject: string, kind: string, recipient: string, error: string, final: boolean): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.ledger(subject, kind, recipient),
      UpdateExpression: 'SET #s = :failed, #e = :e, givenUp = :final',
      ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
      ExpressionAttributeValues: { ':failed': 'failed', ':e': error.slice(0, 500), ':final': final },
    }),
  );
}

/** Records that an email was not sent because the address is suppressed. */
export async function recordSuppressed(subject: string, kind: string, recipient: string, nowMs: number): Promise<void> {
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

function toEntry(i: Record<string, unknown>): LedgerEntry {
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
  };
}

/** The delivery log of a subject (seminar or deadline), page by page. */
export async function listEntries(subject: string): Promise<LedgerEntry[]> {
  const items: LedgerEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': table.pk },
        ExpressionAttributeValues: { ':pk': keys.ledger(subject, '', '').pk },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const i of out.Items ?? []) items.push(toEntry(i));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function isSuppressed(email: string): Promise<boolean> {
  const out = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: keys.suppressed(email) }));
  return Boolean(out.Item);
}

export async function suppress(email: string, reason: string, nowMs: number): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: config().tableName,
      Item: { ...keys.suppressed(email), email, reason, at: new Date(nowMs).toISOString(), gsi2pk: keys.person(email), gsi2sk: 'SUPPRESSED' },
    }),
  );
}
