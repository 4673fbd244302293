/**
 * Registrations in the table, and the seat accounting that must never overbook: a physical seat is
 * taken in the same DynamoDB transaction as the registration's confirmation, conditioned on
 * `seatsTaken < capacity`. Keys: shared/store/keys.ts.
 *
 * Items: `SEMINAR#<id> / REG#<registrationId>` (the registration) and `SEMINAR#<id> / EMAIL#<email>`
 * (the guard that keeps one registration per address). Waitlisted registrations carry
 * `gsi1pk = WAITLIST#<seminarId>`, `gsi1sk = <confirmedAt>#<id>` (first come, first served).
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import type { Attendance, Registration, Seminar } from '../domain/model.js';
import { keys, table } from './keys.js';
import { strip as seminarFromItem } from './seminars.js';
import { refreshExpiry } from './expiry.js';

const regKey = keys.registration;
const guardKey = keys.registrationGuard;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fromItem(i: Record<string, unknown> | undefined): Registration | undefined {
  if (!i) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, expiresAt: _g, promotions: _h, ...rest } = i;
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
                Item: { ...regKey(r.seminarId, r.id), ...r, gsi2pk: keys.person(r.email), gsi2sk: keys.personRegistration(r.seminarId), expiresAt },
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
        if (existing && existing.status !== 'cancelled') return { created: false, existing };
        // A cancelled registration does not hold the address: the guard moves to the new one.
        if (existing && (await replaceCancelled({ ...r, replaces: existing.id }, existing.id, expiresAt))) {
          return { created: true, registration: { ...r, replaces: existing.id } };
        }
        if (attempt < 20) continue;
      }
      if (err instanceof TransactionCanceledException && reasons?.some((x) => x.Code === 'TransactionConflict') && attempt < 20) {
        await sleep(backoff(attempt));
        continue;
      }
      throw err;
    }
  }
}

/** Points the address's guard from a cancelled registration to a new one (false if it changed meanwhile). */
async function replaceCancelled(r: Registration, cancelledId: string, expiresAt: number): Promise<boolean> {
  const t = config().tableName;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: t,
              Item: { ...guardKey(r.seminarId, r.email), registrationId: r.id, expiresAt },
              ConditionExpression: 'registrationId = :old',
              ExpressionAttributeValues: { ':old': cancelledId },
            },
          },
          {
            ConditionCheck: {
              TableName: t,
              Key: regKey(r.seminarId, cancelledId),
              ConditionExpression: '#st = :cancelled',
              ExpressionAttributeNames: { '#st': 'status' },
              ExpressionAttributeValues: { ':cancelled': 'cancelled' },
            },
          },
          {
            Put: {
              TableName: t,
              Item: { ...regKey(r.seminarId, r.id), ...r, gsi2pk: keys.person(r.email), gsi2sk: keys.personRegistration(r.seminarId), expiresAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof TransactionCanceledException) return false;
    throw err;
  }
}

export async function findByEmail(seminarId: string, email: string): Promise<Registration | undefined> {
  const guard = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: guardKey(seminarId, email), ConsistentRead: true }));
  if (!guard.Item) return undefined;
  return getRegistration(seminarId, String(guard.Item.registrationId));
}

/** The registrations promoted to the seat(s) that cancelling `causeId` freed (see `PromoteOptions.causeId`). */
export async function promotionsFor(seminarId: string, causeId: string): Promise<string[]> {
  const out = await documentClient().send(
    new GetCommand({ TableName: config().tableName, Key: regKey(seminarId, causeId), ConsistentRead: true, ProjectionExpression: 'promotions' }),
  );
  const set = out.Item?.promotions as Set<string> | undefined;
  return set ? [...set].sort() : [];
}

export async function getRegistration(seminarId: string, id: string): Promise<Registration | undefined> {
  const out = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: regKey(seminarId, id), ConsistentRead: true }));
  return fromItem(out.Item);
}

/**
 * The seminar and one of its registrations in one call (BatchGetItem, strongly consistent for both, as
 * `getSeminar(id, true)` and `getRegistration` are): what the registration handlers and the link pages
 * read. Keys DynamoDB leaves unprocessed are asked for again.
 */
export async function getSeminarAndRegistration(seminarId: string, registrationId: string): Promise<{ seminar?: Seminar; registration?: Registration }> {
  const t = config().tableName;
  const seminarKey = keys.seminar(seminarId);
  let pending: Array<Record<string, unknown>> = [seminarKey, regKey(seminarId, registrationId)];
  const found: Array<Record<string, unknown>> = [];
  for (let attempt = 0; pending.length; attempt++) {
    const out = await documentClient().send(new BatchGetCommand({ RequestItems: { [t]: { Keys: pending, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[t] ?? []));
    pending = out.UnprocessedKeys?.[t]?.Keys ?? [];
    if (pending.length) {
      if (attempt >= 20) throw new Error('BatchGetItem left keys unprocessed');
      await sleep(backoff(attempt));
    }
  }
  const seminarItem = found.find((i) => i.sk === seminarKey.sk);
  const registrationItem = found.find((i) => i.sk !== seminarKey.sk);
  return { seminar: seminarFromItem(seminarItem), registration: fromItem(registrationItem) };
}

export type ConfirmOutcome =
  | {
      outcome: 'physical' | 'digital';
      registration: Registration;
      changed: boolean;
      /**
       * Set when this call tried to take a seat and the seminar refused it: what the seminar held then (from
       * the refused transaction itself), `full` when every seat was taken, `closed` otherwise.
       */
      seatRefused?: 'full' | 'closed';
    }
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
export async function confirmRegistration(
  seminarId: string,
  id: string,
  nowIso: string,
  digitalAllowed: boolean,
  physicalAllowed: boolean,
  /**
   * The registration as the caller just read it (consistently), to save reading it again. Safe even if it
   * changed since: every write below is conditioned on the status still being `pending`, and a refused
   * write reads it again.
   */
  known?: Registration,
): Promise<ConfirmOutcome> {
  const t = config().tableName;
  const current = known && known.seminarId === seminarId && known.id === id ? known : await getRegistration(seminarId, id);
  if (!current) throw new Error(`registration ${id} not found`);
  if (current.status !== 'pending') return describe(current, false);

  let seatRefused: 'full' | 'closed' | undefined;
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
                  // `capacity` is a DynamoDB reserved word: it must go through a name placeholder.
                  ConditionExpression: 'seatsTaken < #cap AND #st = :scheduled',
                  ExpressionAttributeNames: { '#st': 'status', '#cap': 'capacity' },
                  ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
                  // A refusal says why (full or not scheduled), so nobody has to read the seminar again.
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
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
        if (seat?.Code === 'ConditionalCheckFailed') {
          seatRefused = refusalReason(seat.Item); // full (or no longer scheduled)
          break;
        }
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
  const outcome = await describe(done, true);
  return outcome.outcome === 'digital' && seatRefused ? { ...outcome, seatRefused } : outcome;
}

/** Why the seat update of a confirmation was refused, from the seminar item the refusal returned (plain or DynamoDB JSON). */
function refusalReason(item: unknown): 'full' | 'closed' | undefined {
  const i = (item ?? {}) as Record<string, unknown>;
  const value = (v: unknown): unknown => (v && typeof v === 'object' ? ((v as { S?: string }).S ?? (v as { N?: string }).N) : v);
  const taken = Number(value(i.seatsTaken));
  const capacity = Number(value(i.capacity));
  if (!Number.isFinite(taken) || !Number.isFinite(capacity)) return undefined;
  return taken >= capacity ? 'full' : 'closed';
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

export interface PromoteOptions {
  /** When the promotion happens (recorded as `promotedAt`); default now. */
  nowIso?: string;
  /**
   * The cancelled registration whose seat is given away. Each promotion is then also recorded on it
   * (`promotions`, in the same transaction), so a retried event can tell everyone promoted for it,
   * even if the first attempt died between the promotion and its event.
   */
  causeId?: string;
}

/**
 * Gives free seats to the waitlist, first come first served. Idempotent: each promotion is one
 * transaction conditioned on the seat and on the registration still being waitlisted.
 */
export async function promoteFromWaitlist(seminarId: string, opts: PromoteOptions = {}): Promise<Registration[]> {
  const t = config().tableName;
  const promoted: Registration[] = [];
  let recordCause = opts.causeId !== undefined;
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
    const promotedAt = opts.nowIso ?? new Date().toISOString();
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: t,
                Key: keys.seminar(seminarId),
                UpdateExpression: 'SET seatsTaken = seatsTaken + :one',
                ConditionExpression: 'seatsTaken < #cap AND #st = :scheduled',
                ExpressionAttributeNames: { '#st': 'status', '#cap': 'capacity' },
                ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled' },
              },
            },
            {
              Update: {
                TableName: t,
                Key: regKey(seminarId, first.id),
                UpdateExpression: 'SET attendance = :physical, promotedAt = :now REMOVE gsi1pk, gsi1sk',
                ConditionExpression: '#st = :confirmed AND attendance = :waitlisted',
                ExpressionAttributeNames: { '#st': 'status' },
                ExpressionAttributeValues: { ':physical': 'physical', ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':now': promotedAt },
              },
            },
            ...(recordCause
              ? [
                  {
                    Update: {
                      TableName: t,
                      Key: regKey(seminarId, opts.causeId!),
                      UpdateExpression: 'ADD promotions :id',
                      ConditionExpression: 'attribute_exists(pk)',
                      ExpressionAttributeValues: { ':id': new Set([first.id]) },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      promoted.push({ ...first, attendance: 'physical', promotedAt });
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [seat, reg, cause] = err.CancellationReasons ?? [];
      if (cause?.Code === 'ConditionalCheckFailed') {
        recordCause = false; // the cancelled registration is gone (erased): promote without the record
        continue;
      }
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
        ExpressionAttributeValues: { ':pk': keys.seminar(seminarId).pk, ':reg': keys.registrationPrefix },
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        // A fan-out must see a confirmation that landed just before it started (streaming link rule).
        ConsistentRead: true,
      }),
    );
    yield (out.Items ?? []).map((i) => fromItem(i)!);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/**
 * Sets the retention TTL (`expiresAt`) of every registration and address guard of a seminar to
 * `expiresAt` (the seminar's end + the retention: its end moved), page by page. Idempotent: items that
 * have it already are left alone (filtered out by the query), and an item erased meanwhile is not
 * brought back (the update is conditioned on the item existing). Returns how many items changed.
 */
export async function refreshRegistrationExpiry(seminarId: string, expiresAt: number, pageSize = 500): Promise<number> {
  return refreshExpiry(keys.seminar(seminarId).pk, [keys.registrationPrefix, keys.registrationGuardPrefix], expiresAt, pageSize);
}

/** The (lowercased) addresses of a seminar's confirmed registrations: who gets the registrants' notices. */
export async function confirmedRegistrantEmails(seminarId: string): Promise<Set<string>> {
  const emails = new Set<string>();
  for await (const page of registrationPages(seminarId)) {
    for (const r of page) if (r.status === 'confirmed') emails.add(r.email.toLowerCase());
  }
  return emails;
}
