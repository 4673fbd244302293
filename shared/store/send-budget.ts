/**
 * The account's send budget in the table: one item holding the next free send slot (`tatMs`), shared by
 * every function and every concurrent invocation (Lambda shares no memory between them). A sender takes a
 * few slots at a time with one conditional write (shared/email/send-budget.ts), so SES sees the account's
 * sends spaced 1/rate apart whoever makes them.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../aws/clients.js';
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
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: keys.sendBudget,
        UpdateExpression: 'SET tatMs = :next',
        ConditionExpression: expected === undefined ? 'attribute_not_exists(tatMs)' : 'tatMs = :expected',
        ExpressionAttributeValues: { ':next': next, ...(expected === undefined ? {} : { ':expected': expected }) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { ok: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const old = err.Item as { tatMs?: { N?: string } | number } | undefined;
    const raw = old?.tatMs;
    return { ok: false, now: { tatMs: raw === undefined ? undefined : typeof raw === 'number' ? raw : Number(raw.N) } };
  }
}
