/**
 * SeminarScheduled → the seminar is published (status `scheduled`) and its one-time schedules exist:
 * reminders and the streaming link. Idempotent: deterministic schedule names, a conditional status write.
 */
import { SeminarScheduled } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar, updateSeminarFields } from '../../shared/store/seminars.js';
import { sameInstant } from '../../shared/domain/seminar-rules.js';
import { syncSeminarSchedules } from '../../shared/app/seminar-schedules.js';
import { logger } from '../../shared/log.js';
import { now } from '../../shared/clock.js';

export const handler = onEvent(SeminarScheduled, async (detail) => {
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
});
