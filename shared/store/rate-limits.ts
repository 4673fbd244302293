/**
 * Fixed-window submission counters in the table (per client IP, per email address): one item per key
 * and window, incremented with a conditional update that fails once the window's maximum is reached,
 * and removed by DynamoDB TTL after the window. The same on AWS and in the local cloud.
 *
 * Keys hold a keyed hash (shared/person.ts), never the address or the IP in clear.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { keyedHash, personHash } from '../person.js';
import { normaliseEmail } from '../domain/primitives.js';
import type { WindowLimit } from '../rate-limits.js';
import { keys, table } from './keys.js';

export type CounterResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counts one request against `limit` for `kind`/`hash`; refuses (without counting) when the window is full. */
export async function countRequest(kind: 'ip' | 'address', hash: string, limit: WindowLimit, nowMs: number): Promise<CounterResult> {
  if (limit.max <= 0) return { ok: true };
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(nowMs / windowMs) * windowMs;
  const end = start + windowMs;
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: keys.rateCounter(kind, hash, start),
        UpdateExpression: 'ADD #n :one SET #ttl = if_not_exists(#ttl, :exp)',
        ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
        ExpressionAttributeNames: { '#n': 'requests', '#ttl': table.ttl },
        // An hour after the window closed: TTL deletion is lazy, and the window no longer counts anyway.
        ExpressionAttributeValues: { ':one': 1, ':max': limit.max, ':exp': Math.ceil(end / 1000) + 3600 },
      }),
    );
    return { ok: true };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((end - nowMs) / 1000)) };
    throw err;
  }
}

export type SubmissionCheck = { ok: true } | { ok: false; limit: 'ip' | 'address'; retryAfterSeconds: number };

/** The per-IP counter, then (when the body names one) the per-address counter. */
export async function checkSubmission(
  input: { ip: string; email?: string },
  limits: { perIp: WindowLimit; perAddress: WindowLimit },
  nowMs: number,
): Promise<SubmissionCheck> {
  if (limits.perIp.max > 0) {
    const r = await countRequest('ip', await keyedHash('ip', input.ip), limits.perIp, nowMs);
    if (!r.ok) return { ok: false, limit: 'ip', retryAfterSeconds: r.retryAfterSeconds };
  }
  if (input.email && limits.perAddress.max > 0) {
    const r = await countRequest('address', await personHash(input.email), limits.perAddress, nowMs);
    if (!r.ok) return { ok: false, limit: 'address', retryAfterSeconds: r.retryAfterSeconds };
  }
  return { ok: true };
}

/** The address a submission is for, if its body names one (JSON or form post). */
export function submittedEmail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const e = (body as Record<string, unknown>).email;
  if (typeof e !== 'string') return undefined;
  const n = normaliseEmail(e);
  return n.length > 0 && n.length <= 254 && n.includes('@') ? n : undefined;
}

/** Deletes every counter of an address (erasure); returns how many there were. */
export async function deleteAddressCounters(email: string): Promise<number> {
  const pk = keys.rateCounter('address', await personHash(email), 0).pk;
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': table.pk },
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const i of out.Items ?? []) {
      await documentClient().send(new DeleteCommand({ TableName: config().tableName, Key: { pk: i.pk, sk: i.sk } }));
      count++;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
}
