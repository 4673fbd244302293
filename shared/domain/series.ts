/**
 * Seminar series: the pure rules. A series has no record of its own: seminars carry its `seriesId`
 * (and, optionally, its name as `seriesTitle` / `seriesTitleEn`), and people subscribe to its
 * announcements (a subscription with the target `{ kind: 'series', id }`). No SDK imports.
 *
 * - **Name.** The `seriesTitle` (English: `seriesTitleEn`, else the Norwegian one) of the seminar at
 *   hand when it has one; otherwise that of the most recently updated seminar of the series that has
 *   one (drafts left out by the caller: they reveal nothing); otherwise the seriesId humanised
 *   (`partnerforum-samordning` → "Partnerforum samordning").
 * - **Open for subscriptions** while at least one of its seminars is published (scheduled), whether it
 *   is over or not: drafts reveal nothing, a series of only cancelled seminars takes no subscribers.
 */
import type { Seminar } from './model.js';
import type { Lang } from './primitives.js';

type Titled = Pick<Seminar, 'seriesTitle' | 'seriesTitleEn'>;

/** `partnerforum-samordning` → "Partnerforum samordning"; `digitalisering_2027` → "Digitalisering 2027". */
export function humaniseSeriesId(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : id;
}

function titleOf(s: Titled, lang: Lang): string | undefined {
  return (lang === 'en' && s.seriesTitleEn) || s.seriesTitle || s.seriesTitleEn || undefined;
}

/** The series' name in the reader's language, by the rule above. */
export function seriesName(
  seriesId: string,
  lang: Lang,
  seminars: ReadonlyArray<Titled & Pick<Seminar, 'updatedAt'>> = [],
  atHand?: Titled,
): string {
  const own = atHand && titleOf(atHand, lang);
  if (own) return own;
  const titled = seminars.filter((s) => titleOf(s, lang)).sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  return (titled[0] && titleOf(titled[0], lang)) ?? humaniseSeriesId(seriesId);
}

/** Whether the series takes subscriptions: one of its seminars is published. */
export function seriesIsOpen(seminars: ReadonlyArray<Pick<Seminar, 'status'>>): boolean {
  return seminars.some((s) => s.status === 'scheduled');
}
