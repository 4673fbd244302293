/**
 * The account's send budget in the table: one item holding the next free send slot (`tatMs`), shared by
 * every function and every concurrent invocation (Lambda shares no memory between them). A sender takes a
 * few slots at a time with one conditional write (shared/email/send-budget.ts), so SES sees the account's
 * sends spaced 1/rate apart whoever makes them.
 */
import { leanDynamoClient } from '../aws/clients.js';
import { fromAttributes, isAwsError, toAttributes } from '../aws/lean.js';
import { config } from '../config.js';
import { getRecord } from './items.js';
import { keys } from './keys.js';

export interface BudgetState {
  /** Epoch ms of the next free slot; undefined before the first send. */
  tatMs: number | undefined;
}

export async function readBudget(): Promise<BudgetState> {
  const item = await getRecord<{ tatMs?: number }>(keys.sendBudget, true);
  return { tatMs: item?.tatMs };
}

/**
 * Moves the next free slot from `expected` (as read) to `next`. Undefined when someone else moved it
 * first: then what it is now comes back, for the next try without another read.
 */
export async function advanceBudget(expected: number | undefined, next: number): Promise<{ ok: true } | { ok: false; now: BudgetState }> {
  try {
    // Made once per reservation (a tenth of a second of sends at most): the lean client (shared/aws/lean.ts).
    await leanDynamoClient().call('UpdateItem', {
      TableName: config().tableName,
      Key: toAttributes(keys.sendBudget),
      UpdateExpression: 'SET tatMs = :next',
      ConditionExpression: expected === undefined ? 'attribute_not_exists(tatMs)' : 'tatMs = :expected',
      ExpressionAttributeValues: toAttributes({ ':next': next, ':expected': expected }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return { ok: true };
  } catch (err) {
    if (!isAwsError(err, 'ConditionalCheckFailedException')) throw err;
    // The refused write's old item comes back with the error.
    const tatMs = fromAttributes((err as { Item?: Record<string, { N?: string }> }).Item).tatMs;
    return { ok: false, now: { tatMs: typeof tatMs === 'number' ? tatMs : undefined } };
  }
}
