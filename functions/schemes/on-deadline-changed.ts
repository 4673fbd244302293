/**
 * ApplicationDeadlineChanged → every reminder schedule follows the stored deadline (moved, or deleted
 * when its moment has passed: never sent late; removed offsets deleted), and when the deadline itself
 * moved, every confirmed subscriber is told once. An event for a deadline that has changed again since
 * is stale: the later event does the work.
 */
import { ApplicationDeadlineChanged } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getDeadline, getScheme } from '../../shared/store/schemes.js';
import { roundStatus } from '../../shared/domain/funding.js';
import { sameInstant } from '../../shared/domain/seminar-rules.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { syncDeadlineSchedules } from '../../shared/app/deadline-schedules.js';
import { movedFor } from '../../shared/app/deadline-messages.js';
import { deadlineMovedKind } from '../../shared/email/ledger-kinds.js';
import { upcomingGuidanceSessions } from '../../shared/app/scheme-sessions.js';

export const handler = onEvent(ApplicationDeadlineChanged, async (d) => {
  const schedules = await syncDeadlineSchedules(d.schemeId, d.deadlineId);
  const [scheme, deadline] = await Promise.all([getScheme(d.schemeId, true), getDeadline(d.schemeId, d.deadlineId)]);
  if (!scheme || !deadline) return { stale: true, schedules };
  if (!sameInstant(deadline.deadline, d.deadline)) {
    logger.info('Stale ApplicationDeadlineChanged: the deadline has changed again', { deadlineId: d.deadlineId });
    return { stale: true, schedules };
  }
  if (sameInstant(d.previousDeadline, d.deadline)) return { moved: false, schedules };
  const at = now();
  if (!scheme.published || roundStatus(deadline, at) === 'closed') return { moved: true, sent: 0, schedules };
  const upcoming = await upcomingGuidanceSessions(at);
  const result = await notifySubscribers({ kind: 'scheme', id: scheme.id }, deadline.id, deadlineMovedKind(d.revision ?? deadline.revision), (s) =>
    movedFor(scheme, deadline, upcoming, d.previousDeadline, s.language),
  );
  logger.info('Deadline moved', { deadlineId: deadline.id, schedules, ...result });
  return { moved: true, ...result, schedules };
});
