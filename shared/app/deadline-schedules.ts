/**
 * The reminder schedules of a deadline: one one-time schedule per reminder offset, with a deterministic
 * name, that puts `ApplicationDeadlineReminderDue` on the bus. Syncing makes the schedules match the
 * stored deadline: moments in the future are created or moved, moments already past and offsets that
 * were removed are deleted (a reminder is never sent late).
 *
 * The state is always read from the table, never taken from the event, and read again after writing:
 * if the deadline changed meanwhile (a move racing an announcement), the sync runs again, so the last
 * word is always the current deadline.
 */
import { ApplicationDeadlineReminderDue } from '../../events/index.js';
import { reminderMoments, type Deadline } from '../domain/funding.js';
import { deleteSchedule, putOneTimeSchedule, scheduleName } from '../aws/schedules.js';
import { getDeadline } from '../store/schemes.js';
import { nowMs } from '../clock.js';

export const deadlineReminderScheduleName = (deadlineId: string, offsetDays: number) => scheduleName('dl', deadlineId, 'reminder', `${offsetDays}d`);

async function syncOnce(d: Deadline): Promise<Record<string, string>> {
  const outcomes: Record<string, string> = {};
  for (const m of reminderMoments(d)) {
    const name = deadlineReminderScheduleName(d.id, m.offsetDays);
    const outcome =
      m.at.getTime() > nowMs()
        ? await putOneTimeSchedule({
            name,
            at: m.at,
            event: ApplicationDeadlineReminderDue,
            detail: { version: 1, schemeId: d.schemeId, deadlineId: d.id, deadline: d.deadline, offsetDays: m.offsetDays },
            description: `Reminder ${m.offsetDays} days before the deadline ${d.deadline} (${d.round})`,
          })
        : 'skipped-past';
    if (outcome === 'skipped-past') {
      outcomes[name] = (await deleteSchedule(name)) ? 'deleted-past' : 'skipped-past';
    } else outcomes[name] = outcome;
  }
  for (const offset of d.retiredOffsets) {
    const name = deadlineReminderScheduleName(d.id, offset);
    if (await deleteSchedule(name)) outcomes[name] = 'deleted-retired';
  }
  return outcomes;
}

/** Makes the schedules match the stored deadline; returns what it did per schedule name. */
export async function syncDeadlineSchedules(schemeId: string, deadlineId: string): Promise<Record<string, string>> {
  let outcomes: Record<string, string> = {};
  let current = await getDeadline(schemeId, deadlineId);
  for (let round = 0; current && round < 5; round++) {
    outcomes = await syncOnce(current);
    const again = await getDeadline(schemeId, deadlineId);
    if (!again || again.revision === current.revision) break;
    current = again;
  }
  return outcomes;
}
