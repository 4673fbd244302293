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

export function documentClient(): DynamoDBDocumentClient {
  ddb ??= DynamoDBDocumentClient.from(new DynamoDBClient(retry), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
  return ddb;
}

export function eventBridgeClient(): EventBridgeClient {
  events ??= new EventBridgeClient(retry);
  return events;
}

export function schedulerClient(): SchedulerClient {
  scheduler ??= new SchedulerClient(retry);
  return scheduler;
}

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client(retry);
  return ses;
}
