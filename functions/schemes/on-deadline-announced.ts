/**
 * ApplicationDeadlineAnnounced → the reminder schedules of the round exist (14, 3 and 1 days before by
 * default; moments already past are skipped), and every confirmed subscriber of the scheme gets the
 * announcement once: what the scheme is, how much, the deadline, the guidance sessions with their
 * registration links. A duplicate event sends nothing twice (ledger) and makes the same schedules.
 */
import { ApplicationDeadlineAnnounced } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getDeadline, getScheme } from '../../shared/store/schemes.js';
import { roundStatus } from '../../shared/domain/funding.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { syncDeadlineSchedules } from '../../shared/app/deadline-schedules.js';
import { announcementFor } from '../../shared/app/deadline-messages.js';
import { DEADLINE_ANNOUNCED_KIND } from '../../shared/email/ledger-kinds.js';
import { upcomingGuidanceSessions } from '../../shared/app/scheme-sessions.js';

export const handler = onEvent(ApplicationDeadlineAnnounced, async (d) => {
  const schedules = await syncDeadlineSchedules(d.schemeId, d.deadlineId);
  const [scheme, deadline] = await Promise.all([getScheme(d.schemeId, true), getDeadline(d.schemeId, d.deadlineId)]);
  if (!scheme || !deadline) {
    logger.warn('ApplicationDeadlineAnnounced for an unknown scheme or deadline', { schemeId: d.schemeId, deadlineId: d.deadlineId });
    return { sent: 0, unknown: true };
  }
  const at = now();
  if (!scheme.published || roundStatus(deadline, at) === 'closed') {
    logger.info('Deadline announced for an unpublished scheme or a passed deadline: no emails', { deadlineId: deadline.id });
    return { sent: 0, schedules };
  }
  const upcoming = await upcomingGuidanceSessions(at);
  const result = await notifySubscribers({ kind: 'scheme', id: scheme.id }, deadline.id, DEADLINE_ANNOUNCED_KIND, (s) =>
    announcementFor(scheme, deadline, upcoming, s.language),
  );
  logger.info('Deadline announced', { deadlineId: deadline.id, schedules, ...result });
  return { ...result, schedules };
});
