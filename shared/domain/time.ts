/**
 * Europe/Oslo time, with nothing but Intl.
 *
 * Instants are stored and compared in UTC (a `Date`); people see Oslo wall-clock time. These helpers
 * convert between the two and format Oslo time the way a Norwegian (or English) reader expects it,
 * right across the daylight-saving changes (last Sunday of March 02:00 -> 03:00, last Sunday of
 * October 03:00 -> 02:00).
 */
import type { Lang } from './primitives.js';

export const OSLO_TZ = 'Europe/Oslo';

export type OsloFormatStyle = 'datetime' | 'date' | 'time' | 'long';

/** Wall-clock fields of an instant in Oslo. `month` is 1-12. */
export interface OsloParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

// Formatters are created on first use: building one loads ICU time-zone data, which a cold start
// should not pay for unless it formats a time.
let numericFormat: Intl.DateTimeFormat | undefined;
const numericParts = () =>
  (numericFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: OSLO_TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }));

function toDate(instant: Date | string | number): Date {
  const d = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return d;
}

/**
 * Results of Intl per instant, kept for the few instants a process formats again and again (a fan-out
 * writes the same seminar's start and end into every email: formatToParts cost a few microseconds a
 * call, many times per email). A pure function of the instant (and the language), so nothing of a
 * request is kept; cleared when full, so a long-lived process holds at most `MEMO_SIZE` of each.
 */
const MEMO_SIZE = 256;
function memo<K, V>(): (key: K, compute: () => V) => V {
  const cache = new Map<K, V>();
  return (key, compute) => {
    let value = cache.get(key);
    if (value === undefined) {
      if (cache.size >= MEMO_SIZE) cache.clear();
      value = compute();
      cache.set(key, value);
    }
    return value;
  };
}
const partsMemo = memo<number, Readonly<OsloParts>>();

/** The Oslo wall-clock fields of an instant. */
export function osloParts(instant: Date | string | number): OsloParts {
  const d = toDate(instant);
  return { ...partsMemo(d.getTime(), () => Object.freeze(computeOsloParts(d))) };
}

function computeOsloParts(d: Date): OsloParts {
  const parts: Record<string, number> = {};
  for (const p of numericParts().formatToParts(d)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour === 24 ? 0 : parts.hour, // some ICU versions say 24 at midnight
    minute: parts.minute,
    second: parts.second,
  };
}

/** The UTC offset of Oslo at an instant, in minutes: 60 in winter (CET), 120 in summer (CEST). */
export function osloOffsetMinutes(instant: Date | string | number): number {
  const d = toDate(instant);
  const p = osloParts(d);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const whole = Math.floor(d.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

function parseLocal(date: string, time: string): number {
  const dm = DATE_RE.exec(date);
  const tm = TIME_RE.exec(time);
  if (!dm) throw new RangeError(`Invalid date, expected YYYY-MM-DD: ${date}`);
  if (!tm) throw new RangeError(`Invalid time, expected HH:MM: ${time}`);
  const [y, mo, d, h, mi] = [dm[1], dm[2], dm[3], tm[1], tm[2]].map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(ms);
  if (
    h > 23 ||
    mi > 59 ||
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d
  ) {
    throw new RangeError(`No such date or time: ${date} ${time}`);
  }
  return ms;
}

/**
 * The instant at which Oslo clocks show `date` `time`.
 *
 * Daylight-saving edge cases follow RFC 5545 §3.3.5 (and Temporal's "compatible" disambiguation):
 * - a time in the spring gap (e.g. 2026-03-29 02:30, which never shows on Oslo clocks) is read with
 *   the offset before the gap (+01:00), so it lands one hour later on the clock: 03:30 CEST;
 * - a time in the autumn overlap (e.g. 2026-10-25 02:30, shown twice) is the first occurrence
 *   (+02:00, still summer time).
 */
export function osloLocalToInstant(date: string, time: string): Date {
  const local = parseLocal(date, time);
  const day = 24 * 60 * 60 * 1000;
  const before = osloOffsetMinutes(local - day);
  const after = osloOffsetMinutes(local + day);
  const valid = [...new Set([before, after])]
    .map((offset) => local - offset * 60000)
    .filter((ms) => osloOffsetMinutes(ms) * 60000 === local - ms);
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(local - before * 60000); // in a gap
}

/** The end of a day in Oslo, 23:59:59 local time: what a deadline given as a date means. */
export function endOfDayOslo(date: string): Date {
  return new Date(osloLocalToInstant(date, '23:59').getTime() + 59_000);
}

/** Whether an instant is 23:59 Oslo time (so a deadline at it reads as "end of day"). */
export function isEndOfDayOslo(instant: Date | string | number): boolean {
  const p = osloParts(instant);
  return p.hour === 23 && p.minute === 59;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The Oslo calendar date of an instant, `YYYY-MM-DD`. */
export function osloDate(instant: Date | string | number): string {
  const p = osloParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The Oslo clock time of an instant, `HH:MM`. */
export function osloTime(instant: Date | string | number): string {
  const p = osloParts(instant);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** ISO 8601 with the Oslo offset, e.g. `2026-12-04T12:00:00+01:00` (milliseconds only when non-zero). */
export function toOsloIso(instant: Date | string | number): string {
  const d = toDate(instant);
  const p = osloParts(d);
  const offset = osloOffsetMinutes(d);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const ms = d.getTime() - Math.floor(d.getTime() / 1000) * 1000;
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    (ms ? `.${pad(ms, 3)}` : '') +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

// Month and weekday names come from Intl; the rest of the layout is ours, so output does not
// depend on the ICU version's punctuation (nb has used both "08:30" and "08.30").
const nameFormatCache: Partial<Record<Lang, Intl.DateTimeFormat>> = {};
const nameFormat = (lang: Lang) =>
  (nameFormatCache[lang] ??= new Intl.DateTimeFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { timeZone: OSLO_TZ, weekday: 'long', month: 'long' }));

const namesMemo = { nb: memo<number, Readonly<{ weekday: string; month: string }>>(), en: memo<number, Readonly<{ weekday: string; month: string }>>() };

function names(d: Date, lang: Lang): { weekday: string; month: string } {
  return namesMemo[lang](d.getTime(), () => Object.freeze(computeNames(d, lang)));
}

function computeNames(d: Date, lang: Lang): { weekday: string; month: string } {
  let weekday = '';
  let month = '';
  for (const p of nameFormat(lang).formatToParts(d)) {
    if (p.type === 'weekday') weekday = p.value;
    if (p.type === 'month') month = p.value;
  }
  if (lang === 'nb') {
    weekday = weekday.toLowerCase();
    month = month.toLowerCase();
  }
  return { weekday, month };
}

function clock(hour: number, minute: number, lang: Lang): string {
  return `${pad(hour)}${lang === 'nb' ? '.' : ':'}${pad(minute)}`;
}

/** An `HH:MM` Oslo clock time (e.g. doors open) in the reader's style: nb `08.30`, en `08:30`. */
export function formatHhmm(hhmm: string, lang: Lang): string {
  const t = TIME_RE.exec(hhmm);
  if (!t) throw new RangeError(`Invalid time, expected HH:MM: ${hhmm}`);
  return clock(Number(t[1]), Number(t[2]), lang);
}

function dateText(d: Date, lang: Lang, weekday: boolean): string {
  const p = osloParts(d);
  const n = names(d, lang);
  const core = lang === 'nb' ? `${p.day}. ${n.month} ${p.year}` : `${p.day} ${n.month} ${p.year}`;
  return weekday ? `${n.weekday} ${core}` : core;
}

function timeText(d: Date, lang: Lang): string {
  const p = osloParts(d);
  return clock(p.hour, p.minute, lang);
}

/**
 * Oslo time for readers.
 *
 * | style      | nb                                  | en                                   |
 * |------------|-------------------------------------|--------------------------------------|
 * | `long`     | torsdag 17. mars 2022 kl. 08.30     | Thursday 17 March 2022 at 08:30      |
 * | `datetime` | 17. mars 2022 kl. 08.30             | 17 March 2022 at 08:30               |
 * | `date`     | 17. mars 2022                       | 17 March 2022                        |
 * | `time`     | 08.30                               | 08:30                                |
 */
export function formatOslo(instant: Date | string | number, lang: Lang, style: OsloFormatStyle): string {
  const d = toDate(instant);
  const at = lang === 'nb' ? ' kl. ' : ' at ';
  switch (style) {
    case 'time':
      return timeText(d, lang);
    case 'date':
      return dateText(d, lang, false);
    case 'datetime':
      return dateText(d, lang, false) + at + timeText(d, lang);
    case 'long':
      return dateText(d, lang, true) + at + timeText(d, lang);
  }
}

/** `formatOslo(…, 'long')` without the time: nb `torsdag 17. mars 2022`, en `Thursday 17 March 2022`. */
export function formatOsloWeekdayDate(instant: Date | string | number, lang: Lang): string {
  return dateText(toDate(instant), lang, true);
}

export interface RangeOptions {
  /** Start with the weekday: "torsdag 17. mars 2022 kl. 08.30–10.00". */
  weekday?: boolean;
}

/**
 * A time range in Oslo time. Same day: nb `17. mars 2022 kl. 08.30–10.00`, en `17 March 2022,
 * 08:30–10:00`. Across days both ends are written out, joined by ` – `.
 */
export function formatOsloRange(
  start: Date | string | number,
  end: Date | string | number,
  lang: Lang,
  options: RangeOptions = {},
): string {
  const s = toDate(start);
  const e = toDate(end);
  const weekday = options.weekday ?? false;
  if (osloDate(s) === osloDate(e)) {
    const sep = lang === 'nb' ? ' kl. ' : ', ';
    return `${dateText(s, lang, weekday)}${sep}${timeText(s, lang)}–${timeText(e, lang)}`;
  }
  const style: OsloFormatStyle = weekday ? 'long' : 'datetime';
  return `${formatOslo(s, lang, style)} – ${formatOslo(e, lang, style)}`;
}
