import { describe, expect, it } from 'vitest';
import { MOMENT_TOLERANCE_MS, momentHasCome, storedMove } from '../../shared/domain/seminar-rules.js';
import { recordingKind } from '../../shared/email/ledger-kinds.js';

const START = '2026-12-10T08:00:00.000Z';
const seminar = { start: START, reminderOffsetsMinutes: [1440, 60], streamingLinkOffsetMinutes: 120, livestream: true };
const at = (minutesBeforeStart: number, ms = 0) => new Date(Date.parse(START) - minutesBeforeStart * 60_000 + ms);

describe('momentHasCome', () => {
  it('has a reminder come at its moment and after, within the tolerance before, not 5 days early', () => {
    const r = { kind: 'reminder', offsetMinutes: 1440 } as const;
    expect(momentHasCome(seminar, r, at(1440))).toBe(true);
    expect(momentHasCome(seminar, r, at(30))).toBe(true);
    expect(momentHasCome(seminar, r, at(1440, -MOMENT_TOLERANCE_MS))).toBe(true);
    expect(momentHasCome(seminar, r, at(1440, -MOMENT_TOLERANCE_MS - 1))).toBe(false);
    expect(momentHasCome(seminar, r, at(1440 + 5 * 1440))).toBe(false);
  });

  it('knows only the moments the seminar as stored has', () => {
    expect(momentHasCome(seminar, { kind: 'reminder', offsetMinutes: 180 }, at(0))).toBe(false);
    expect(momentHasCome(seminar, { kind: 'streaming-link' }, at(120))).toBe(true);
    expect(momentHasCome(seminar, { kind: 'streaming-link' }, at(121 + 1))).toBe(false);
    expect(momentHasCome({ ...seminar, livestream: false }, { kind: 'streaming-link' }, at(0))).toBe(false);
  });
});

describe('storedMove', () => {
  it('is the stored last move while the start is not back where it was, else none', () => {
    expect(storedMove({ start: START })).toBeUndefined();
    expect(storedMove({ start: START, lastMove: { from: '2026-12-09T08:00:00Z', sequence: 3 } })).toEqual({ previousStart: '2026-12-09T08:00:00Z', sequence: 3 });
    expect(storedMove({ start: START, lastMove: { from: '2026-12-10T09:00:00+01:00', sequence: 4 } })).toBeUndefined();
  });
});

describe('recordingKind', () => {
  it('names the URL: the same URL the same kind, a corrected URL a new one', () => {
    expect(recordingKind('https://example.no/opptak/1')).toMatch(/^recording-[0-9a-f]{12}$/);
    expect(recordingKind('https://example.no/opptak/1')).toBe(recordingKind('https://example.no/opptak/1'));
    expect(recordingKind('https://example.no/opptak/2')).not.toBe(recordingKind('https://example.no/opptak/1'));
  });
});
