/**
 * Registrations in the table, and the seat accounting that must never overbook: a physical seat is
 * taken in the same DynamoDB transaction as the registration's confirmation, conditioned on
 * `seatsTaken < capacity`.
 *
 * Items: `SEMINAR#<id> / REG#<registrationId>` (the registration) and `SEMINAR#<id> / EMAIL#<email>`
 * (the guard that keeps one registration per address). Waitlisted registrations carry
 * `gsi1pk = WAITLIST#<seminarId>`, `gsi1sk = <confirmedAt>#<id>` (first come, first served).
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import type { Attendance, Registration } from '../domain/model.js';
import { keys, table } from './keys.js';

const regKey = (seminarId: string, id: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `REG#${id}` });
const guardKey = (seminarId: string, email: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `EMAIL#${email}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fromItem(i: Record<string, unknown> | undefined): Registration | undefined {
  if (!i) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, expiresAt: _g, ...rest } = i;
  return rest as unknown as Registration;
}

export type SubmitResult = { created: true; registration: Registration } | { created: false; existing: Registration };

/** Stores a new pending registration, unless the address already has one for this seminar. */
export async function submitRegistration(r: Registration, expiresAt: number): Promise<SubmitResult> {
  const t = config().tableName;
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: t, Item: { ...guardKey(r.seminarId, r.email), registrationId: r.id, expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: t,
                Item: { ...regKey(r.seminarId, r.id), ...r, gsi2pk: keys.person(r.email), gsi2sk: `REG#${r.seminarId}`, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { created: true, registration: r };
    } catch (err) {
      const reasons = (err as TransactionCanceledException).CancellationReasons;
      if (err instanceof TransactionCanceledException && reasons?.[0]?.Code === 'ConditionalCheckFailed') {
        const existing = await findByEmail(r.seminarId, r.email);
        if (existing) return { created: false, existing };
      }
      if (err instanceof TransactionCanceledException && reasons?.some((x) => x.Code === 'TransactionConflict') && attempt < 20) {
        await sleep(backoff(attempt));
        continue;
      }
      throw err;
    }
  }
}

export async function findByEmail(seminarId: string, email: string): Promise<Registration | undefined> {
  const guard = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: guardKey(seminarId, email), ConsistentRead: true }));
  if (!guard.Item) return undefined;
  return getRegistration(seminarId, String(guard.Item.registrationId));
}

export async function getRegistration(seminarId: string, id: string): Promise<Registration | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: regKey(seminarId, id), ConsistentRead: true }));
  return fromItem(out.Item);
}

export type ConfirmOutcome =
  | { outcome: 'physical' | 'digital'; registration: Registration; changed: boolean }
  | { outcome: 'waitlisted'; registration: Registration; changed: boolean; position: number }
  | { outcome: 'full'; registration: Registration; changed: boolean }
  | { outcome: 'cancelled'; registration: Registration; changed: false };

function backoff(attempt: number): number {
  return Math.min(500, 10 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random());
}

/**
 * Confirms a pending registration. Physical requests take a seat in one transaction with the
 * confirmation; when none is left the registrant gets digital attendance and/or a waitlist place as
 * they asked. `digitalAllowed` says whether digital registration is open.
 */
export async function confirmRegistration(seminarId: string, id: string, nowIso: string, digitalAllowed: boolean, physicalAllowed: boolean): Promise<ConfirmOutcome> {
  const t = config().tableName;
  const current = await getRegistration(seminarId, id);
  if (!current) throw new Error(`registration ${id} not found`);
  if (current.status !== 'pending') return describe(current, false);

  if (current.requestedMode === 'physical' && physicalAllowed) {
    for (let attempt = 0; ; attempt++) {
      try {
        await documentClient().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: t,
                  Key: keys.seminar(seminarId),
                  UpdateExpression: 'SET seatsTaken = seatsTaken + :one',
                  ConditionExpression: 'seatsTaken < capacity AND #st = :scheduled',
                  ExpressionAttributeNames: { '#st': 'status' },
                  ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
                },
              },
              {
                Update: {
                  TableName: t,
                  Key: regKey(seminarId, id),
                  UpdateExpression: 'SET #st = :confirmed, attendance = :physical, confirmedAt = :now',
                  ConditionExpression: '#st = :pending',
                  ExpressionAttributeNames: { '#st': 'status' },
                  ExpressionAttributeValues: { ':confirmed': 'confirmed', ':physical': 'physical', ':now': nowIso, ':pending': 'pending' },
                },
              },
            ],
          }),
        );
        return { outcome: 'physical', registration: { ...current, status: 'confirmed', attendance: 'physical', confirmedAt: nowIso }, changed: true };
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const [seat, reg] = err.CancellationReasons ?? [];
        if (reg?.Code === 'ConditionalCheckFailed') {
          const now = await getRegistration(seminarId, id);
          return describe(now!, false);
        }
        if (seat?.Code === 'ConditionalCheckFailed') break; // full
        if (attempt < 50) {
          await sleep(backoff(attempt));
          continue;
        }
        throw err;
      }
    }
  }

  // No seat (or digital asked for): digital attendance, a waitlist place, or nothing.
  const wantsWaitlist = current.requestedMode === 'physical' && current.joinWaitlist;
  const digital = current.requestedMode === 'digital' || current.digitalIfFull || wantsWaitlist;
  let attendance: Attendance | undefined;
  if (wantsWaitlist) attendance = 'waitlisted';
  else if (digital && digitalAllowed) attendance = 'digital';
  if (!attendance) {
    const done = await setStatus(seminarId, id, 'pending', { status: 'cancelled', cancelledAt: nowIso, cancelReason: 'full' });
    const r = done ?? (await getRegistration(seminarId, id))!;
    return done ? { outcome: 'full', registration: r, changed: true } : describe(r, false);
  }
  const waitlistFields = attendance === 'waitlisted' ? { [table.gsi1.pk]: keys.waitlist(seminarId), [table.gsi1.sk]: `${nowIso}#${id}` } : {};
  const done = await setStatus(seminarId, id, 'pending', { status: 'confirmed', attendance, confirmedAt: nowIso, ...waitlistFields });
  if (!done) return describe((await getRegistration(seminarId, id))!, false);
  return describe(done, true);
}

async function describe(r: Registration, changed: boolean): Promise<ConfirmOutcome> {
  if (r.status === 'cancelled') {
    return (r as Registration & { cancelReason?: string }).cancelReason === 'full'
      ? { outcome: 'full', registration: r, changed }
      : { outcome: 'cancelled', registration: r, changed: false };
  }
  if (r.attendance === 'waitlisted') return { outcome: 'waitlisted', registration: r, changed, position: await waitlistPosition(r) };
  return { outcome: r.attendance === 'physical' ? 'physical' : 'digital', registration: r, changed };
}

/** Conditional status change; returns the new registration, or undefined if the status was not `from`. */
async function setStatus(seminarId: string, id: string, from: string, fields: Record<string, unknown>): Promise<Registration | undefined> {
  const names: Record<string, string> = { '#st': 'status' };
  const values: Record<string, unknown> = { ':from': from };
  const sets = Object.entries(fields).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:v${i}`] = v;
    return `#f${i} = :v${i}`;
  });
  try {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: regKey(seminarId, id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#st = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(out.Attributes);
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

/** 1-based place on the waitlist (first come, first served by confirmation time). */
export async function waitlistPosition(r: Registration): Promise<number> {
  if (r.attendance !== 'waitlisted' || !r.confirmedAt) return 0;
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        IndexName: table.gsi1.name,
        KeyConditionExpression: '#p = :p AND #s < :mine',
        ExpressionAttributeNames: { '#p': table.gsi1.pk, '#s': table.gsi1.sk },
        ExpressionAttributeValues: { ':p': keys.waitlist(r.seminarId), ':mine': `${r.confirmedAt}#${r.id}` },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count + 1;
}

/** Cancels a registration; a physical seat is freed in the same transaction. */
export async function cancelRegistration(seminarId: string, id: string, nowIso: string): Promise<{ cancelled: boolean; freedSeat: boolean; registration?: Registration }> {
  const t = config().tableName;
  for (let attempt = 0; ; attempt++) {
    const r = await getRegistration(seminarId, id);
    if (!r || r.status === 'cancelled') return { cancelled: false, freedSeat: false, registration: r };
    const regUpdate = {
      TableName: t,
      Key: regKey(seminarId, id),
      UpdateExpression: 'SET #st = :cancelled, cancelledAt = :now REMOVE gsi1pk, gsi1sk',
      ConditionExpression: '#st = :was AND (attribute_not_exists(attendance) OR attendance = :att)',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'cancelled', ':now': nowIso, ':was': r.status, ':att': r.attendance ?? 'none' },
    };
    const freesSeat = r.status === 'confirmed' && r.attendance === 'physical';
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: regUpdate },
            ...(freesSeat
              ? [{ Update: { TableName: t, Key: keys.seminar(seminarId), UpdateExpression: 'SET seatsTaken = seatsTaken - :one', ConditionExpression: 'seatsTaken > :zero', ExpressionAttributeValues: { ':one': 1, ':zero': 0 } } }]
              : []),
          ],
        }),
      );
      return { cancelled: true, freedSeat: freesSeat, registration: { ...r, status: 'cancelled', cancelledAt: nowIso } };
    } catch (err) {
      if (err instanceof TransactionCanceledException && attempt < 50) {
        await sleep(backoff(attempt));
        continue; // changed under us (promoted, conflict): read again
      }
      throw err;
    }
  }
}

/**
 * Gives free seats to the waitlist, first come first served. Idempotent: each promotion is one
 * transaction conditioned on the seat and on the registration still being waitlisted.
 */
export async function promoteFromWaitlist(seminarId: string): Promise<Registration[]> {
  const t = config().tableName;
  const promoted: Registration[] = [];
  for (let guard = 0; guard < 10000; guard++) {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: t,
        IndexName: table.gsi1.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': table.gsi1.pk },
        ExpressionAttributeValues: { ':p': keys.waitlist(seminarId) },
        Limit: 1,
      }),
    );
    const first = fromItem(out.Items?.[0]);
    if (!first) break;
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: t,
                Key: keys.seminar(seminarId),
                UpdateExpression: 'SET seatsTaken = seatsTaken + :one',
                ConditionExpression: 'seatsTaken < capacity AND #st = :scheduled',
                ExpressionAttributeNames: { '#st': 'status' },
                ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
              },
            },
            {
              Update: {
                TableName: t,
                Key: regKey(seminarId, first.id),
                UpdateExpression: 'SET attendance = :physical REMOVE gsi1pk, gsi1sk',
                ConditionExpression: '#st = :confirmed AND attendance = :waitlisted',
                ExpressionAttributeNames: { '#st': 'status' },
                ExpressionAttributeValues: { ':physical': 'physical', ':confirmed': 'confirmed', ':waitlisted': 'waitlisted' },
              },
            },
          ],
        }),
      );
      promoted.push({ ...first, attendance: 'physical' });
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [seat, reg] = err.CancellationReasons ?? [];
      if (seat?.Code === 'ConditionalCheckFailed') break; // no seat left
      if (reg?.Code === 'ConditionalCheckFailed') {
        // The index was stale (already promoted or cancelled); make sure it is off the list and go on.
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      await sleep(backoff(guard));
    }
  }
  return promoted;
}

/** Every registration of a seminar, page by page (for fan-out and exports). */
export async function* registrationPages(seminarId: string, pageSize = 500): AsyncGenerator<Registration[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :reg)',
        ExpressionAttributeNames: { '#pk': table.pk, '#sk': table.sk },
        ExpressionAttributeValues: { ':pk': keys.seminar(seminarId).pk, ':reg': 'REG#' },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
      }),
    );
    yield (out.Items ?? []).map((i) => fromItem(i)!);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}
