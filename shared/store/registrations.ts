/**
 * Registrations in the table, and the seat accounting that must never overbook: a physical seat is
 * taken in the same DynamoDB transaction as the registration's confirmation, conditioned on
 * `seatsTaken < capacity`. Keys: shared/store/keys.ts.
 *
 * Items: `SEMINAR#<id> / REG#<registrationId>` (the registration) and `SEMINAR#<id> / EMAIL#<email>`
 * (the guard that keeps one registration per address). Waitlisted registrations carry
 * `gsi1pk = WAITLIST#<seminarId>`, `gsi1sk = <confirmedAt>#<id>` (first come, first served).
 */
import { ConditionalCheckFailedException, TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { pauseBeforeRetry } from '../aws/deadline.js';
import { config } from '../config.js';
import type { Registration, Seminar } from '../domain/model.js';
import { normaliseEmail } from '../domain/primitives.js';
import { cancelEffects, placeAtJoin, waitlistOrderKey, type ConfirmStep } from '../domain/registration-lifecycle.js';
import { keys, table } from './keys.js';
import { strip as seminarFromItem } from './seminars.js';
import { refreshExpiry } from './expiry.js';
import { batchGetItems, createGuarded, itemKey, updateIf } from './items.js';

const regKey = keys.registration;
const guardKey = keys.registrationGuard;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A registration item without its key, index and working attributes. */
export function fromItem(i: Record<string, unknown> | undefined): Registration | undefined {
  if (!i) return undefined;
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, expiresAt: _g, promotions: _h, joinClaim: _i, joiningAt: _j, ...rest } = i;
  return rest as unknown as Registration;
}

export type SubmitResult = { created: true; registration: Registration } | { created: false; existing: Registration };

/**
 * Stores a new pending registration, unless the address already has one for this seminar. Both ways cost
 * the same calls: one transaction (which, refused, names the registration the address has) and one
 * consistent read of the registration (the one just stored, or the one before), so the answer's time does
 * not tell a registered address from an unknown one. Only an address whose registration was cancelled
 * takes one more transaction (the guard moves to the new registration).
 */
export async function submitRegistration(r: Registration, expiresAt: number): Promise<SubmitResult> {
  for (let attempt = 0; ; attempt++) {
    const out = await createGuarded(
      { ...guardKey(r.seminarId, r.email), registrationId: r.id, expiresAt },
      { ...regKey(r.seminarId, r.id), ...r, gsi2pk: keys.person(r.email), gsi2sk: keys.personRegistration(r.seminarId), expiresAt },
      'registrationId',
    );
    if (out.kind === 'conflict') {
      if (attempt >= 20) throw out.error;
      await sleep(backoff(attempt));
      continue;
    }
    const stored = await getRegistration(r.seminarId, out.kind === 'created' ? r.id : out.id);
    if (out.kind === 'created') return { created: true, registration: stored ?? r };
    if (stored && stored.status !== 'cancelled') return { created: false, existing: stored };
    // A cancelled registration does not hold the address: the guard moves to the new one.
    if (stored && (await replaceCancelled({ ...r, replaces: stored.id }, stored.id, expiresAt))) {
      return { created: true, registration: { ...r, replaces: stored.id } };
    }
    if (attempt >= 20) throw new Error(`the address's guard for seminar ${r.seminarId} kept changing`);
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
      /** Attending online though a seat was asked for: the seats were full, or physical registration closed. */
      digitalBecause?: 'full' | 'closed';
    }
  | { outcome: 'waitlisted'; registration: Registration; changed: boolean; position: number }
  | { outcome: 'full' | 'closed'; registration: Registration; changed: boolean }
  | { outcome: 'cancelled'; registration: Registration; changed: false };

function backoff(attempt: number): number {
  return Math.min(500, 10 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random());
}

/**
 * What writing a confirmation step gave: done; the registration was no longer pending; another request is
 * confirming it right now (read it again shortly); or the seminar had changed (its item as it is now).
 */
export type ApplyResult =
  | { kind: 'done'; outcome: ConfirmOutcome }
  | { kind: 'not-pending'; outcome: ConfirmOutcome }
  | { kind: 'busy'; registration: Registration }
  | { kind: 'seminar-changed'; seminar: Seminar };

const seminarSet = (i: Record<string, unknown> | undefined): Seminar | undefined => {
  if (!i) return undefined;
  // A refused transaction returns the item in DynamoDB JSON (`pk: { S: … }`).
  return seminarFromItem(typeof i.pk === 'object' ? unmarshall(i as Record<string, AttributeValue>) : i);
};

/**
 * A waitlist join holds the pending registration for its few steps (`joinClaim`), so that a second click
 * confirming at the same moment waits instead of taking a second ticket. A claim older than this (its
 * request died) may be taken over.
 */
const JOIN_CLAIM_MS = 30_000;

/** The condition every confirmation write puts on the registration: still pending, and not held by a live join. */
const PENDING_FREE = '#st = :pending AND (attribute_not_exists(joinClaim) OR joiningAt < :stale)';

/** The seminar's side of taking a seat: only while one is left and the seminar is scheduled; a promotion also counts one off the waitlist. */
function takeSeat(t: string, seminarId: string, leavesWaitlist: boolean) {
  return {
    TableName: t,
    Key: keys.seminar(seminarId),
    UpdateExpression: leavesWaitlist ? 'SET seatsTaken = seatsTaken + :one, #wleft = if_not_exists(#wleft, :zero) + :one' : 'SET seatsTaken = seatsTaken + :one',
    // `capacity` is a DynamoDB reserved word: it must go through a name placeholder.
    ConditionExpression: 'seatsTaken < #cap AND #st = :scheduled',
    ExpressionAttributeNames: { '#st': 'status', '#cap': 'capacity', ...(leavesWaitlist ? { '#wleft': 'waitlistLeft' } : {}) },
    ExpressionAttributeValues: { ':one': 1, ':scheduled': 'scheduled', ...(leavesWaitlist ? { ':zero': 0 } : {}) },
  };
}

/**
 * Writes one confirmation step that shared/domain/registration-lifecycle.ts decided (`decideConfirm`),
 * conditioned on the registration still being pending and on the seminar still being as the decision
 * saw it: a seat is taken only while one is left, a waitlist ticket only while the seats are full. When
 * the seminar changed, its item as it is now comes back for the decision to be made again.
 */
export async function applyConfirmStep(seminarId: string, current: Registration, step: ConfirmStep, nowIso: string): Promise<ApplyResult> {
  const t = config().tableName;
  const id = current.id;
  const stale = Date.now() - JOIN_CLAIM_MS;
  const regUpdate = (sets: Record<string, unknown>, condition = PENDING_FREE, extraValues: Record<string, unknown> = {}, remove = '') => {
    const names: Record<string, string> = { '#st': 'status' };
    const values: Record<string, unknown> = { ':pending': 'pending', ...(condition === PENDING_FREE ? { ':stale': stale } : {}), ...extraValues };
    const parts = Object.entries(sets).map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:v${i}`] = v;
      return `#f${i} = :v${i}`;
    });
    return {
      TableName: t,
      Key: regKey(seminarId, id),
      UpdateExpression: `SET ${parts.join(', ')}${remove ? ` REMOVE ${remove}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  };
  /** A refused write: say what the registration has now, or that another request is still confirming it. */
  const refused = async (): Promise<ApplyResult> => {
    const now = (await getRegistration(seminarId, id))!;
    return now.status === 'pending' ? { kind: 'busy', registration: now } : { kind: 'not-pending', outcome: await describe(now, false) };
  };
  const update = async (sets: Record<string, unknown>): Promise<Registration | undefined> =>
    fromItem(await updateIf({ ...(regUpdate(sets) as UpdateCommandInput), ReturnValues: 'ALL_NEW' }));

  if (step.kind === 'attend-digitally' || step.kind === 'refuse') {
    const done = await update(
      step.kind === 'attend-digitally'
        ? { status: 'confirmed', attendance: 'digital', confirmedAt: nowIso, ...(step.because ? { digitalBecause: step.because } : {}) }
        : { status: 'cancelled', cancelledAt: nowIso, cancelReason: step.reason },
    );
    return done ? { kind: 'done', outcome: await describe(done, true) } : refused();
  }

  if (step.kind === 'join-waitlist') return joinWaitlist(seminarId, current, step.digitalWhileWaiting, nowIso, regUpdate, refused);

  const regFields = { status: 'confirmed', attendance: 'physical', confirmedAt: nowIso };
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            // A refusal returns the seminar as it is, so the decision is made again without reading it.
            { Update: { ...takeSeat(t, seminarId, false), ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Update: regUpdate(regFields) },
          ],
        }),
      );
      return { kind: 'done', outcome: await describe(fromItem({ ...current, ...regFields })!, true) };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [seat, reg] = err.CancellationReasons ?? [];
      if (reg?.Code === 'ConditionalCheckFailed') return refused();
      if (seat?.Code === 'ConditionalCheckFailed') {
        const seminar = seminarSet(seat.Item as Record<string, unknown> | undefined) ?? (await getSeminarAndRegistration(seminarId, id)).seminar;
        if (!seminar) throw new Error(`seminar ${seminarId} not found`);
        return { kind: 'seminar-changed', seminar };
      }
      if (attempt < 50) {
        // Bounded by the invocation's time too (shared/aws/deadline.ts): the caller answers 503 with a Retry-After.
        await pauseBeforeRetry('the seat transaction', backoff(attempt), sleep);
        continue;
      }
      throw err;
    }
  }
}

/**
 * Joins the waitlist, in three steps:
 * 1. the pending registration is claimed for this request (a second click at the same moment is told to
 *    wait, and takes no ticket);
 * 2. the next ticket is taken in one atomic update of the seminar, only while its seats are full (else the
 *    claim is let go and the seminar as it is comes back, for the decision to be made again); the same
 *    update reads how many have left the list, which gives the real place (registration-lifecycle.ts
 *    `placeAtJoin`): no two joiners ever contend for a ticket;
 * 3. the registration is written with its ticket and place, and the claim removed.
 * A request that dies between 2 and 3 leaves its ticket unused: the order is unharmed (it is the index's),
 * and the places told afterwards are one too high until that seminar's list is read again.
 */
async function joinWaitlist(
  seminarId: string,
  current: Registration,
  digitalWhileWaiting: boolean,
  nowIso: string,
  regUpdate: (sets: Record<string, unknown>, condition?: string, values?: Record<string, unknown>, remove?: string) => Record<string, unknown>,
  refused: () => Promise<ApplyResult>,
): Promise<ApplyResult> {
  const t = config().tableName;
  const claim = randomUUID();
  const send = async (params: Record<string, unknown>): Promise<boolean> => (await updateIf(params as unknown as UpdateCommandInput)) !== undefined;
  const mine = { ':claim': claim };
  if (!(await send(regUpdate({ joinClaim: claim, joiningAt: Date.now() })))) return refused();

  let ticket: number;
  let left: number;
  try {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: t,
        Key: keys.seminar(seminarId),
        UpdateExpression: 'SET #wt = if_not_exists(#wt, :zero) + :one, #wleft = if_not_exists(#wleft, :zero)',
        ConditionExpression: 'seatsTaken >= #cap AND #st = :scheduled',
        ExpressionAttributeNames: { '#st': 'status', '#cap': 'capacity', '#wt': 'waitlistTickets', '#wleft': 'waitlistLeft' },
        ExpressionAttributeValues: { ':scheduled': 'scheduled', ':one': 1, ':zero': 0 },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    ticket = Number(out.Attributes?.waitlistTickets);
    left = Number(out.Attributes?.waitlistLeft ?? 0);
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    await send({ TableName: t, Key: regKey(seminarId, current.id), UpdateExpression: 'REMOVE joinClaim, joiningAt', ConditionExpression: 'joinClaim = :claim', ExpressionAttributeValues: mine });
    const seminar = seminarSet(err.Item as Record<string, unknown> | undefined) ?? (await getSeminarAndRegistration(seminarId, current.id)).seminar;
    if (!seminar) throw new Error(`seminar ${seminarId} not found`);
    return { kind: 'seminar-changed', seminar };
  }
  const place = placeAtJoin(ticket, left);
  const regFields = {
    status: 'confirmed',
    attendance: 'waitlisted',
    confirmedAt: nowIso,
    digitalWhileWaiting,
    waitlistTicket: ticket,
    waitlistPlace: place,
    [table.gsi1.pk]: keys.waitlist(seminarId),
    [table.gsi1.sk]: waitlistOrderKey({ id: current.id, waitlistTicket: ticket }),
  };
  if (!(await send(regUpdate(regFields, '#st = :pending AND joinClaim = :claim', mine, 'joinClaim, joiningAt')))) {
    // Cancelled meanwhile, or the claim was taken over: the ticket holds no one up.
    await send({ TableName: t, ...leftWaitlist(seminarId) });
    return refused();
  }
  return { kind: 'done', outcome: await describe(fromItem({ ...current, ...regFields })!, true) };
}

/** What a registration has, for the confirm answers; a waitlist place as it is now (or as the join wrote it). */
export const confirmOutcomeOf = (r: Registration) => describe(r, false);

async function describe(r: Registration, changed: boolean): Promise<ConfirmOutcome> {
  if (r.status === 'cancelled') {
    return r.cancelReason === 'full' || r.cancelReason === 'closed'
      ? { outcome: r.cancelReason, registration: r, changed }
      : { outcome: 'cancelled', registration: r, changed: false };
  }
  if (r.attendance === 'waitlisted') {
    const position = changed && r.waitlistPlace ? r.waitlistPlace : await waitlistPosition(r);
    return { outcome: 'waitlisted', registration: r, changed, position };
  }
  const because = r.digitalBecause;
  return { outcome: r.attendance === 'physical' ? 'physical' : 'digital', registration: r, changed, ...(because && r.attendance === 'digital' ? { digitalBecause: because } : {}) };
}

/**
 * 1-based place on the waitlist now: those ahead in the list's order, counted on the index (for the
 * pages and emails that show a place later; the confirmation itself tells the place its join wrote).
 */
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
        ExpressionAttributeValues: { ':p': keys.waitlist(r.seminarId), ':mine': waitlistOrderKey(r) },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count + 1;
}

/** A ticketed registration leaving the waitlist is counted (its place no longer holds anyone up). */
const leftWaitlist = (seminarId: string) => ({
  Key: keys.seminar(seminarId),
  UpdateExpression: 'SET #wleft = if_not_exists(#wleft, :zero) + :one',
  ExpressionAttributeNames: { '#wleft': 'waitlistLeft' },
  ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
});

/** Records that the registrant wants no more emails about the seminar; the registration itself stays as it is. */
export async function stopSeminarEmails(seminarId: string, id: string, nowIso: string): Promise<{ stopped: boolean; registration?: Registration }> {
  const done = await updateIf({
    TableName: config().tableName,
    Key: regKey(seminarId, id),
    UpdateExpression: 'SET emailsStoppedAt = :now',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(emailsStoppedAt)',
    ExpressionAttributeValues: { ':now': nowIso },
    ReturnValues: 'ALL_NEW',
  });
  return done ? { stopped: true, registration: fromItem(done) } : { stopped: false, registration: await getRegistration(seminarId, id) };
}

/**
 * Cancels a registration (whether it may be is the caller's question: registration-lifecycle.ts
 * `decideCancel`); a physical seat is freed, and a waitlist place given up, in the same transaction.
 */
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
    const { freesSeat, leavesWaitlist } = cancelEffects(r);
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: regUpdate },
            ...(freesSeat
              ? [{ Update: { TableName: t, Key: keys.seminar(seminarId), UpdateExpression: 'SET seatsTaken = seatsTaken - :one', ConditionExpression: 'seatsTaken > :zero', ExpressionAttributeValues: { ':one': 1, ':zero': 0 } } }]
              : []),
            ...(leavesWaitlist && r.waitlistTicket !== undefined ? [{ Update: { TableName: t, ...leftWaitlist(seminarId) } }] : []),
          ],
        }),
      );
      return { cancelled: true, freedSeat: freesSeat, registration: { ...r, status: 'cancelled', cancelledAt: nowIso } };
    } catch (err) {
      if (err instanceof TransactionCanceledException && attempt < 50) {
        await pauseBeforeRetry('the cancel transaction', backoff(attempt), sleep);
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
            // A ticketed entry is counted as having left the list.
            { Update: takeSeat(t, seminarId, first.waitlistTicket !== undefined) },
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

/** These registrations of a seminar as stored now (consistent; one BatchGetItem per 100): those gone are left out. */
export async function getRegistrations(seminarId: string, ids: readonly string[]): Promise<Registration[]> {
  const found = await batchGetItems(ids.map((id) => keys.registration(seminarId, id)));
  return ids.flatMap((id) => {
    const item = found.get(itemKey(keys.registration(seminarId, id)));
    return item ? [fromItem(item)!] : [];
  });
}

/** Every registration of a seminar, page by page (for exports and the erasers). */
export async function* registrationPages(seminarId: string, pageSize = 500): AsyncGenerator<Registration[]> {
  for await (const page of registrationItemPages(seminarId, pageSize)) yield page.map((i) => fromItem(i)!);
}

/** What a fan-out reads of each registration: who it is, and whether the notice goes to them (`receivesNotice`). */
export type NoticeRecipient = Pick<Registration, 'id' | 'email' | 'status' | 'attendance' | 'digitalWhileWaiting' | 'emailsStoppedAt'>;
const NOTICE_RECIPIENT_FIELDS = ['id', 'email', 'status', 'attendance', 'digitalWhileWaiting', 'emailsStoppedAt'] as const satisfies ReadonlyArray<keyof NoticeRecipient>;

/**
 * A seminar's registrations as a fan-out needs them (shared/notices/send-queue.ts), page by page: only the
 * fields that say who gets a notice, so that paging 100,000 parses and holds a fifth of what whole items
 * would be (the sender reads each recipient's whole item again by key).
 */
export async function* noticeRecipientPages(seminarId: string, pageSize = 500): AsyncGenerator<NoticeRecipient[]> {
  for await (const page of registrationItemPages(seminarId, pageSize, NOTICE_RECIPIENT_FIELDS)) yield page as NoticeRecipient[];
}

/** The registration items of a seminar, page by page (strongly consistent), all their attributes or `fields`. */
async function* registrationItemPages(seminarId: string, pageSize: number, fields?: readonly string[]): AsyncGenerator<Array<Record<string, unknown>>> {
  const names = Object.fromEntries((fields ?? []).map((f, i) => [`#f${i}`, f]));
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :reg)',
        ExpressionAttributeNames: { '#pk': table.pk, '#sk': table.sk, ...names },
        ExpressionAttributeValues: { ':pk': keys.seminar(seminarId).pk, ':reg': keys.registrationPrefix },
        ...(fields ? { ProjectionExpression: Object.keys(names).join(', ') } : {}),
        ExclusiveStartKey: startKey,
        Limit: pageSize,
        // A fan-out must see a confirmation that landed just before it started (streaming link rule).
        ConsistentRead: true,
      }),
    );
    yield out.Items ?? [];
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
  for await (const page of noticeRecipientPages(seminarId)) {
    for (const r of page) if (r.status === 'confirmed') emails.add(normaliseEmail(r.email));
  }
  return emails;
}
