/**
 * Moves the DynamoDB TTL (`expiresAt`) of every item of a partition (or of the items whose sort key starts
 * with one of `prefixes`) to `expiresAt`: personal data about a seminar is kept until the retention after
 * its current end, so when the end moves, what was stored about it moves with it. Paged; only items whose
 * TTL differs are written, so a repeated call changes nothing; an item deleted meanwhile (an erasure) is
 * not brought back. Returns how many items changed.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { table } from './keys.js';

export async function refreshExpiry(pk: string, prefixes: string[] | undefined, expiresAt: number, pageSize = 500): Promise<number> {
  const t = config().tableName;
  let changed = 0;
  for (const prefix of prefixes ?? [undefined]) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: t,
          KeyConditionExpression: prefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
          FilterExpression: 'attribute_not_exists(#ttl) OR #ttl <> :exp',
          ProjectionExpression: '#pk, #sk',
          ExpressionAttributeNames: { '#pk': table.pk, '#sk': table.sk, '#ttl': table.ttl },
          ExpressionAttributeValues: { ':pk': pk, ':exp': expiresAt, ...(prefix === undefined ? {} : { ':prefix': prefix }) },
          ExclusiveStartKey: startKey,
          Limit: pageSize,
          ConsistentRead: true,
        }),
      );
      const items = out.Items ?? [];
      for (let i = 0; i < items.length; i += 25) {
        const done = await Promise.all(
          items.slice(i, i + 25).map(async (item) => {
            try {
              await documentClient().send(
                new UpdateCommand({
                  TableName: t,
                  Key: { [table.pk]: item[table.pk], [table.sk]: item[table.sk] },
                  UpdateExpression: 'SET #ttl = :exp',
                  ConditionExpression: 'attribute_exists(#pk)',
                  ExpressionAttributeNames: { '#ttl': table.ttl, '#pk': table.pk },
                  ExpressionAttributeValues: { ':exp': expiresAt },
                }),
              );
              return 1;
            } catch (err) {
              if (err instanceof ConditionalCheckFailedException) return 0; // erased meanwhile
              throw err;
            }
          }),
        );
        changed += done.reduce<number>((a, b) => a + b, 0);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return changed;
}
