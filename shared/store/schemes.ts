/**
 * Funding schemes and their rounds (application deadlines) in the table. A scheme's partition holds
 * the scheme (`META`) and its rounds (`DEADLINE#<id>`), so one query reads a scheme with its rounds; a
 * pointer item `DEADLINE#<id> / META` finds the scheme of a deadline by the deadline's id alone.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import type { Deadline, Scheme } from '../domain/funding.js';
import { keys, table } from './keys.js';
import { getRecord, putNew, queryAll, recordOf, replaceIf } from './items.js';

const strip = recordOf;

const schemeItem = (s: Scheme) => ({
  ...keys.scheme(s.id),
  [table.gsi1.pk]: keys.schemeList,
  [table.gsi1.sk]: `${s.createdAt}#${s.id}`,
  itemType: 'scheme',
  ...s,
});

const deadlineItem = (d: Deadline) => ({ ...keys.deadline(d.schemeId, d.id), itemType: 'deadline', ...d });

export async function createScheme(s: Scheme): Promise<void> {
  await putNew(schemeItem(s));
}

/** Replaces a scheme if its `updatedAt` is still the one read (optimistic locking). */
export async function replaceScheme(s: Scheme, expectedUpdatedAt: string): Promise<boolean> {
  return replaceIf(schemeItem(s), 'updatedAt = :u', { ':u': expectedUpdatedAt });
}

export async function getScheme(id: string, consistent = false): Promise<Scheme | undefined> {
  return getRecord<Scheme>(keys.scheme(id), consistent);
}

/** A scheme and its rounds, in one query (rounds ordered by deadline). */
export async function getSchemeWithRounds(id: string, consistent = false): Promise<{ scheme: Scheme; rounds: Deadline[] } | undefined> {
  let scheme: Scheme | undefined;
  const rounds: Deadline[] = [];
  const items = await queryAll({
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': table.pk },
    ExpressionAttributeValues: { ':pk': keys.schemePartition(id) },
    ConsistentRead: consistent,
  });
  for (const i of items) {
    if (i.sk === keys.scheme(id).sk) scheme = strip<Scheme>(i);
    else if (String(i.sk).startsWith(keys.deadlinePrefix)) rounds.push(strip<Deadline>(i)!);
  }
  if (!scheme) return undefined;
  rounds.sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  return { scheme, rounds };
}

/** Every scheme, oldest first. */
export async function listSchemes(): Promise<Scheme[]> {
  const items = await queryAll({
    IndexName: table.gsi1.name,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': table.gsi1.pk },
    ExpressionAttributeValues: { ':p': keys.schemeList },
  });
  return items.map((i) => strip<Scheme>(i)!);
}

const guidancePut = (t: string, d: Deadline, seminarId: string) => ({
  Put: { TableName: t, Item: { ...keys.guidancePointer(seminarId, d.id), schemeId: d.schemeId, deadlineId: d.id } },
});

/** Stores a new round with its pointer and its guidance-session pointers, in one transaction. */
export async function createDeadline(d: Deadline): Promise<void> {
  const t = config().tableName;
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        { ConditionCheck: { TableName: t, Key: keys.scheme(d.schemeId), ConditionExpression: 'attribute_exists(pk)' } },
        { Put: { TableName: t, Item: deadlineItem(d), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: t, Item: { ...keys.deadlinePointer(d.id), schemeId: d.schemeId }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...d.guidanceSessions.map((id) => guidancePut(t, d, id)),
      ],
    }),
  );
}

/** Replaces a round if its revision is still the one read (optimistic locking), with its guidance pointers. */
export async function replaceDeadline(d: Deadline, previous: Deadline): Promise<boolean> {
  const t = config().tableName;
  const removed = previous.guidanceSessions.filter((id) => !d.guidanceSessions.includes(id));
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: t,
              Item: deadlineItem(d),
              ConditionExpression: 'attribute_exists(pk) AND revision = :r',
              ExpressionAttributeValues: { ':r': previous.revision },
            },
          },
          ...d.guidanceSessions.map((id) => guidancePut(t, d, id)),
          ...removed.map((id) => ({ Delete: { TableName: t, Key: keys.guidancePointer(id, d.id) } })),
        ],
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException || err instanceof TransactionCanceledException) return false;
    throw err;
  }
}

/** The rounds that list a seminar as a guidance session. */
export async function roundsListingSeminar(seminarId: string): Promise<Array<{ schemeId: string; deadlineId: string }>> {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': table.pk },
      ExpressionAttributeValues: { ':pk': keys.guidancePartition(seminarId) },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ schemeId: String(i.schemeId), deadlineId: String(i.deadlineId) }));
}

export async function getDeadline(schemeId: string, id: string, consistent = true): Promise<Deadline | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: keys.deadline(schemeId, id), ConsistentRead: consistent }),
  );
  return strip<Deadline>(out.Item);
}

/** The scheme a deadline belongs to, by the deadline's id alone. */
export async function schemeIdOfDeadline(id: string): Promise<string | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: keys.deadlinePointer(id), ConsistentRead: true }));
  return out.Item ? String(out.Item.schemeId) : undefined;
}

export async function findDeadline(id: string): Promise<Deadline | undefined> {
  const schemeId = await schemeIdOfDeadline(id);
  return schemeId ? getDeadline(schemeId, id) : undefined;
}
