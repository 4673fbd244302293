/**
 * One-time schedules (EventBridge Scheduler) that put a catalogued event on our bus at a moment.
 * Names are deterministic, so re-running a handler updates the same schedule instead of adding one.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import type { EventDefinition } from '../../events/define.js';
import { schedulerClient } from './clients.js';
import { config } from '../config.js';
import { nowMs } from '../clock.js';

/** Schedule names: at most 64 characters of [0-9a-zA-Z-_.]; long names keep a readable head and a hash. */
export function scheduleName(...parts: Array<string | number>): string {
  const raw = parts.join('-').replace(/[^0-9A-Za-z_.-]/g, '_');
  if (raw.length <= 64) return raw;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return `${raw.slice(0, 47)}-${hash}`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, the form Scheduler expects. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

export type ScheduleOutcome = 'created' | 'updated' | 'skipped-past';

export async function putOneTimeSchedule<E extends EventDefinition>(args: {
  name: string;
  at: Date;
  event: E;
  detail: z.input<E['schema']>;
  description?: string;
}): Promise<ScheduleOutcome> {
  if (args.at.getTime() <= nowMs()) return 'skipped-past';
  const c = config();
  const detail = args.event.schema.parse(args.detail);
  const input: CreateScheduleCommandInput = {
    Name: args.name,
    GroupName: c.scheduleGroup,
    Description: args.description?.slice(0, 512),
    ScheduleExpression: atExpression(args.at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: c.busArn,
      RoleArn: c.schedulerRoleArn,
      Input: JSON.stringify(detail),
      EventBridgeParameters: { DetailType: args.event.detailType, Source: args.event.source },
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      DeadLetterConfig: c.schedulerDlqArn ? { Arn: c.schedulerDlqArn } : undefined,
    },
  };
  try {
    await schedulerClient().send(new CreateScheduleCommand(input));
    return 'created';
  } catch (err) {
    if (!(err instanceof ConflictException)) throw err;
    await schedulerClient().send(new UpdateScheduleCommand(input));
    return 'updated';
  }
}

/** Deletes a schedule; a schedule that is already gone (fired, or never made) is fine. */
export async function deleteSchedule(name: string): Promise<boolean> {
  try {
    await schedulerClient().send(new DeleteScheduleCommand({ Name: name, GroupName: config().scheduleGroup }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return false;
    throw err;
  }
}
