/**
 * A seminar that subscribers were told about (as a new seminar of their series, or as a guidance session of
 * a funding scheme they follow) moved or was cancelled → those who got that announcement and are not
 * confirmed registrants hear about it too (registrants get their own notice, with their `.ics`, from
 * on-seminar-updated / on-seminar-cancelled).
 *
 * - Who: the subscribers of the seminar's series and of the schemes it is a guidance session of, whose
 *   announcement the delivery log shows as sent. Someone who subscribed after the announcement, or
 *   whose announcement never went (suppressed, unsubscribed), is not told of a change to something they
 *   never heard of.
 * - Once each per change, whichever lists they are on: ledger (seminar id, `announced-moved-<sequence>`
 *   or `announced-cancelled`, address).
 * - Only the latest state counts: an update event for a start that is no longer current does nothing, and
 *   a seminar that was cancelled is not announced as moved (shared/notices/series-notices.ts
 *   `announcedSeminarChanged`, one notice per list, through the send queue); a cancellation quotes the
 *   reason stored with the seminar, never the event's.
 */
import { SeminarCancelled, SeminarUpdated } from '../../events/index.js';
import { on, onEvents } from '../../shared/aws/on-event.js';
import type { Seminar } from '../../shared/domain/model.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { confirmedRegistrantEmails } from '../../shared/store/registrations.js';
import { sentRecipients } from '../../shared/store/ledger.js';
import { sameInstant, storedMove } from '../../shared/domain/seminar-rules.js';
import { logger } from '../../shared/log.js';
import { SEMINAR_ANNOUNCED_KIND } from '../../shared/email/ledger-kinds.js';
import { normaliseEmail } from '../../shared/domain/primitives.js';
import { enqueueNotice, type Enqueued } from '../../shared/notices/send-queue.js';
import { announcedLists, announcedSeminarChanged } from '../../shared/notices/series-notices.js';
import type { Stale } from '../../shared/notices/notice.js';

type Change = { change: 'moved'; start: string; sequence: number } | { change: 'cancelled' };

async function tell(seminar: Seminar, change: Change) {
  const lists = await announcedLists(seminar);
  if (!lists.length) return { skipped: 'not announced to any list' };
  const announced = await sentRecipients(seminar.id, SEMINAR_ANNOUNCED_KIND);
  if (!announced.size) return { skipped: 'nobody was told about it' };
  const registrants = await confirmedRegistrantEmails(seminar.id);
  const only = (s: { email: string }) => {
    const email = normaliseEmail(s.email);
    return announced.has(email) && !registrants.has(email);
  };
  const results: Array<Enqueued | Stale> = [];
  for (const { target } of lists) {
    results.push(await enqueueNotice(announcedSeminarChanged, { seminarId: seminar.id, targetKind: target.kind, targetId: target.id, ...change }, { only }));
  }
  logger.info('Subscribers of the lists told of a change to an announced seminar', { seminarId: seminar.id, change: change.change, lists: lists.length });
  return { lists: results };
}

export const handler = onEvents(
  on(SeminarUpdated, async (d) => {
    if (sameInstant(d.previousStart, d.start)) return { skipped: 'not moved' };
    const seminar = await getSeminar(d.seminarId, true);
    if (!seminar || seminar.status !== 'scheduled' || !sameInstant(seminar.start, d.start)) return { stale: true };
    // The move as stored (written by the update route), never the event's previousStart.
    const move = storedMove(seminar);
    if (!move) {
      logger.warn('Move notice not sent: the seminar as stored did not move', { seminarId: seminar.id });
      return { skipped: 'not moved as stored' };
    }
    return tell(seminar, { change: 'moved', start: seminar.start, sequence: move.sequence });
  }),
  on(SeminarCancelled, async (d) => {
    const seminar = await getSeminar(d.seminarId, true);
    if (!seminar || seminar.status !== 'cancelled') return { stale: true };
    return tell(seminar, { change: 'cancelled' });
  }),
);
