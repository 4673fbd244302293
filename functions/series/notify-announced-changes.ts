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
 *   a seminar that was cancelled is not announced as moved.
 */
import { SeminarCancelled, SeminarUpdated } from '../../events/index.js';
import { on, onEvents } from '../../shared/aws/on-event.js';
import type { Seminar } from '../../shared/domain/model.js';
import { schemeName, type SubscriptionTarget } from '../../shared/domain/funding.js';
import type { AnnouncedSeminarChangedMessage } from '../../shared/email/templates.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { getScheme } from '../../shared/store/schemes.js';
import { confirmedRegistrantEmails } from '../../shared/store/registrations.js';
import { sentRecipients } from '../../shared/store/ledger.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import type { NotifyResult } from '../../shared/email/notify.js';
import { registerPageUrl } from '../../shared/links.js';
import { sameInstant, storedMove } from '../../shared/domain/seminar-rules.js';
import { logger } from '../../shared/log.js';
import { ANNOUNCED_CANCELLED_KIND, SEMINAR_ANNOUNCED_KIND, announcedMovedKind } from '../../shared/email/ledger-kinds.js';
import { tiesOf } from '../../shared/app/scheme-sessions.js';
import { loadSeries } from '../../shared/app/series.js';
import { normaliseEmail, type Lang } from '../../shared/domain/primitives.js';

type Change = AnnouncedSeminarChangedMessage['change'];

/** The lists the seminar was announced on, each with the name a subscriber's email gives it. */
interface AnnouncedOn {
  target: SubscriptionTarget;
  context: (lang: Lang) => Pick<AnnouncedSeminarChangedMessage, 'series' | 'scheme'>;
}
async function listsOf(seminar: Seminar): Promise<AnnouncedOn[]> {
  const lists: AnnouncedOn[] = [];
  if (seminar.seriesId) {
    const series = await loadSeries(seminar.seriesId);
    lists.push({ target: { kind: 'series', id: seminar.seriesId }, context: (lang) => ({ series: { name: series.name(lang, seminar) } }) });
  }
  if (seminar.kind === 'guidance-session') {
    for (const schemeId of (await tiesOf(seminar)).keys()) {
      const scheme = await getScheme(schemeId, true);
      if (!scheme?.published) continue;
      lists.push({ target: { kind: 'scheme', id: schemeId }, context: (lang) => ({ scheme: { name: schemeName(scheme, lang) } }) });
    }
  }
  return lists;
}

async function tell(seminar: Seminar, kind: string, change: Change) {
  const lists = await listsOf(seminar);
  if (!lists.length) return { skipped: 'not announced to any list' };
  const announced = await sentRecipients(seminar.id, SEMINAR_ANNOUNCED_KIND);
  if (!announced.size) return { skipped: 'nobody was told about it' };
  const registrants = await confirmedRegistrantEmails(seminar.id);
  const total: NotifyResult = { sent: 0, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: 0 };
  for (const { target, context } of lists) {
    const result = await notifySubscribers(target, seminar.id, kind, (s) => {
      const email = normaliseEmail(s.email);
      if (!announced.has(email) || registrants.has(email)) return undefined;
      return {
        kind: 'announced-seminar-changed',
        seminar,
        change,
        ...context(s.language),
        ...(change.kind === 'moved' ? { registerUrl: registerPageUrl(seminar.id, s.language) } : {}),
      };
    });
    for (const k of ['sent', 'alreadyHandled', 'suppressed', 'failed', 'skipped'] as const) total[k] += result[k];
  }
  logger.info('Subscribers told of a change to an announced seminar', { seminarId: seminar.id, kind, lists: lists.length, ...total });
  return total;
}

export const handler = onEvents(
  on(SeminarUpdated, async (d) => {
    if (d.continuation || sameInstant(d.previousStart, d.start)) return { skipped: 'not moved' };
    const seminar = await getSeminar(d.seminarId, true);
    if (!seminar || seminar.status !== 'scheduled' || !sameInstant(seminar.start, d.start)) return { stale: true };
    // The move as stored (written by the update route), never the event's previousStart.
    const move = storedMove(seminar);
    if (!move) {
      logger.warn('Move notice not sent: the seminar as stored did not move', { seminarId: seminar.id });
      return { skipped: 'not moved as stored' };
    }
    return tell(seminar, announcedMovedKind(move.sequence), { kind: 'moved', previousStart: move.previousStart });
  }),
  on(SeminarCancelled, async (d) => {
    if (d.continuation) return { skipped: 'continuation' };
    const seminar = await getSeminar(d.seminarId, true);
    if (!seminar || seminar.status !== 'cancelled') return { stale: true };
    return tell(seminar, ANNOUNCED_CANCELLED_KIND, { kind: 'cancelled', reason: d.reason });
  }),
);
