/**
 * The notices to the subscribers of a seminar series, and to the lists a seminar was announced on (its
 * series, the funding schemes it is a guidance session of) when it moves or is cancelled (notice.ts).
 *
 * Who on a list is left out for reasons beyond the subscription (a confirmed registrant gets the
 * registrants' notice instead; someone never told of a seminar is not told of its change) is decided by
 * the fan-out when it enqueues (functions/series/), from the registrations and the delivery log as they
 * are then; the ledger entry each notice shares with the registrants' one still gives one email each.
 */
import { getSeminar } from '../store/seminars.js';
import { getScheme } from '../store/schemes.js';
import { schemeName, type SubscriptionTarget } from '../domain/funding.js';
import { sameInstant, storedMove } from '../domain/seminar-rules.js';
import type { Seminar } from '../domain/model.js';
import type { Lang } from '../domain/primitives.js';
import { registerPageUrl } from '../links.js';
import { now } from '../clock.js';
import { loadSeries } from '../app/series.js';
import { tiesOf } from '../app/scheme-sessions.js';
import { ANNOUNCED_CANCELLED_KIND, SEMINAR_ANNOUNCED_KIND, announcedMovedKind, recordingKind } from '../email/ledger-kinds.js';
import type { AnnouncedSeminarChangedMessage } from '../email/templates.js';
import { defineNotice, stale, type SubscribersNotice } from './notice.js';

const seriesOf = (s: Seminar): SubscriptionTarget => ({ kind: 'series', id: s.seriesId! });

/** A new seminar of the series (scheduled in it, or joined it), with its registration link: once each per seminar. */
export const seminarAnnounced = defineNotice('seminar-announced', async (p: { seminarId: string }) => {
  const seminar = await getSeminar(p.seminarId, true);
  if (!seminar?.seriesId) return stale('not in a series');
  if (seminar.status === 'cancelled' || Date.parse(seminar.start) <= now().getTime()) return stale('cancelled or started');
  // on-seminar-scheduled publishes it; until then its registration link would not work: retry.
  if (seminar.status !== 'scheduled') throw new Error(`Seminar ${seminar.id} is not published yet; retrying`);
  const series = await loadSeries(seminar.seriesId);
  return {
    audience: 'subscribers',
    target: seriesOf(seminar),
    subject: seminar.id,
    kind: SEMINAR_ANNOUNCED_KIND,
    build: (s) => ({ kind: 'seminar-announced', seminar, series: { name: series.name(s.language, seminar) }, registerUrl: registerPageUrl(seminar.id, s.language) }),
  } satisfies SubscribersNotice;
});

/** The seminar's stored recording `url`, to the series, once each per URL (the registrants' recording email shares the ledger entry). */
export const seriesRecording = defineNotice('series-recording-published', async (p: { seminarId: string; url: string }) => {
  const seminar = await getSeminar(p.seminarId, true);
  if (!seminar?.seriesId) return stale('not in a series');
  if (seminar.status === 'draft') return stale('not published');
  // Only the stored recording is sent, never a URL carried by the event alone.
  const url = seminar.recordingUrl;
  if (!url || url !== p.url) return stale('not the seminar\'s recording as stored');
  const correction = Boolean(seminar.correctedRecordingUrl);
  const series = await loadSeries(seminar.seriesId);
  return {
    audience: 'subscribers',
    target: seriesOf(seminar),
    subject: seminar.id,
    kind: recordingKind(url),
    build: (s) => ({ kind: 'series-recording-published', seminar, series: { name: series.name(s.language, seminar) }, recordingUrl: url, correction }),
  } satisfies SubscribersNotice;
});

type ListContext = (lang: Lang) => Pick<AnnouncedSeminarChangedMessage, 'series' | 'scheme'>;

/** The lists the seminar was announced on, each with the name a subscriber's email gives it. */
export async function announcedLists(seminar: Seminar): Promise<Array<{ target: SubscriptionTarget; context: ListContext }>> {
  const lists: Array<{ target: SubscriptionTarget; context: ListContext }> = [];
  if (seminar.seriesId) {
    const series = await loadSeries(seminar.seriesId);
    lists.push({ target: seriesOf(seminar), context: (lang) => ({ series: { name: series.name(lang, seminar) } }) });
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

/**
 * A move (the stored move numbered `sequence`, while the start is still `start`) or the cancellation of an
 * announced seminar, to one list it was announced on (`targetKind`, `targetId`): once each per change,
 * whichever lists they are on.
 */
export const announcedSeminarChanged = defineNotice(
  'announced-seminar-changed',
  async (p: { seminarId: string; targetKind: string; targetId: string; change: string; start?: string; sequence?: number }) => {
    const seminar = await getSeminar(p.seminarId, true);
    if (!seminar) return stale('no such seminar');
    let kind: string;
    let change: AnnouncedSeminarChangedMessage['change'];
    if (p.change === 'moved') {
      if (seminar.status !== 'scheduled' || !p.start || !sameInstant(seminar.start, p.start)) return stale('not scheduled at this start');
      // The move as stored (written by the update route), never one an event claims.
      const move = storedMove(seminar);
      if (!move || move.sequence !== p.sequence) return stale('not the seminar\'s latest move as stored');
      kind = announcedMovedKind(move.sequence);
      change = { kind: 'moved', previousStart: move.previousStart };
    } else if (p.change === 'cancelled') {
      if (seminar.status !== 'cancelled') return stale('not cancelled');
      kind = ANNOUNCED_CANCELLED_KIND;
      // The reason as the cancel route stored it with the seminar, never one an event carries.
      change = { kind: 'cancelled', reason: seminar.cancellationReason };
    } else return stale(`unknown change ${p.change}`);
    const list = (await announcedLists(seminar)).find((l) => l.target.kind === p.targetKind && l.target.id === p.targetId);
    if (!list) return stale('not announced on this list');
    return {
      audience: 'subscribers',
      target: list.target,
      subject: seminar.id,
      kind,
      build: (s) => ({
        kind: 'announced-seminar-changed',
        seminar,
        change,
        ...list.context(s.language),
        ...(change.kind === 'moved' ? { registerUrl: registerPageUrl(seminar.id, s.language) } : {}),
      }),
    } satisfies SubscribersNotice;
  },
);
