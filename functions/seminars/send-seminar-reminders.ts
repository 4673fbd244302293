/**
 * SeminarReminderDue → every confirmed registrant gets the reminder once: physical attendees the venue,
 * address and doors time; digital attendees the time and when the link comes. A schedule made for an
 * old start (the seminar moved) or for a cancelled seminar does nothing, and so does one that arrives
 * before its moment (put by hand early): the real one still sends.
 */
import { SeminarReminderDue } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { momentHasCome, sameInstant, seminarMoments } from '../../shared/domain/seminar-rules.js';
import { now } from '../../shared/clock.js';
import { attendsOnline } from '../../shared/domain/registration-lifecycle.js';
import { logger } from '../../shared/log.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { seminarReminderKind } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(SeminarReminderDue, async (detail, ctx) => {
  const s = await getSeminar(detail.seminarId, true);
  // A schedule made for an old start (the seminar moved), for a cancelled seminar, or for a reminder
  // offset that was since removed, does nothing.
  if (!s || s.status !== 'scheduled' || !sameInstant(s.start, detail.start) || !s.reminderOffsetsMinutes.includes(detail.offsetMinutes)) {
    logger.info('Stale reminder ignored', { seminarId: detail.seminarId, status: s?.status });
    return { sent: 0, stale: true };
  }
  if (!momentHasCome(s, { kind: 'reminder', offsetMinutes: detail.offsetMinutes }, now())) {
    logger.warn('Reminder event ignored: its moment has not come for the seminar as stored', { seminarId: s.id, offsetMinutes: detail.offsetMinutes, now: now().toISOString() });
    return { sent: 0, early: true };
  }
  const streamingLinkAt = seminarMoments(s).find((m) => m.kind === 'streaming-link')?.at;
  const result = await notifyRegistrants(
    s,
    seminarReminderKind(detail.offsetMinutes, s.start),
    (r) => ({
      kind: 'seminar-reminder',
      name: r.name,
      attendance: r.attendance ?? 'digital',
      streamingUrl: attendsOnline(r) && s.streamingLinkSentAt ? s.streamingUrl : undefined,
      streamingLinkAt,
    }),
    { notice: 'reminder', bulk: true, stopAt: ctx.stopAt },
  );
  logger.info('Reminders sent', { seminarId: s.id, ...result });
  return result;
});
