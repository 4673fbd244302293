/** Seminars in the table. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import type { Seminar } from '../domain/model.js';
import { keys, table } from './keys.js';
import { getRecord, putNew, queryAll, recordOf, replaceIf } from './items.js';

/** A seminar item without its key and index attributes (exported for reads that batch it with other items). */
export const strip = (item: Record<string, unknown> | undefined) => recordOf<Seminar>(item);

function item(s: Seminar) {
  return {
    ...keys.seminar(s.id),
    [table.gsi1.pk]: keys.seminarList,
    [table.gsi1.sk]: `${new Date(s.start).toISOString()}#${s.id}`,
    ...s,
  };
}

export async function createSeminar(s: Seminar): Promise<void> {
  await putNew(item(s));
}

/**
 * Replaces a seminar if its `updatedAt` is still the one read (optimistic locking) and no seat was
 * taken or freed since (`seatsTaken` changes without `updatedAt`; writing back an old count would
 * lose a seat and let the seminar be overbooked).
 */
export async function replaceSeminar(s: Seminar, expectedUpdatedAt: string): Promise<boolean> {
  return replaceIf(item(s), 'updatedAt = :u AND seatsTaken = :seats', { ':u': expectedUpdatedAt, ':seats': s.seatsTaken });
}

export async function getSeminar(id: string, consistent = false): Promise<Seminar | undefined> {
  return getRecord<Seminar>(keys.seminar(id), consistent);
}

/** Seminars by start time, oldest first, from `fromIso` on. */
export async function listSeminars(fromIso?: string): Promise<Seminar[]> {
  const items = await queryAll({
    IndexName: table.gsi1.name,
    KeyConditionExpression: fromIso ? '#p = :p AND #s >= :from' : '#p = :p',
    ExpressionAttributeNames: { '#p': table.gsi1.pk, ...(fromIso ? { '#s': table.gsi1.sk } : {}) },
    ExpressionAttributeValues: { ':p': keys.seminarList, ...(fromIso ? { ':from': fromIso } : {}) },
  });
  return items.map((i) => strip(i)!);
}

/**
 * The seminars of a series, any status, by start: the seminar list (gsi1) read with a filter on
 * `seriesId` (a series has no item of its own; shared/domain/series.ts).
 */
export async function listSeminarsInSeries(seriesId: string): Promise<Seminar[]> {
  const items = await queryAll({
    IndexName: table.gsi1.name,
    KeyConditionExpression: '#p = :p',
    FilterExpression: 'seriesId = :series',
    ExpressionAttributeNames: { '#p': table.gsi1.pk },
    ExpressionAttributeValues: { ':p': keys.seminarList, ':series': seriesId },
  });
  return items.map((i) => strip(i)!);
}

/** Sets fields of a seminar (no key fields). */
export async function updateSeminarFields(id: string, fields: Partial<Seminar>): Promise<void> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(fields).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:v${i}`] = v;
    return `#f${i} = :v${i}`;
  });
  if (sets.length === 0) return;
  await documentClient().send(
    new UpdateCommand({
      TableName: config().tableName,
      Key: keys.seminar(id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}
