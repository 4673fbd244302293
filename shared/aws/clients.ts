/**
 * SDK clients, created once per process. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE>
 * variables, so the same code reaches AWS or the local cloud.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DYNAMODB, LeanClient, SESV2, type LeanCall } from './lean.js';

let ddb: DynamoDBDocumentClient | undefined;
let events: EventBridgeClient | undefined;
let scheduler: SchedulerClient | undefined;
let ses: SESv2Client | undefined;
let sqs: SQSClient | undefined;

const retry = { maxAttempts: 6 } as const;

/**
 * AWS calls made by this process, by `Service.Operation` (one per logical call; SDK retries are not
 * counted again). The local cloud reads it for the cost benchmark; on Lambda it is a few map entries.
 */
export const awsCallCounts = new Map<string, number>();

/**
 * DynamoDB items per operation (`DynamoDB.Operation`), for the cost benchmark's read and write units: a
 * BatchGetItem of 50 recipients reads 50 items, not one. Taken from the request (GetItem, PutItem,
 * UpdateItem, DeleteItem: one; the batches' and transactions' items), for Query and Scan from the answer
 * (the items read, ScannedCount). Counted as the calls are, a few map entries per call.
 */
export const awsItemCounts = new Map<string, number>();

type Input = { RequestItems?: Record<string, unknown[] | { Keys?: unknown[] }>; TransactItems?: unknown[] };

/** The items a DynamoDB request names, if the request says (not Query and Scan). */
function requestItems(op: string, input: Input | undefined): number | undefined {
  if (op === 'BatchGetItem' || op === 'BatchWriteItem') {
    let n = 0;
    for (const v of Object.values(input?.RequestItems ?? {})) n += Array.isArray(v) ? v.length : (v.Keys?.length ?? 0);
    return n;
  }
  if (op === 'TransactWriteItems' || op === 'TransactGetItems') return input?.TransactItems?.length ?? 0;
  if (op === 'GetItem' || op === 'PutItem' || op === 'UpdateItem' || op === 'DeleteItem') return 1;
  return undefined;
}

const addTo = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);

/**
 * Counts one call, and for DynamoDB the items its request names; returns false where only the answer
 * says (Query, Scan). The SDK clients' middleware and the lean client (lean.ts) both count here.
 */
export function countAwsCall(service: string, op: string, input: unknown): boolean {
  const key = `${service}.${op}`;
  addTo(awsCallCounts, key, 1);
  if (service !== 'DynamoDB') return true;
  const items = requestItems(op, input as Input | undefined);
  if (items === undefined) return false;
  addTo(awsItemCounts, key, items);
  return true;
}

interface Countable {
  middlewareStack: {
    add: (mw: (next: (a: { input?: unknown }) => Promise<unknown>, ctx: { commandName?: string }) => (a: { input?: unknown }) => Promise<unknown>, o: { step: 'initialize'; name: string }) => void;
    remove: (name: string) => boolean;
  };
}
/**
 * Counts the client's calls, and takes out the SDK's logger middleware: no SDK logger is configured, yet
 * that middleware copies every input and output through the sensitive-data filter on each call (the
 * SDK's no-op logger still has an `info`), which showed in CPU profiles of fan-outs.
 */
function counted<C>(client: C, service: string): C {
  (client as unknown as Countable).middlewareStack.remove('loggerMiddleware');
  (client as unknown as Countable).middlewareStack.add(
    (next, ctx) => (args) => {
      const op = (ctx.commandName ?? 'Unknown').replace(/Command$/, '');
      if (countAwsCall(service, op, args.input)) return next(args);
      return next(args).then((r) => {
        const scanned = (r as { output?: { ScannedCount?: number; Count?: number } }).output;
        addTo(awsItemCounts, `${service}.${op}`, scanned?.ScannedCount ?? scanned?.Count ?? 0);
        return r;
      });
    },
    { step: 'initialize', name: 'countAwsCalls' },
  );
  return client;
}

export function documentClient(): DynamoDBDocumentClient {
  ddb ??= DynamoDBDocumentClient.from(counted(new DynamoDBClient(retry), 'DynamoDB'), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return ddb;
}

export function eventBridgeClient(): EventBridgeClient {
  events ??= counted(new EventBridgeClient(retry), 'EventBridge');
  return events;
}

export function schedulerClient(): SchedulerClient {
  scheduler ??= counted(new SchedulerClient(retry), 'Scheduler');
  return scheduler;
}

/**
 * The SES client resolves its middleware stack once per command class (`cacheMiddleware`), not on every
 * call: a fan-out sends thousands of SendEmails through the same stack, and resolving it cost about a
 * tenth of a millisecond of CPU per email. A stack changed later (the mailer's pacing, a test's faults)
 * drops the resolved handlers, so a change is never missed. (The DynamoDB document client refuses the
 * option: its commands add marshalling middleware of their own.)
 */
function resolvedOnce<C extends SESv2Client>(client: C): C {
  const stack = client.middlewareStack as unknown as Record<'add' | 'addRelativeTo' | 'remove' | 'removeByTag', (...a: unknown[]) => unknown>;
  for (const method of ['add', 'addRelativeTo', 'remove', 'removeByTag'] as const) {
    const change = stack[method].bind(stack);
    stack[method] = (...a: unknown[]) => {
      delete (client as unknown as { handlers?: unknown }).handlers;
      return change(...a);
    };
  }
  return client;
}

export function sesClient(): SESv2Client {
  ses ??= counted(resolvedOnce(new SESv2Client({ ...retry, cacheMiddleware: true })), 'SES');
  return ses;
}

let leanDynamo: LeanClient | undefined;
/** Counted as the SDK's calls are; a call whose items only its answer tells (Query, Scan) would go uncounted, so it is refused here. */
const countCall = (c: LeanCall) => {
  if (!countAwsCall(c.service, c.operation, c.input)) throw new Error(`${c.service}.${c.operation}: only its answer tells its items; send it through the SDK client`);
};
let leanSes: LeanClient | undefined;
/**
 * The lean JSON clients (lean.ts) for the calls made once or twice per email of a fan-out: the ledger's
 * claims and records, and SendEmail. They sign with the credentials the SDK clients resolve.
 */
export function leanDynamoClient(): LeanClient {
  leanDynamo ??= new LeanClient(DYNAMODB, () => documentClient().config.credentials(), { onCall: countCall, maxAttempts: retry.maxAttempts });
  return leanDynamo;
}
export function leanSesClient(): LeanClient {
  leanSes ??= new LeanClient(SESV2, () => sesClient().config.credentials(), { onCall: countCall, maxAttempts: retry.maxAttempts });
  return leanSes;
}

export function sqsClient(): SQSClient {
  sqs ??= counted(new SQSClient(retry), 'SQS');
  return sqs;
}
