/**
 * ApplicationDeadlineChanged → every reminder schedule follows the stored deadline (moved, or deleted
 * when its moment has passed: never sent late; removed offsets deleted), and when the change moved the
 * deadline (the round's stored `lastMove` is of its revision), every confirmed subscriber is told once,
 * from where it moved as stored (shared/notices/scheme-notices.ts `deadlineMoved`, through the send
 * queue). An event for a deadline that has changed again since is stale: the later event does the work.
 */
import { ApplicationDeadlineChanged } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getDeadline, getScheme } from '../../shared/store/schemes.js';
import { sameInstant } from '../../shared/domain/seminar-rules.js';
import { logger } from '../../shared/log.js';
import { syncDeadlineSchedules } from '../../shared/app/deadline-schedules.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { deadlineMoved } from '../../shared/notices/scheme-notices.js';

export const handler = onEvent(ApplicationDeadlineChanged, async (d) => {
  const schedules = await syncDeadlineSchedules(d.schemeId, d.deadlineId);
  const [scheme, deadline] = await Promise.all([getScheme(d.schemeId, true), getDeadline(d.schemeId, d.deadlineId)]);
  if (!scheme || !deadline) return { stale: true, schedules };
  if (!sameInstant(deadline.deadline, d.deadline)) {
    logger.info('Stale ApplicationDeadlineChanged: the deadline has changed again', { deadlineId: d.deadlineId });
    return { stale: true, schedules };
  }
  // Whether this change moved the deadline is the round's as stored (its last move and the revision that
  // made it), never the event's previousDeadline: anyone who may put events could make one up.
  const revision = d.revision ?? deadline.revision;
  if (deadline.lastMove?.revision !== revision) return { moved: false, schedules };
  // Unpublished scheme or a passed deadline: nobody is told (the notice says so).
  const enqueued = await enqueueNotice(deadlineMoved, { schemeId: d.schemeId, deadlineId: d.deadlineId, deadline: deadline.deadline, revision });
  logger.info('Deadline moved', { deadlineId: deadline.id, schedules, ...enqueued });
  return { moved: true, ...enqueued, schedules };
});
