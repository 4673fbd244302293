import * as z from 'zod/mini';
import { Id, IsoTime } from '../shared/domain/primitives.js';
import { defineEvent, Sources, V1 } from './define.js';

export const SeminarScheduled = defineEvent({
  detailType: 'SeminarScheduled',
  source: Sources.seminars,
  description: 'An admin scheduled (published) a seminar: it opens for registration and its reminder, streaming-link and closing schedules are created.',
  schema: () => z.object({ version: V1, seminarId: Id, start: IsoTime, seriesId: z.optional(Id) }),
});

export const SeminarUpdated = defineEvent({
  detailType: 'SeminarUpdated',
  source: Sources.seminars,
  description:
    'A scheduled seminar changed. When `previousStart` differs from `start` the seminar moved: schedules move and registrants are told. `changedFields` names the changed fields registrants see, and `seriesId` when the seminar joined a series (its subscribers hear of it as new).',
  schema: () => z.object({
    version: V1,
    seminarId: Id,
    start: IsoTime,
    previousStart: IsoTime,
    changedFields: z.array(z.string()),
  }),
});

export const SeminarCancelled = defineEvent({
  detailType: 'SeminarCancelled',
  source: Sources.seminars,
  description: 'A seminar was cancelled: schedules are deleted and registrants are told.',
  schema: () => z.object({ version: V1, seminarId: Id, reason: z.optional(z.string().check(z.maxLength(2000))) }),
});

export const SeminarRecordingPublished = defineEvent({
  detailType: 'SeminarRecordingPublished',
  source: Sources.seminars,
  description: 'The recording is published: registrants and series subscribers get the link.',
  schema: () => z.object({ version: V1, seminarId: Id, url: z.url() }),
});

export const SeminarReminderDue = defineEvent({
  detailType: 'SeminarReminderDue',
  source: Sources.clock,
  description: 'A reminder moment before a seminar arrived. `start` is the start the schedule was made for; a stale schedule (seminar moved or cancelled) does nothing.',
  schema: () => z.object({ version: V1, seminarId: Id, start: IsoTime, offsetMinutes: z.number().check(z.int(), z.positive()) }),
});

export const StreamingLinkDue = defineEvent({
  detailType: 'StreamingLinkDue',
  source: Sources.clock,
  description: 'The moment to send the streaming link to every confirmed registrant arrived.',
  schema: () => z.object({ version: V1, seminarId: Id, start: IsoTime }),
});
