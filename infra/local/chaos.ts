import type { DeserializeMiddleware } from '@smithy/types';
import type { LeanAnswer, LeanHook } from '../../shared/aws/lean.js';

/** Chaos switches of the local cloud, off by default; tests turn them on through POST /_local/chaos. */
export interface Chaos {
  /** Deliver every event twice. */
  duplicateDeliveries: boolean;
  /** Share (0..1) of SES SendEmail calls answered with a 500 before reaching the mail server. */
  sesFailureRate: number;
  /** Share (0..1) of DynamoDB calls answered with a throttling error. */
  dynamoThrottleRate: number;
  /** Each delivery waits up to this many milliseconds first. */
  deliveryDelayMs: number;
}

export const noChaos = (): Chaos => ({ duplicateDeliveries: false, sesFailureRate: 0, dynamoThrottleRate: 0, deliveryDelayMs: 0 });

/**
 * `dynamoThrottleRate`: a middleware for the handlers' DynamoDB client that answers a share of calls
 * the way DynamoDB does when it throttles (HTTP 400, `ThrottlingException`), below the SDK's retry
 * middleware, so the SDK's own retries and then the event's redelivery have to cope, as on AWS.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function throttleMiddleware(chaos: Chaos): DeserializeMiddleware<any, any> {
  return (next, context) =>
    async (args) => {
      const answer = throttled(chaos, context.commandName ?? 'request');
      if (!answer) return next(args);
      return { output: undefined, response: { ...answer, reason: 'Bad Request', body: new TextEncoder().encode(answer.body) } };
    };
}

/** `dynamoThrottleRate` for the lean client (shared/aws/lean.ts): the same answer, under its retries too. */
export function throttleHook(chaos: Chaos): LeanHook {
  return (call) => (call.service === 'DynamoDB' ? throttled(chaos, call.operation) : undefined);
}

/** A share `dynamoThrottleRate` of calls get DynamoDB's throttling answer (counted); the others none. */
function throttled(chaos: Chaos, what: string): LeanAnswer | undefined {
  if (!(chaos.dynamoThrottleRate > 0) || Math.random() >= chaos.dynamoThrottleRate) return undefined;
  chaosEffects.dynamoThrottled++;
  return {
    statusCode: 400,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `chaos-${Date.now()}` },
    body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: `chaos: ${what} throttled` }),
  };
}

/** What the switches did so far (GET /_local/status): DynamoDB calls throttled, SES calls failed. */
export const chaosEffects = { dynamoThrottled: 0, sesFailures: 0 };
