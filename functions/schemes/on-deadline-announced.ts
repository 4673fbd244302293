/**
 * ApplicationDeadlineAnnounced → the reminder schedules of the round exist (14, 3 and 1 days before by
 * default; moments already past are skipped), and every confirmed subscriber of the scheme gets the
 * announcement once: what the scheme is, how much, the deadline, the guidance sessions with their
 * registration links (shared/notices/scheme-notices.ts `deadlineAnnounced`, through the send queue). A
 * duplicate event sends nothing twice (ledger) and makes the same schedules.
 */
import { ApplicationDeadlineAnnounced } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getDeadline, getScheme } from '../../shared/store/schemes.js';
import { logger } from '../../shared/log.js';
import { syncDeadlineSchedules } from '../../shared/app/deadline-schedules.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { deadlineAnnounced } from '../../shared/notices/scheme-notices.js';

export const handler = onEvent(ApplicationDeadlineAnnounced, async (d) => {
  const schedules = await syncDeadlineSchedules(d.schemeId, d.deadlineId);
  const [scheme, deadline] = await Promise.all([getScheme(d.schemeId, true), getDeadline(d.schemeId, d.deadlineId)]);
  if (!scheme || !deadline) {
    logger.warn('ApplicationDeadlineAnnounced for an unknown scheme or deadline', { schemeId: d.schemeId, deadlineId: d.deadlineId });
    return { sent: 0, unknown: true };
  }
  // An unpublished scheme or a passed deadline: no emails (the notice says so).
  const enqueued = await enqueueNotice(deadlineAnnounced, { schemeId: d.schemeId, deadlineId: d.deadlineId });
  logger.info('Deadline announced', { deadlineId: deadline.id, schedules, ...enqueued });
  return { ...enqueued, schedules };
});
