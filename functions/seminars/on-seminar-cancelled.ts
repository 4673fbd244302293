/**
 * SeminarCancelled → its schedules are deleted and every registrant is told, with an `.ics` METHOD:CANCEL
 * (shared/notices/seminar-notices.ts `seminarCancelled`; the send queue does the sending).
 */
import { SeminarCancelled } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { deleteSchedule } from '../../shared/aws/schedules.js';
import { allScheduleNames } from '../../shared/app/seminar-schedules.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { seminarCancelled } from '../../shared/notices/seminar-notices.js';

export const handler = onEvent(SeminarCancelled, async (d) => {
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status !== 'cancelled') return { stale: 'not cancelled' };
  for (const name of allScheduleNames(s)) await deleteSchedule(name);
  return enqueueNotice(seminarCancelled, { seminarId: s.id });
});
