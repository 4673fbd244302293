/**
 * The confirmed subscribers of a seminar series hear about its seminars:
 *
 * - `SeminarScheduled` for a seminar with a `seriesId`, or `SeminarUpdated` for a scheduled seminar that
 *   joined a series (`changedFields` has `seriesId`) → the announcement ('seminar-announced') with the
 *   registration link, once each. Ledger: (seminar id, `SEMINAR_ANNOUNCED_KIND`, address), the same entry the
 *   guidance-session announcement to a funding scheme's subscribers uses, so someone on both lists gets
 *   one email per seminar, from whichever fan-out reaches them first.
 * - `SeminarRecordingPublished` → the stored recording link ('series-recording-published'), once each per
 *   URL (a corrected URL again, saying so); an event whose URL is not the stored one does nothing. Ledger:
 *   (seminar id, `recordingKind(url)`, address), the same entry as the registrants' recording email
 *   (send-recording-link), so nobody gets the recording twice. Subscribers who are confirmed registrants
 *   are left out here and get the registrants' email (with their own registration's link); one who
 *   confirms while both fan-outs run still gets one email, whichever claims the entry first.
 *
 * Unsubscribed and pending subscriptions are never read; suppressed addresses get nothing (the mailer
 * checks). The seminar is read from the table, never taken from the event alone.
 */
import { SeminarRecordingPublished, SeminarScheduled, SeminarUpdated, type DetailOf } from '../../events/index.js';
import { on, onEvents } from '../../shared/aws/on-event.js';
import type { Seminar } from '../../shared/domain/model.js';
import { normaliseEmail } from '../../shared/domain/primitives.js';
import type { SubscriptionTarget } from '../../shared/domain/funding.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { confirmedRegistrantEmails } from '../../shared/store/registrations.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import { registerPageUrl } from '../../shared/links.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { SEMINAR_ANNOUNCED_KIND, recordingKind } from '../../shared/email/ledger-kinds.js';
import { loadSeries } from '../../shared/app/series.js';
import { JOINED_SERIES_FIELD } from '../../shared/domain/seminar-rules.js';

const seriesOf = (s: Seminar): SubscriptionTarget => ({ kind: 'series', id: s.seriesId! });

async function announce(seminarId: string) {
  const seminar = await getSeminar(seminarId, true);
  if (!seminar?.seriesId) return { skipped: 'not in a series' };
  if (seminar.status === 'cancelled' || Date.parse(seminar.start) <= now().getTime()) return { skipped: 'cancelled or started' };
  // on-seminar-scheduled publishes it; until then its registration link would not work: retry.
  if (seminar.status !== 'scheduled') throw new Error(`Seminar ${seminar.id} is not published yet; retrying`);
  const series = await loadSeries(seminar.seriesId);
  const result = await notifySubscribers(seriesOf(seminar), seminar.id, SEMINAR_ANNOUNCED_KIND, (s) => ({
    kind: 'seminar-announced',
    seminar,
    series: { name: series.name(s.language, seminar) },
    registerUrl: registerPageUrl(seminar.id, s.language),
  }));
  logger.info('New seminar announced to the series', { seminarId: seminar.id, seriesId: seminar.seriesId, ...result });
  return result;
}

async function recording(d: DetailOf<typeof SeminarRecordingPublished>) {
  const seminar = await getSeminar(d.seminarId, true);
  if (!seminar?.seriesId) return { skipped: 'not in a series' };
  if (seminar.status === 'draft') return { skipped: 'not published' };
  // Only the stored recording is sent, never a URL carried by the event alone.
  const url = seminar.recordingUrl;
  if (url !== d.url) {
    logger.warn('Recording event ignored: its URL is not the seminar\'s recording', { seminarId: seminar.id, hasRecording: Boolean(url) });
    return { skipped: 'not the stored recording' };
  }
  const correction = Boolean(seminar.correctedRecordingUrl);
  const [registrants, series] = await Promise.all([confirmedRegistrantEmails(seminar.id), loadSeries(seminar.seriesId)]);
  const result = await notifySubscribers(seriesOf(seminar), seminar.id, recordingKind(url), (s) =>
    registrants.has(normaliseEmail(s.email))
      ? undefined
      : { kind: 'series-recording-published', seminar, series: { name: series.name(s.language, seminar) }, recordingUrl: url, correction },
  );
  logger.info('Recording link sent to the series', { seminarId: seminar.id, seriesId: seminar.seriesId, ...result });
  return result;
}

export const handler = onEvents(
  on(SeminarScheduled, (d) => announce(d.seminarId)),
  // A scheduled seminar that joined a series (or moved to another) is new to that series' subscribers.
  on(SeminarUpdated, async (d) =>
    d.changedFields.includes(JOINED_SERIES_FIELD) && !d.continuation ? announce(d.seminarId) : { skipped: 'did not join a series' },
  ),
  on(SeminarRecordingPublished, recording),
);
