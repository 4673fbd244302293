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
import type { Alarms } from './alarms.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import type { QueueSpec } from '../../shared/spec.js';

export class SendQueue {
  readonly queue: sqs.Queue;
  readonly deadLetter: DeadLetterQueue;

  /** `senderTimeoutSeconds` and `spec`: the draining function's timeout and its `queue` (visibility, receives). */
  constructor(stack: Stack, alarms: Alarms, senderTimeoutSeconds: number, spec: QueueSpec) {
    this.deadLetter = alarms.deadLetterQueue('SendQueueDlq', 'notices the sender could not finish after several attempts (SES or the table failing, or a bug)');
    this.queue = new sqs.Queue(stack, 'SendQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for an event source: at least six times the function's timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(6 * senderTimeoutSeconds + spec.maxBatchingWindowSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetter.queue, maxReceiveCount: spec.maxReceiveCount },
    });
  }
}
