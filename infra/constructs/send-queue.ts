/**
 * The send queue (shared/notices/send-queue.ts): fan-outs put notices on it, a few dozen recipient ids per
 * message; the function of the wiring that `drains: 'notices'` takes them through an event source mapping
 * (infra/constructs/wired-function.ts), reporting the messages it did not finish. A message that keeps
 * failing goes to a watched dead-letter queue after `maxReceiveCount` receives.
 *
 * Created in the stack itself (like the other parts), so that its logical ids stay put.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import type { Alarms } from './alarms.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import type { QueueSpec } from '../../shared/spec.js';

export class SendQueue {
  readonly queue: sqs.Queue;
  readonly deadLetter: DeadLetterQueue;

  /** `senderTimeoutSeconds` and `spec`: the draining function's timeout and its `queue` (visibility, receives). */
  constructor(stack: Stack, alarms: Alarms, senderTimeoutSeconds: number, spec: QueueSpec) {
    this.deadLetter = alarms.deadLetterQueue('SendQueueDlq', 'notices the sender could not finish after several attempts (SES or the table failing, or a bug)');
    this.queue = workQueue(stack, 'SendQueue', senderTimeoutSeconds, spec, this.deadLetter.queue);
  }
}

/**
 * A queue a function drains through an event source mapping (a queued function's, or the send queue):
 * encrypted, TLS only, its visibility at AWS's advice for an event source (six times the function's timeout,
 * plus the batching window), to `dlq` after `maxReceiveCount` receives.
 */
export function workQueue(scope: Construct, id: string, timeoutSeconds: number, spec: QueueSpec, dlq: sqs.IQueue): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(6 * timeoutSeconds + spec.maxBatchingWindowSeconds),
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
  });
}

/** The event source mapping of a work queue: batches as `spec` says, failed records reported, `maxConcurrency` batches at once. */
export function workQueueSource(queue: sqs.IQueue, spec: QueueSpec, maxConcurrency: number): SqsEventSource {
  return new SqsEventSource(queue, {
    batchSize: spec.batchSize,
    maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
    maxConcurrency,
    reportBatchItemFailures: true,
  });
}
