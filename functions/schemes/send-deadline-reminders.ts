/**
 * ApplicationDeadlineReminderDue → every confirmed subscriber of the scheme gets the reminder once. A
 * schedule made for an old deadline (it moved) or for an offset that was removed does nothing, and so
 * does one that fires at or after the deadline: no reminder goes out after it.
 */
import { ApplicationDeadlineReminderDue } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getDeadline, getScheme } from '../../shared/store/schemes.js';
import { roundStatus } from '../../shared/domain/funding.js';
import { sameInstant } from '../../shared/domain/seminar-rules.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { reminderFor } from '../../shared/app/deadline-messages.js';
import { deadlineReminderKind } from '../../shared/email/ledger-kinds.js';
import { upcomingGuidanceSessions } from '../../shared/app/scheme-sessions.js';

export const handler = onEvent(ApplicationDeadlineReminderDue, async (d) => {
  const [scheme, deadline] = await Promise.all([getScheme(d.schemeId, true), getDeadline(d.schemeId, d.deadlineId)]);
  if (!scheme || !deadline || !scheme.published) {
    logger.info('Deadline reminder for an unknown or unpublished scheme ignored', { deadlineId: d.deadlineId });
    return { sent: 0, stale: true };
  }
  if (!sameInstant(deadline.deadline, d.deadline) || !deadline.reminderOffsets.includes(d.offsetDays)) {
    logger.info('Stale deadline reminder ignored', { deadlineId: d.deadlineId, offsetDays: d.offsetDays });
    return { sent: 0, stale: true };
  }
  const at = now();
  if (roundStatus(deadline, at) === 'closed') {
    logger.info('Deadline reminder after the deadline ignored', { deadlineId: d.deadlineId, offsetDays: d.offsetDays });
    return { sent: 0, passed: true };
  }
  const upcoming = await upcomingGuidanceSessions(at);
  const result = await notifySubscribers({ kind: 'scheme', id: scheme.id }, deadline.id, deadlineReminderKind(deadline, d.offsetDays), (s) =>
    reminderFor(scheme, deadline, upcoming, d.offsetDays, s.language),
  );
  logger.info('Deadline reminders sent', { deadlineId: deadline.id, offsetDays: d.offsetDays, ...result });
  return result;
});
