import * as z from 'zod/mini';
import { Id, IsoTime } from '../shared/domain/primitives.js';
import { defineEvent, Sources, V1 } from './define.js';

export const ApplicationDeadlineAnnounced = defineEvent({
  detailType: 'ApplicationDeadlineAnnounced',
  source: Sources.funding,
  description: 'A round of a funding scheme got an application deadline: subscribers are told and reminder schedules are created.',
  schema: () => z.object({ version: V1, schemeId: Id, deadlineId: Id, deadline: IsoTime }),
});

export const ApplicationDeadlineChanged = defineEvent({
  detailType: 'ApplicationDeadlineChanged',
  source: Sources.funding,
  description: 'An application deadline moved: reminders move and subscribers are told.',
  schema: () => z.object({
    version: V1,
    schemeId: Id,
    deadlineId: Id,
    deadline: IsoTime,
    previousDeadline: IsoTime,
    /** The round's revision after the change: one moved-notice per revision. */
    revision: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
});

export const ApplicationDeadlineReminderDue = defineEvent({
  detailType: 'ApplicationDeadlineReminderDue',
  source: Sources.clock,
  description: 'A reminder moment before an application deadline arrived. `deadline` is the deadline the schedule was made for; a stale one does nothing.',
  schema: () => z.object({
    version: V1,
    schemeId: Id,
    deadlineId: Id,
    deadline: IsoTime,
    offsetDays: z.number().check(z.int(), z.positive()),
  }),
});

export const SubscriptionConfirmed = defineEvent({
  detailType: 'SubscriptionConfirmed',
  source: Sources.subscriptions,
  description: 'An address confirmed its subscription to a scheme or a series (double opt-in).',
  schema: () => z.object({
    version: V1,
    subscriptionId: Id,
    target: z.object({ kind: z.enum(['scheme', 'series']), id: Id }),
  }),
});

export const SubscriptionRequested = defineEvent({
  detailType: 'SubscriptionRequested',
  source: Sources.subscriptions,
  description:
    'Someone asked to subscribe an address to a scheme or a series: the confirm-your-address email goes out (double opt-in). `repeat` is set when the address already had a subscription.',
  schema: () => z.object({
    version: V1,
    subscriptionId: Id,
    target: z.object({ kind: z.enum(['scheme', 'series']), id: Id }),
    repeat: z.boolean(),
  }),
});
