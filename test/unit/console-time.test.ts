/** The console's Oslo times: what is typed as Oslo wall-clock time becomes the right instant, across DST. */
import { describe, expect, it } from 'vitest';
import { formatOslo, isoToOsloLocal, osloLocalToIso } from '../../console/src/time.js';

describe('Oslo time in the console', () => {
  it('turns Oslo wall-clock time into ISO with the offset of that day', () => {
    expect(osloLocalToIso('2027-03-17T08:30')).toBe('2027-03-17T08:30:00+01:00');
    expect(osloLocalToIso('2027-06-17T08:30')).toBe('2027-06-17T08:30:00+02:00');
    // The last Sunday of March: 01:30 is still winter time, 03:30 is summer time.
    expect(osloLocalToIso('2027-03-28T01:30')).toBe('2027-03-28T01:30:00+01:00');
    expect(osloLocalToIso('2027-03-28T03:30')).toBe('2027-03-28T03:30:00+02:00');
    expect(osloLocalToIso('2027-10-31T04:00')).toBe('2027-10-31T04:00:00+01:00');
  });

  it('shows an instant as Oslo wall-clock time, whatever offset it was written with', () => {
    expect(isoToOsloLocal('2027-03-17T07:30:00Z')).toBe('2027-03-17T08:30');
    expect(isoToOsloLocal('2027-06-17T06:30:00Z')).toBe('2027-06-17T08:30');
    expect(isoToOsloLocal(undefined)).toBe('');
    for (const local of ['2027-01-17T23:59', '2027-07-01T00:00', '2027-12-31T12:15']) expect(isoToOsloLocal(osloLocalToIso(local))).toBe(local);
  });

  it('formats in bokmål and English', () => {
    expect(formatOslo('2027-03-17T07:30:00Z', 'nb')).toMatch(/17\. mars 2027.*08[:.]30/);
    expect(formatOslo('2027-03-17T07:30:00Z', 'en')).toMatch(/17 March 2027.*08:30/);
  });
});
