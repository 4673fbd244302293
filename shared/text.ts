/**
 * The words the emails (shared/email/) and the pages (shared/pages/) both say, written once: the choice
 * between bokmål and English, quotation marks, times in Europe/Oslo (with "(Norwegian time)" in
 * English), a venue on one line, the doors-open row, a deadline, an amount of money. Pure functions of
 * data; no HTML (each caller escapes what it shows).
 */
import type { Seminar } from './domain/model.js';
import type { Lang } from './domain/primitives.js';
import { formatHhmm, formatOslo, formatOsloRange, formatOsloWeekdayDate, isEndOfDayOslo } from './domain/time.js';

export type { Lang };

/** The bokmål or the English text. */
export const pick = (lang: Lang, nbText: string, enText: string) => (lang === 'nb' ? nbText : enText);

/** «tittel» / “title”. */
export const quote = (lang: Lang, s: string) => (lang === 'nb' ? `«${s}»` : `“${s}”`);

export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Said after an Oslo time in English: " (Norwegian time)"; nothing in bokmål. */
export const norwegianTime = (lang: Lang) => (lang === 'nb' ? '' : ' (Norwegian time)');

/** "fredag 4. desember 2026 kl. 12.00–16.00" / "Friday 4 December 2026, 12:00–16:00 (Norwegian time)". */
export function whenText(s: Pick<Seminar, 'start' | 'end'>, lang: Lang): string {
  return formatOsloRange(s.start, s.end, lang, { weekday: true }) + norwegianTime(lang);
}

export type Venue = NonNullable<Seminar['venue']>;

/** "Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1". */
export function venueLine(v: Venue | undefined): string {
  if (!v) return '';
  return [v.name, v.room, v.address].filter((x) => x && x.trim()).join(', ');
}

/** "Dørene åpner: kl. 11.30", or for a breakfast seminar "Frokost: fra kl. 08.00"; none without a time. */
export function doorsRow(s: Partial<Pick<Seminar, 'doorsOpen' | 'kind'>>, lang: Lang): [string, string] | undefined {
  if (!s.doorsOpen) return undefined;
  const t = formatHhmm(s.doorsOpen, lang);
  return s.kind === 'breakfast-seminar'
    ? [pick(lang, 'Frokost', 'Breakfast'), pick(lang, `fra kl. ${t}`, `from ${t}`)]
    : [pick(lang, 'Dørene åpner', 'Doors open'), pick(lang, `kl. ${t}`, t)];
}

/** An application deadline: a day "innen utgangen av dagen" (given as a date, or detected from 23:59 Oslo time), else a moment. */
export function deadlineText(deadline: Date | string, endOfDay: boolean | undefined, lang: Lang): string {
  const eod = endOfDay ?? isEndOfDayOslo(deadline);
  if (eod) {
    const day = formatOsloWeekdayDate(deadline, lang);
    return pick(lang, `${day}, innen utgangen av dagen`, `${day}, end of day (Norwegian time)`);
  }
  return formatOslo(deadline, lang, 'long') + norwegianTime(lang);
}

/** "120 millioner kroner" / "NOK 120 million"; below a million, or not in tenths of one, in kroner. */
export function amountText(nok: number, lang: Lang): string {
  const locale = lang === 'nb' ? 'nb-NO' : 'en-GB';
  const millions = nok / 1_000_000;
  if (nok >= 1_000_000 && Number.isInteger(millions * 10)) {
    const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(millions);
    return pick(lang, `${n} millioner kroner`, `NOK ${n} million`);
  }
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(nok);
  return pick(lang, `${n} kroner`, `NOK ${n}`);
}
