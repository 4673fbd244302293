import { describe, expect, it } from 'vitest';
import {
  endOfDayOslo,
  formatHhmm,
  formatOslo,
  formatOsloRange,
  formatOsloWeekdayDate,
  isEndOfDayOslo,
  osloDate,
  osloLocalToInstant,
  osloOffsetMinutes,
  osloParts,
  osloTime,
  toOsloIso,
} from '../../shared/domain/time.js';

const at = (iso: string) => new Date(iso);

describe('osloOffsetMinutes', () => {
  it('is +60 in winter and +120 in summer', () => {
    expect(osloOffsetMinutes(at('2026-01-15T12:00:00Z'))).toBe(60);
    expect(osloOffsetMinutes(at('2026-07-15T12:00:00Z'))).toBe(120);
  });

  it('changes at 01:00 UTC on 29 March 2026 and 25 October 2026', () => {
    expect(osloOffsetMinutes(at('2026-03-29T00:59:59Z'))).toBe(60);
    expect(osloOffsetMinutes(at('2026-03-29T01:00:00Z'))).toBe(120);
    expect(osloOffsetMinutes(at('2026-10-25T00:59:59Z'))).toBe(120);
    expect(osloOffsetMinutes(at('2026-10-25T01:00:00Z'))).toBe(60);
  });

  it('ignores milliseconds', () => {
    expect(osloOffsetMinutes(at('2026-03-29T00:59:59.999Z'))).toBe(60);
  });

  it('rejects an invalid date', () => {
    expect(() => osloOffsetMinutes(new Date('nope'))).toThrow(RangeError);
  });
});

describe('osloLocalToInstant', () => {
  it('converts winter and summer times', () => {
    expect(osloLocalToInstant('2022-03-17', '08:30').toISOString()).toBe('2022-03-17T07:30:00.000Z');
    expect(osloLocalToInstant('2026-12-04', '12:00').toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(osloLocalToInstant('2026-06-01', '12:00').toISOString()).toBe('2026-06-01T10:00:00.000Z');
  });

  it('is right on both sides of the spring change (29 March 2026)', () => {
    expect(osloLocalToInstant('2026-03-28', '09:00').toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(osloLocalToInstant('2026-03-29', '01:59').toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(osloLocalToInstant('2026-03-29', '03:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(osloLocalToInstant('2026-03-30', '09:00').toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('reads a time in the spring gap with the offset before the gap (02:30 -> 03:30 CEST)', () => {
    const d = osloLocalToInstant('2026-03-29', '02:30');
    expect(d.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(osloTime(d)).toBe('03:30');
  });

  it('takes the first occurrence of a time in the autumn overlap (25 October 2026)', () => {
    expect(osloLocalToInstant('2026-10-25', '02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(osloLocalToInstant('2026-10-25', '01:59').toISOString()).toBe('2026-10-24T23:59:00.000Z');
    expect(osloLocalToInstant('2026-10-25', '03:00').toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(osloLocalToInstant('2026-10-26', '09:00').toISOString()).toBe('2026-10-26T08:00:00.000Z');
  });

  it('round-trips every quarter hour of both change days', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const d = osloLocalToInstant(date, hhmm);
        if (!(date === '2026-03-29' && hhmm.startsWith('02:'))) {
          expect(osloDate(d)).toBe(date);
          expect(osloTime(d)).toBe(hhmm);
        }
      }
    }
  });

  it('rejects malformed or impossible input', () => {
    expect(() => osloLocalToInstant('2026-02-30', '12:00')).toThrow(RangeError);
    expect(() => osloLocalToInstant('2026-1-01', '12:00')).toThrow(RangeError);
    expect(() => osloLocalToInstant('2026-01-01', '24:00')).toThrow(RangeError);
    expect(() => osloLocalToInstant('2026-01-01', '8:30')).toThrow(RangeError);
  });
});

describe('endOfDayOslo', () => {
  it('is 23:59:59 Oslo time', () => {
    expect(endOfDayOslo('2018-01-17').toISOString()).toBe('2018-01-17T22:59:59.000Z');
    expect(endOfDayOslo('2026-03-29').toISOString()).toBe('2026-03-29T21:59:59.000Z');
    expect(endOfDayOslo('2026-10-25').toISOString()).toBe('2026-10-25T22:59:59.000Z');
    expect(isEndOfDayOslo(endOfDayOslo('2026-08-21'))).toBe(true);
    expect(isEndOfDayOslo(at('2026-08-21T10:00:00Z'))).toBe(false);
  });
});

describe('toOsloIso', () => {
  it('writes the Oslo offset', () => {
    expect(toOsloIso(at('2026-12-04T11:00:00Z'))).toBe('2026-12-04T12:00:00+01:00');
    expect(toOsloIso(at('2026-06-01T10:00:00Z'))).toBe('2026-06-01T12:00:00+02:00');
    expect(toOsloIso(at('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(toOsloIso(at('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(toOsloIso(at('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
    expect(toOsloIso(at('2026-12-31T23:30:00Z'))).toBe('2027-01-01T00:30:00+01:00');
  });

  it('round-trips through Date.parse', () => {
    for (const iso of ['2026-03-29T01:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-07-01T12:34:56.789Z']) {
      expect(new Date(toOsloIso(iso)).toISOString()).toBe(iso);
    }
  });
});

describe('osloParts', () => {
  it('gives midnight as hour 0', () => {
    expect(osloParts(at('2026-01-01T23:00:00Z'))).toEqual({ year: 2026, month: 1, day: 2, hour: 0, minute: 0, second: 0 });
  });

  it('answers from its memo as Intl does, across more instants than the memo keeps, and each caller gets its own object', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    const expected = (ms: number) => {
      const p = Object.fromEntries(intl.formatToParts(new Date(ms)).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]));
      return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
    };
    // Every 37 minutes from the week of the autumn change, 700 instants, twice (the second round partly from the memo).
    const instants = Array.from({ length: 700 }, (_, i) => Date.parse('2026-10-22T00:00:00Z') + i * 37 * 60_000);
    for (let round = 0; round < 2; round++) for (const ms of instants) expect(osloParts(ms)).toEqual(expected(ms));
    const first = osloParts('2026-10-25T00:30:00Z');
    first.hour = 99;
    expect(osloParts('2026-10-25T00:30:00Z').hour).toBe(2);
    expect(formatOslo('2026-10-25T00:30:00Z', 'nb', 'long')).toBe('søndag 25. oktober 2026 kl. 02.30');
  });
});

describe('formatOslo', () => {
  const d = at('2022-03-17T07:30:00Z');

  it('formats in Norwegian', () => {
    expect(formatOslo(d, 'nb', 'long')).toBe('torsdag 17. mars 2022 kl. 08.30');
    expect(formatOslo(d, 'nb', 'datetime')).toBe('17. mars 2022 kl. 08.30');
    expect(formatOslo(d, 'nb', 'date')).toBe('17. mars 2022');
    expect(formatOslo(d, 'nb', 'time')).toBe('08.30');
    expect(formatOsloWeekdayDate(d, 'nb')).toBe('torsdag 17. mars 2022');
  });

  it('formats in English', () => {
    expect(formatOslo(d, 'en', 'long')).toBe('Thursday 17 March 2022 at 08:30');
    expect(formatOslo(d, 'en', 'datetime')).toBe('17 March 2022 at 08:30');
    expect(formatOslo(d, 'en', 'date')).toBe('17 March 2022');
    expect(formatOslo(d, 'en', 'time')).toBe('08:30');
  });

  it('shows Oslo time on both sides of the 2026 changes', () => {
    expect(formatOslo(at('2026-03-28T08:00:00Z'), 'nb', 'long')).toBe('lørdag 28. mars 2026 kl. 09.00');
    expect(formatOslo(at('2026-03-30T07:00:00Z'), 'nb', 'long')).toBe('mandag 30. mars 2026 kl. 09.00');
    expect(formatOslo(at('2026-10-24T07:00:00Z'), 'en', 'long')).toBe('Saturday 24 October 2026 at 09:00');
    expect(formatOslo(at('2026-10-26T08:00:00Z'), 'en', 'long')).toBe('Monday 26 October 2026 at 09:00');
  });

  it('accepts ISO strings', () => {
    expect(formatOslo('2026-12-04T12:00:00+01:00', 'nb', 'datetime')).toBe('4. desember 2026 kl. 12.00');
  });
});

describe('formatOsloRange', () => {
  const start = at('2022-03-17T07:30:00Z');
  const end = at('2022-03-17T09:00:00Z');

  it('writes a same-day range compactly', () => {
    expect(formatOsloRange(start, end, 'nb')).toBe('17. mars 2022 kl. 08.30–10.00');
    expect(formatOsloRange(start, end, 'en')).toBe('17 March 2022, 08:30–10:00');
    expect(formatOsloRange(start, end, 'nb', { weekday: true })).toBe('torsdag 17. mars 2022 kl. 08.30–10.00');
    expect(formatOsloRange(start, end, 'en', { weekday: true })).toBe('Thursday 17 March 2022, 08:30–10:00');
  });

  it('writes both ends of a range across days', () => {
    expect(formatOsloRange(at('2026-10-24T07:00:00Z'), at('2026-10-26T15:00:00Z'), 'nb')).toBe(
      '24. oktober 2026 kl. 09.00 – 26. oktober 2026 kl. 16.00',
    );
  });

  it('is right across the spring change', () => {
    // 01:00 CET to 04:00 CEST is two real hours.
    expect(formatOsloRange(at('2026-03-29T00:00:00Z'), at('2026-03-29T02:00:00Z'), 'en')).toBe(
      '29 March 2026, 01:00–04:00',
    );
  });
});

describe('formatHhmm', () => {
  it('uses a point in Norwegian and a colon in English', () => {
    expect(formatHhmm('08:00', 'nb')).toBe('08.00');
    expect(formatHhmm('08:00', 'en')).toBe('08:00');
    expect(() => formatHhmm('8', 'nb')).toThrow(RangeError);
  });
});
