/** SeminarCancelled → its schedules are deleted and every registrant is told, with an `.ics` METHOD:CANCEL. */
import type { EventBridgeEvent } from 'aws-lambda';
import { SeminarCancelled } from '../../events/index.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { deleteSchedule } from '../../shared/aws/schedules.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { allScheduleNames } from './on-seminar-scheduled.js';
import { logger } from '../../shared/log.js';
import { CANCELLED_KIND } from './notice-kinds.js';
import { continueIfUnfinished, stopAtFor } from './continuation.js';
import type { Context } from 'aws-lambda';

export const handler = async (event: EventBridgeEvent<string, unknown>, context?: Context) => {
  const d = SeminarCancelled.schema.parse(event.detail);
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status !== 'cancelled') return { stale: true };
  for (const name of allScheduleNames(s)) await deleteSchedule(name);
  const result = await notifyRegistrants(
    s,
    CANCELLED_KIND,
    (r) => ({ kind: 'seminar-cancelled', name: r.name, reason: d.reason, calendarAttached: true }),
    { invite: 'CANCEL', notice: 'cancelled', bulk: true, stopAt: stopAtFor(context) },
  );
  await continueIfUnfinished(SeminarCancelled, d, result);
  logger.info('Seminar cancelled', { seminarId: s.id, ...result });
  return result;
};
