/**
 * The alarm topic (SNS, TLS only, CloudWatch may publish, `alarmEmail` subscribed) and the watched
 * dead-letter queues that notify it.
 *
 * Like the other parts of the stack (infra/constructs/*.ts), this creates its resources directly in the
 * stack, not under a construct of its own: their construct paths, and so the logical ids of a deployed
 * stack, stay as they are.
 */
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { DeadLetterQueue } from './dead-letter-queue.js';

export class Alarms {
  readonly topic: sns.Topic;
  /** Every dead-letter queue made through `deadLetterQueue`, in order. */
  readonly deadLetterQueues: DeadLetterQueue[] = [];

  constructor(
    private readonly stack: Stack,
    alarmEmail: string | undefined,
  ) {
    this.topic = new sns.Topic(stack, 'AlarmTopic', { displayName: 'Seminar events alarms', enforceSSL: true });
    // enforceSSL gives the topic an explicit policy; CloudWatch alarms of this account must still publish.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail));
  }

  /** A dead-letter queue whose first message raises an alarm on the topic. */
  deadLetterQueue(id: string, purpose: string): DeadLetterQueue {
    const dlq = new DeadLetterQueue(this.stack, id, { purpose, alarmTopic: this.topic });
    this.deadLetterQueues.push(dlq);
    return dlq;
  }
}
