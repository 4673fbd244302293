/**
 * Subscriptions to a scheme's (or a series') notices, with double opt-in. One per address and target:
 * a guard item `SUBS#<kind>#<id> / EMAIL#<email>` is written in the same transaction as the
 * subscription `SUBS#<kind>#<id> / SUB#<subscriptionId>`. Links name the subscription by id, never by
 * address. Personal data is kept only while needed: a pending subscription that is never confirmed,
 * and an unsubscribed one, expire through the table's TTL.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import type { Subscription, SubscriptionTarget } from '../domain/funding.js';
import { keys, table } from './keys.js';
import { batchGetItems, itemKey } from './items.js';

/** Pending and unsubscribed subscriptions are deleted (TTL) this long after their last change. */
export const UNCONFIRMED_RETENTION_DAYS = 30;

const expiryFrom = (atIso: string) => Math.floor(Date.parse(atIso) / 1000) + UNCONFIRMED_RETENTION_DAYS * 86400;
const subKey = (s: Pick<Subscription, 'target' | 'id'>) => keys.subscription(s.target.kind, s.target.id, s.id);
const guardKey = (target: SubscriptionTarget, email: string) => keys.subscriptionGuard(target.kind, target.id, email);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A subscription item without its key, index and TTL attributes. */
export function fromItem(i: Record<string, unknown> | undefined): Subscription | undefined {
  if (!i) return undefined;
  const { pk: _a, sk: _b, gsi2pk: _c, gsi2sk: _d, [table.ttl]: _e, ...rest } = i;
  return rest as unknown as Subscription;
}

export type SubscribeResult =
  | { outcome: 'created'; subscription: Subscription }
  /** The address had unsubscribed: it is pending again and must confirm again. */
  | { outcome: 'resubscribed'; subscription: Subscription }
  | { outcome: 'exists'; subscription: Subscription };

const cancelled = (err: unknown, code: string) =>
  err instanceof TransactionCanceledException && (err.CancellationReasons ?? []).some((r) => r.Code === code);

/** Subscribes an address (pending until confirmed), or tells what it already has. */
export async function subscribe(s: Subscription): Promise<SubscribeResult> {
  const t = config().tableName;
  for (let attempt = 0; ; attempt++) {
    try {
      const expiresAt = expiryFrom(s.requestedAt);
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: t, Item: { ...guardKey(s.target, s.email), subscriptionId: s.id, expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: t,
                Item: { ...subKey(s), ...s, gsi2pk: keys.person(s.email), gsi2sk: `SUB#${s.target.kind}#${s.target.id}`, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { outcome: 'created', subscription: s };
    } catch (err) {
      if (cancelled(err, 'TransactionConflict') && attempt < 20) {
        await sleep(20 * 2 ** Math.min(attempt, 6) * Math.random());
        continue;
      }
      if (!cancelled(err, 'ConditionalCheckFailed')) throw err;
    }
    const guard = await documentClient().send(new GetCommand({ TableName: t, Key: guardKey(s.target, s.email), ConsistentRead: true }));
    const existing = guard.Item ? await getSubscription(s.target, String(guard.Item.subscriptionId)) : undefined;
    if (!existing) {
      // A guard whose subscription expired (TTL removes both, not at the same instant): replace it.
      if (attempt < 3) {
        await documentClient()
          .send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName: t,
                    Key: guardKey(s.target, s.email),
                    ConditionExpression: 'subscriptionId = :id',
                    ExpressionAttributeValues: { ':id': guard.Item?.subscriptionId ?? '' },
                  },
                },
              ],
            }),
          )
          .catch(() => undefined);
        continue;
      }
      throw new Error('subscription guard without subscription');
    }
    if (existing.status !== 'unsubscribed') return { outcome: 'exists', subscription: existing };
    const again = await resubscribe(existing, s.language, s.requestedAt);
    if (again) return { outcome: 'resubscribed', subscription: again };
    // Changed meanwhile: read again.
    const now = await getSubscription(s.target, existing.id);
    return { outcome: 'exists', subscription: now ?? existing };
  }
}

async function resubscribe(existing: Subscription, language: Subscription['language'], at: string): Promise<Subscription | undefined> {
  const t = config().tableName;
  const expiresAt = expiryFrom(at);
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: t,
              Key: subKey(existing),
              UpdateExpression: 'SET #s = :pending, requestedAt = :at, #l = :lang, #e = :exp REMOVE unsubscribedAt, confirmedAt',
              ConditionExpression: '#s = :unsubscribed',
              ExpressionAttributeNames: { '#s': 'status', '#l': 'language', '#e': table.ttl },
              ExpressionAttributeValues: { ':pending': 'pending', ':unsubscribed': 'unsubscribed', ':at': at, ':lang': language, ':exp': expiresAt },
            },
          },
          {
            Update: {
              TableName: t,
              Key: guardKey(existing.target, existing.email),
              UpdateExpression: 'SET #e = :exp',
              ExpressionAttributeNames: { '#e': table.ttl },
              ExpressionAttributeValues: { ':exp': expiresAt },
            },
          },
        ],
      }),
    );
  } catch (err) {
    if (err instanceof TransactionCanceledException) return undefined;
    throw err;
  }
  const { unsubscribedAt: _u, confirmedAt: _c, ...rest } = existing;
  return { ...rest, status: 'pending', requestedAt: at, language };
}

export async function getSubscription(target: SubscriptionTarget, id: string): Promise<Subscription | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.subscription(target.kind, target.id, id), ConsistentRead: true }),
  );
  return fromItem(out.Item);
}

export type ConfirmResult = 'confirmed' | 'already-confirmed' | 'unsubscribed' | 'not-found';

/** pending → confirmed (kept until unsubscribed: no TTL). Only the first confirmation returns `confirmed`. */
export async function confirmSubscription(target: SubscriptionTarget, id: string, at: string): Promise<{ result: ConfirmResult; subscription?: Subscription }> {
  const current = await getSubscription(target, id);
  if (!current) return { result: 'not-found' };
  if (current.status === 'confirmed') return { result: 'already-confirmed', subscription: current };
  if (current.status === 'unsubscribed') return { result: 'unsubscribed', subscription: current };
  const t = config().tableName;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: t,
              Key: subKey(current),
              UpdateExpression: 'SET #s = :confirmed, confirmedAt = :at REMOVE #e',
              ConditionExpression: '#s = :pending',
              ExpressionAttributeNames: { '#s': 'status', '#e': table.ttl },
              ExpressionAttributeValues: { ':confirmed': 'confirmed', ':pending': 'pending', ':at': at },
            },
          },
          {
            Update: {
              TableName: t,
              Key: guardKey(current.target, current.email),
              UpdateExpression: 'REMOVE #e',
              ConditionExpression: 'subscriptionId = :id',
              ExpressionAttributeNames: { '#e': table.ttl },
              ExpressionAttributeValues: { ':id': current.id },
            },
          },
        ],
      }),
    );
    return { result: 'confirmed', subscription: { ...current, status: 'confirmed', confirmedAt: at } };
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const again = await getSubscription(target, id);
    if (!again) return { result: 'not-found' };
    return { result: again.status === 'confirmed' ? 'already-confirmed' : again.status === 'unsubscribed' ? 'unsubscribed' : 'not-found', subscription: again };
  }
}

/** Any status → unsubscribed (then expires). Returns whether this call changed it. */
export async function unsubscribe(target: SubscriptionTarget, id: string, at: string): Promise<{ changed: boolean; subscription?: Subscription }> {
  const current = await getSubscription(target, id);
  if (!current) return { changed: false };
  if (current.status === 'unsubscribed') return { changed: false, subscription: current };
  const t = config().tableName;
  const expiresAt = expiryFrom(at);
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: t,
              Key: subKey(current),
              UpdateExpression: 'SET #s = :unsubscribed, unsubscribedAt = :at, #e = :exp',
              ConditionExpression: 'attribute_exists(pk) AND #s <> :unsubscribed',
              ExpressionAttributeNames: { '#s': 'status', '#e': table.ttl },
              ExpressionAttributeValues: { ':unsubscribed': 'unsubscribed', ':at': at, ':exp': expiresAt },
            },
          },
          {
            Update: {
              TableName: t,
              Key: guardKey(current.target, current.email),
              UpdateExpression: 'SET #e = :exp',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#e': table.ttl },
              ExpressionAttributeValues: { ':exp': expiresAt },
            },
          },
        ],
      }),
    );
    return { changed: true, subscription: { ...current, status: 'unsubscribed', unsubscribedAt: at } };
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    return { changed: false, subscription: await getSubscription(target, id) };
  }
}

/** These subscriptions of a target as stored now (consistent; one BatchGetItem per 100): those gone are left out. */
export async function getSubscriptions(target: SubscriptionTarget, ids: readonly string[]): Promise<Subscription[]> {
  const found = await batchGetItems(ids.map((id) => keys.subscription(target.kind, target.id, id)));
  return ids.flatMap((id) => {
    const item = found.get(itemKey(keys.subscription(target.kind, target.id, id)));
    return item ? [fromItem(item)!] : [];
  });
}

/** The confirmed subscriptions of a target, a page at a time (consistent reads). */
export async function* confirmedSubscriptionPages(target: SubscriptionTarget, pageSize = 500): AsyncGenerator<Subscription[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        FilterExpression: '#s = :confirmed',
        ExpressionAttributeNames: { '#pk': table.pk, '#sk': table.sk, '#s': 'status' },
        ExpressionAttributeValues: { ':pk': keys.subscriptionPartition(target.kind, target.id), ':prefix': keys.subscriptionPrefix, ':confirmed': 'confirmed' },
        ConsistentRead: true,
        Limit: pageSize,
        ExclusiveStartKey: startKey,
      }),
    );
    const page = (out.Items ?? []).map((i) => fromItem(i)!);
    if (page.length) yield page;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** How many subscriptions a target has, by status (for admins). */
export async function countSubscriptions(target: SubscriptionTarget): Promise<Record<'pending' | 'confirmed' | 'unsubscribed', number>> {
  const counts = { pending: 0, confirmed: 0, unsubscribed: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ProjectionExpression: '#s',
        ExpressionAttributeNames: { '#pk': table.pk, '#sk': table.sk, '#s': 'status' },
        ExpressionAttributeValues: { ':pk': keys.subscriptionPartition(target.kind, target.id), ':prefix': keys.subscriptionPrefix },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const i of out.Items ?? []) {
      const s = i.status as keyof typeof counts;
      if (s in counts) counts[s]++;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return counts;
}
