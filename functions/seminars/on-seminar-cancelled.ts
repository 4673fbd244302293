/** SeminarCancelled → its schedules are deleted and every registrant is told, with an `.ics` METHOD:CANCEL. */
import { SeminarCancelled } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { deleteSchedule } from '../../shared/aws/schedules.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { allScheduleNames } from '../../shared/app/seminar-schedules.js';
import { logger } from '../../shared/log.js';
import { SEMINAR_CANCELLED_KIND } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(SeminarCancelled, async (d, ctx) => {
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status !== 'cancelled') return { stale: true };
  for (const name of allScheduleNames(s)) await deleteSchedule(name);
  const result = await notifyRegistrants(
    s,
    SEMINAR_CANCELLED_KIND,
    (r) => ({ kind: 'seminar-cancelled', name: r.name, reason: d.reason, calendarAttached: true }),
    { invite: 'CANCEL', notice: 'cancelled', bulk: true, stopAt: ctx.stopAt },
  );
  logger.info('Seminar cancelled', { seminarId: s.id, ...result });
  return result;
});
