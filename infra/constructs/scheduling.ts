/**
 * EventBridge Scheduler: the schedule group, the role Scheduler assumes to put due events on the bus,
 * and its dead-letter queue. The schedules themselves are made at runtime (shared/aws/schedules.ts) by
 * the functions that declare `scheduler` in the wiring.
 */
import { ArnFormat, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Alarms } from './alarms.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import { acknowledgeWildcardResource } from './nag.js';

export class Scheduling {
  readonly group: scheduler.ScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(
    private readonly stack: Stack,
    bus: events.EventBus,
    alarms: Alarms,
  ) {
    this.group = new scheduler.ScheduleGroup(stack, 'ScheduleGroup', { removalPolicy: RemovalPolicy.DESTROY });
    this.deadLetterQueue = alarms.deadLetterQueue('SchedulerDlq', 'EventBridge Scheduler could not put a due event (reminder, streaming link, deadline) on the bus');
    this.role = new iam.Role(stack, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to put due events on the bus',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.group.scheduleGroupArn },
        },
      }),
    });
    bus.grantPutEventsTo(this.role);
    // Scheduler sends undeliverable events to the DLQ named in each schedule with this role.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queue.queueArn] }),
    );
  }

  /** May create, update and delete the group's schedules, and pass the scheduler role to Scheduler. */
  grantSchedulingTo(role: iam.Role): void {
    const schedulesArn = this.stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedulesArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeWildcardResource(
      role,
      schedulesArn,
      'Schedule names are made at runtime (deterministic per seminar/deadline); access is limited to schedules in this stack’s schedule group.',
    );
  }
}
