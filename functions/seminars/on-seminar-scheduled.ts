/**
 * SeminarScheduled → the seminar is published (status `scheduled`) and its one-time schedules exist:
 * reminders and the streaming link. Idempotent: deterministic schedule names, a conditional status write.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { SeminarScheduled, SeminarReminderDue, StreamingLinkDue, type DetailOf } from '../../events/index.js';
import { getSeminar, updateSeminarFields } from '../../shared/store/seminars.js';
import { seminarMoments, sameInstant } from '../../shared/domain/seminar-rules.js';
import { deleteSchedule, putOneTimeSchedule, scheduleName } from '../../shared/aws/schedules.js';
import { logger } from '../../shared/log.js';
import { now } from '../../shared/clock.js';
import type { Seminar } from '../../shared/domain/model.js';

type Detail = DetailOf<typeof SeminarScheduled>;

export const reminderScheduleName = (seminarId: string, offsetMinutes: number) => scheduleName('sem', seminarId, 'reminder', offsetMinutes);
export const streamingScheduleName = (seminarId: string) => scheduleName('sem', seminarId, 'stream');

/**
 * Creates or moves every schedule of a seminar to match its current start and offsets, and deletes the
 * schedules of reminder offsets that were removed.
 */
export async function syncSeminarSchedules(s: Seminar): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  const current = [...new Set(s.reminderOffsetsMinutes)];
  for (const gone of (s.scheduledReminderOffsets ?? []).filter((o) => !current.includes(o))) {
    const name = reminderScheduleName(s.id, gone);
    outcomes[name] = (await deleteSchedule(name)) ? 'deleted' : 'gone';
  }
  for (const m of seminarMoments(s)) {
    if (m.kind === 'reminder') {
      const name = reminderScheduleName(s.id, m.offsetMinutes);
      outcomes[name] = await putOneTimeSchedule({
        name,
        at: m.at,
        event: SeminarReminderDue,
        detail: { version: 1, seminarId: s.id, start: s.start, offsetMinutes: m.offsetMinutes },
        description: `Reminder ${m.offsetMinutes} min before ${s.title}`,
      });
    } else {
      const name = streamingScheduleName(s.id);
      outcomes[name] = await putOneTimeSchedule({
        name,
        at: m.at,
        event: StreamingLinkDue,
        detail: { version: 1, seminarId: s.id, start: s.start },
        description: `Streaming link for ${s.title}`,
      });
    }
  }
  if (JSON.stringify(s.scheduledReminderOffsets ?? []) !== JSON.stringify(current)) {
    await updateSeminarFields(s.id, { scheduledReminderOffsets: current });
  }
  return outcomes;
}

/** Every schedule name a seminar may have (current and earlier reminder offsets, the streaming link). */
export function allScheduleNames(s: Seminar): string[] {
  const offsets = new Set([...s.reminderOffsetsMinutes, ...(s.scheduledReminderOffsets ?? [])]);
  return [...[...offsets].map((o) => reminderScheduleName(s.id, o)), streamingScheduleName(s.id)];
}

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const detail: Detail = SeminarScheduled.schema.parse(event.detail);
  const s = await getSeminar(detail.seminarId, true);
  if (!s) {
    logger.warn('SeminarScheduled for an unknown seminar', { seminarId: detail.seminarId });
    return;
  }
  if (s.status === 'cancelled') {
    logger.info('SeminarScheduled for a cancelled seminar: nothing to do', { seminarId: s.id });
    return;
  }
  if (!sameInstant(s.start, detail.start)) {
    logger.info('SeminarScheduled carries an old start; using the stored one', { seminarId: s.id });
  }
  if (s.status !== 'scheduled') {
    await updateSeminarFields(s.id, { status: 'scheduled', updatedAt: now().toISOString() });
  }
  const outcomes = await syncSeminarSchedules({ ...s, status: 'scheduled' });
  logger.info('Seminar scheduled', { seminarId: s.id, schedules: outcomes });
};
