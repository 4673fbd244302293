/** A series as the routes and handlers need it: its seminars, whether it takes subscribers, its name. */
import type { Seminar } from '../domain/model.js';
import { seriesIsOpen, seriesName } from '../domain/series.js';
import { listSeminarsInSeries } from '../store/seminars.js';
import type { Lang } from '../domain/primitives.js';

export interface SeriesInfo {
  id: string;
  /** Every seminar of the series, drafts and cancelled ones included. */
  seminars: Seminar[];
  /** At least one seminar is published: the series takes subscriptions. */
  open: boolean;
  /** The name in `lang`; `atHand` (the seminar an email or page is about) wins when it names the series. */
  name: (lang: Lang, atHand?: Seminar) => string;
}

export async function loadSeries(seriesId: string): Promise<SeriesInfo> {
  const seminars = await listSeminarsInSeries(seriesId);
  // A draft reveals nothing, not even a new name for the series.
  const shown = seminars.filter((s) => s.status !== 'draft');
  return {
    id: seriesId,
    seminars,
    open: seriesIsOpen(seminars),
    name: (lang, atHand) => seriesName(seriesId, lang, shown, atHand),
  };
}

/**
 * The series form of a published seminar's registration page: its series' id and name (the seminar's
 * own `seriesTitle` when it has one, which saves reading the series). None for a seminar outside a
 * series, or one that is not scheduled (a cancelled seminar's series may take no subscribers).
 */
export async function seriesFormOf(seminar: Seminar, lang: Lang): Promise<{ id: string; name: string } | undefined> {
  if (!seminar.seriesId || seminar.status !== 'scheduled') return undefined;
  const own = seminar.seriesTitle ? seriesName(seminar.seriesId, lang, [], seminar) : undefined;
  return { id: seminar.seriesId, name: own ?? (await loadSeries(seminar.seriesId)).name(lang, seminar) };
}
