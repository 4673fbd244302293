/**
 * The item operations every store repeats: create (only if new), replace or update (only if a condition
 * still holds: optimistic locking), read one, query page by page, and the record without its key and index
 * attributes.
 */
import { ConditionalCheckFailedException, TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DeleteCommandInput, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient, leanDynamoClient } from '../aws/clients.js';
import { config } from '../config.js';

/** Key and index attributes, and the item-type tag: not part of the stored record. */
const STORAGE_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'itemType'];

/** The record an item holds, without its key and index attributes. */
export function recordOf<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const rest: Record<string, unknown> = { ...item };
  for (const a of STORAGE_ATTRIBUTES) delete rest[a];
  return rest as T;
}

/** Writes a new item; fails (ConditionalCheckFailedException) if its key is taken. */
export async function putNew(item: Record<string, unknown>): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: config().tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
}

/** Replaces an existing item if `condition` (on the stored one) holds; false if it does not (or it is gone). */
export async function replaceIf(item: Record<string, unknown>, condition: string, values: Record<string, unknown>): Promise<boolean> {
  try {
    await documentClient().send(
      new PutCommand({ TableName: config().tableName, Item: item, ConditionExpression: `attribute_exists(pk) AND (${condition})`, ExpressionAttributeValues: values }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * A new record and the guard that keeps it one per key (an address and a seminar, say), in one transaction
 * that fails if the guard exists: then it answers the id the existing guard holds (`idAttribute`), read
 * from the failed transaction itself (`ReturnValuesOnConditionCheckFailure`). A new record and an existing
 * one thus cost the same one call here, and the caller's read of the record (the new one, or the one the
 * guard names) the same one call after it: a submission's answer time does not tell whether the address
 * was known. `conflict`: another transaction held an item (retry).
 */
export async function createGuarded(
  guard: Record<string, unknown>,
  record: Record<string, unknown>,
  idAttribute: string,
): Promise<{ kind: 'created' } | { kind: 'exists'; id: string } | { kind: 'conflict'; error: unknown }> {
  const t = config().tableName;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: t, Item: guard, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          { Put: { TableName: t, Item: record, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    return { kind: 'created' };
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const [first, second] = err.CancellationReasons ?? [];
    if (first?.Code === 'ConditionalCheckFailed' && first.Item) {
      const old = first.Item as Record<string, unknown>;
      const item = typeof old.pk === 'object' ? unmarshall(old as Record<string, AttributeValue>) : old;
      return { kind: 'exists', id: String(item[idAttribute]) };
    }
    if ([first, second].some((r) => r?.Code === 'TransactionConflict')) return { kind: 'conflict', error: err };
    throw err;
  }
}

/**
 * An UpdateItem whose condition may fail: the item's new attributes (with `ReturnValues: 'ALL_NEW'`;
 * `{}` without), or undefined when the condition did not hold.
 */
export async function updateIf(input: UpdateCommandInput): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await documentClient().send(new UpdateCommand(input));
    return out.Attributes ?? {};
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

/** A DeleteItem whose condition may fail: whether it deleted. */
export async function deleteIf(input: DeleteCommandInput): Promise<boolean> {
  try {
    await documentClient().send(new DeleteCommand(input));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** One item's record by key. */
export async function getRecord<T>(key: { pk: string; sk: string }, consistent = false): Promise<T | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: key, ConsistentRead: consistent }));
  return recordOf<T>(out.Item);
}

/** Every item a query finds (all pages). */
export async function queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  for await (const page of queryPages(input)) items.push(...page);
  return items;
}

/** The items a query finds, page by page (the table is filled in). */
export async function* queryPages(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<Array<Record<string, unknown>>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(new QueryCommand({ ...input, TableName: config().tableName, ExclusiveStartKey: startKey }));
    yield out.Items ?? [];
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** A key's place in the map `batchGetItems` answers. */
export const itemKey = (k: { pk: unknown; sk: unknown }): string => `${k.pk}\u0000${k.sk}`;

/**
 * The BatchGetItem loop of both readers below: the distinct keys, 100 a call; `get` reads one call's keys
 * (in its client's form, `wire`) and answers those left unprocessed, which are retried with backoff.
 */
async function inBatchesOf100<K>(keyList: Array<{ pk: string; sk: string }>, wire: (k: { pk: string; sk: string }) => K, get: (keys: K[]) => Promise<K[] | undefined>): Promise<void> {
  const unique = [...new Map(keyList.map((k) => [itemKey(k), k])).values()];
  for (let start = 0; start < unique.length; start += 100) {
    let pending = unique.slice(start, start + 100).map(wire);
    for (let attempt = 1; pending.length; attempt++) {
      pending = (await get(pending)) ?? [];
      if (pending.length) {
        if (attempt >= 8) throw new Error(`${pending.length} keys could not be read`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      }
    }
  }
}

/**
 * Which of these items exist (one consistent BatchGetItem of their keys per 100), as `itemKey`s. Made for
 * every email of a fan-out (the suppression list, and whether what entitles a recipient is still there),
 * so it goes through the lean client (shared/aws/lean.ts), whose flat items need no document marshalling.
 */
export async function existingKeys(keyList: Array<{ pk: string; sk: string }>): Promise<Set<string>> {
  const found = new Set<string>();
  const table = config().tableName;
  type Key = { pk: { S: string }; sk: { S: string } };
  await inBatchesOf100(keyList, (k): Key => ({ pk: { S: k.pk }, sk: { S: k.sk } }), async (Keys) => {
    const out = await leanDynamoClient().call<{ Responses?: Record<string, Key[]>; UnprocessedKeys?: Record<string, { Keys?: Key[] }> }>('BatchGetItem', {
      RequestItems: { [table]: { Keys, ProjectionExpression: 'pk, sk', ConsistentRead: true } },
    });
    for (const item of out.Responses?.[table] ?? []) found.add(itemKey({ pk: item.pk.S, sk: item.sk.S }));
    return out.UnprocessedKeys?.[table]?.Keys;
  });
  return found;
}

/**
 * Many items by key with BatchGetItem, strongly consistent: 100 keys a call, duplicates folded, unprocessed
 * keys retried with backoff. Answers the items found, by `itemKey`; `projection` (with `names`) narrows them.
 */
export async function batchGetItems(
  keyList: Array<{ pk: string; sk: string }>,
  projection?: { expression: string; names?: Record<string, string> },
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const table = config().tableName;
  await inBatchesOf100(keyList, (k): Record<string, unknown> => k, async (Keys) => {
    const out = await documentClient().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys, ProjectionExpression: projection?.expression, ExpressionAttributeNames: projection?.names, ConsistentRead: true } } }),
    );
    for (const item of out.Responses?.[table] ?? []) found.set(itemKey(item as { pk: unknown; sk: unknown }), item);
    return out.UnprocessedKeys?.[table]?.Keys;
  });
  return found;
}
