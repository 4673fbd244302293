/**
 * SDK clients, created once per process. Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE>
 * variables, so the same code reaches AWS or the local cloud.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';

let ddb: DynamoDBDocumentClient | undefined;
let events: EventBridgeClient | undefined;
let scheduler: SchedulerClient | undefined;
let ses: SESv2Client | undefined;

const retry = { maxAttempts: 6 } as const;

/**
 * AWS calls made by this process, by `Service.Operation` (one per logical call; SDK retries are not
 * counted again). The local cloud reads it for the cost benchmark; on Lambda it is a few map entries.
 */
export const awsCallCounts = new Map<string, number>();

interface Countable {
  middlewareStack: {
    add: (mw: (next: (a: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (a: unknown) => Promise<unknown>, o: { step: 'initialize'; name: string }) => void;
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
      const key = `${service}.${(ctx.commandName ?? 'Unknown').replace(/Command$/, '')}`;
      awsCallCounts.set(key, (awsCallCounts.get(key) ?? 0) + 1);
      return next(args);
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

export function sesClient(): SESv2Client {
  ses ??= counted(new SESv2Client(retry), 'SES');
  return ses;
}
