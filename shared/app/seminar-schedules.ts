/**
 * The one-time schedules of a seminar: its reminders and its streaming link, each with a deterministic
 * name, putting `SeminarReminderDue` or `StreamingLinkDue` on the bus. Syncing makes them match the
 * seminar's current start and offsets; a schedule of a removed offset is deleted.
 */
import { SeminarReminderDue, StreamingLinkDue } from '../../events/index.js';
import type { Seminar } from '../domain/model.js';
import { seminarMoments } from '../domain/seminar-rules.js';
import { deleteSchedule, putOneTimeSchedule, scheduleName } from '../aws/schedules.js';
import { updateSeminarFields } from '../store/seminars.js';

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
