/**
 * SeminarReminderDue → every confirmed registrant gets the reminder once: physical attendees the venue,
 * address and doors time; digital attendees the time and when the link comes. A schedule made for an
 * old start (the seminar moved) or for a cancelled seminar does nothing.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { SeminarReminderDue } from '../../events/index.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { sameInstant, seminarMoments } from '../../shared/domain/seminar-rules.js';
import { attendsOnline } from '../../shared/domain/registration-lifecycle.js';
import { logger } from '../../shared/log.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { reminderKind } from './notice-kinds.js';
import { continueIfUnfinished, stopAtFor } from './continuation.js';
import type { Context } from 'aws-lambda';

export const handler = async (event: EventBridgeEvent<string, unknown>, context?: Context) => {
  const detail = SeminarReminderDue.schema.parse(event.detail);
  const s = await getSeminar(detail.seminarId, true);
  // A schedule made for an old start (the seminar moved), for a cancelled seminar, or for a reminder
  // offset that was since removed, does nothing.
  if (!s || s.status !== 'scheduled' || !sameInstant(s.start, detail.start) || !s.reminderOffsetsMinutes.includes(detail.offsetMinutes)) {
    logger.info('Stale reminder ignored', { seminarId: detail.seminarId, status: s?.status });
    return { sent: 0, stale: true };
  }
  const streamingLinkAt = seminarMoments(s).find((m) => m.kind === 'streaming-link')?.at;
  const result = await notifyRegistrants(
    s,
    reminderKind(detail.offsetMinutes, s.start),
    (r) => ({
      kind: 'seminar-reminder',
      name: r.name,
      attendance: r.attendance ?? 'digital',
      streamingUrl: attendsOnline(r) && s.streamingLinkSentAt ? s.streamingUrl : undefined,
      streamingLinkAt,
    }),
    { notice: 'reminder', bulk: true, stopAt: stopAtFor(context) },
  );
  await continueIfUnfinished(SeminarReminderDue, detail, result);
  logger.info('Reminders sent', { seminarId: s.id, ...result });
  return result;
};
