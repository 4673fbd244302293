/**
 * SeminarUpdated → the schedules follow the seminar (a moved start, changed reminder offsets); a moved
 * start (the seminar's stored `lastMove`, not the event's `previousStart`) is told to registrants with an
 * updated `.ics` (same UID, higher SEQUENCE), once per move, through the send queue; more capacity gives
 * seats to the waitlist; a moved end moves the retention TTL of the registrations, the address guards and
 * the seminar's delivery log.
 */
import { RegistrationPromoted, SeminarUpdated } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { sameInstant, storedMove } from '../../shared/domain/seminar-rules.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { seminarMoved } from '../../shared/notices/seminar-notices.js';
import { promoteFromWaitlist, refreshRegistrationExpiry } from '../../shared/store/registrations.js';
import { expiresAfter } from '../../shared/retention.js';
import { refreshLedgerExpiry } from '../../shared/store/ledger.js';
import { publish } from '../../shared/aws/publisher.js';
import { syncSeminarSchedules } from '../../shared/app/seminar-schedules.js';
import { logger } from '../../shared/log.js';

export const handler = onEvent(SeminarUpdated, async (d) => {
  const s = await getSeminar(d.seminarId, true);
  // The end moved: personal data is kept until the retention after the *current* end (read just now, so
  // an older event converges on the latest end too). Before the stale checks: it holds for any status.
  if (s && d.changedFields.includes('end')) {
    const registrations = await refreshRegistrationExpiry(s.id, expiresAfter(s.end));
    const deliveryLog = await refreshLedgerExpiry(s.id, expiresAfter(s.end));
    if (registrations + deliveryLog) logger.info('Retention moved with the end', { seminarId: s.id, registrations, deliveryLog });
  }
  if (!s || s.status !== 'scheduled') return { stale: true };
  // Only act on the latest state: an older update event for a start that is no longer current is ignored.
  if (!sameInstant(s.start, d.start)) return { stale: true };

  const promoted = await promoteFromWaitlist(s.id);
  if (promoted.length) {
    await publish(...promoted.map((r) => ({ event: RegistrationPromoted, detail: { version: 1 as const, seminarId: s.id, registrationId: r.id } })));
  }
  // Every update brings the schedules in line: a moved start, or reminder offsets or a streaming-link
  // time that changed (a schedule of a removed offset may still fire; its handler ignores it).
  const schedules = await syncSeminarSchedules(s);
  if (sameInstant(d.previousStart, d.start)) return { moved: false, promoted: promoted.length, schedules };
  // The move is the stored one (the update route wrote it), never the event's previousStart.
  const move = storedMove(s);
  if (!move) {
    logger.warn('Move notice not sent: the seminar as stored did not move', { seminarId: s.id, claimedPreviousStart: d.previousStart });
    return { moved: false, promoted: promoted.length, schedules };
  }

  const enqueued = await enqueueNotice(seminarMoved, { seminarId: s.id, sequence: move.sequence });
  logger.info('Seminar moved', { seminarId: s.id, schedules, ...enqueued });
  return { moved: true, promoted: promoted.length, schedules, ...enqueued };
});
