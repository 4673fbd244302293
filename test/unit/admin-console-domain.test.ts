/**
 * The pure parts behind the back office's API: JSON merge patch (RFC 7396, with its appendix's examples),
 * the CSV export's separator and Oslo times, the audit filter and cursor, the seminar list's counters.
 */
import { describe, expect, it } from 'vitest';
import { applyPatch, mergePatch, pickFields, withoutFields } from '../../shared/domain/merge-patch.js';
import { exportDelimiter, registrantRow, wantsCsv } from '../../shared/domain/registrant-export.js';
import { auditCursor, auditCursorKey, auditMatches } from '../../shared/domain/audit-query.js';
import { seminarListing } from '../../shared/domain/seminar-listing.js';
import { toCsv } from '../../shared/csv.js';
import type { Seminar } from '../../shared/domain/model.js';

describe('mergePatch (RFC 7396)', () => {
  // RFC 7396, appendix A: target, patch, result.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('merges %j with %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });

  it('changes neither argument, and keeps a member named __proto__ as data', () => {
    const target = { venue: { name: 'R4', room: 'Plenumssalen' } };
    const patch = JSON.parse('{"venue":{"room":null},"__proto__":{"admin":true}}');
    const merged = mergePatch(target, patch) as Record<string, unknown>;
    expect(target.venue.room).toBe('Plenumssalen');
    expect(merged.venue).toEqual({ name: 'R4' });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
  });

  it('applies a patch to the editable fields and says what it touched and removed', () => {
    const record = { id: 'x', title: 'T', venue: { name: 'R4' }, streamingUrl: 'https://s', missing: undefined };
    const base = pickFields(record, ['title', 'venue', 'streamingUrl', 'missing']);
    expect(base).toEqual({ title: 'T', venue: { name: 'R4' }, streamingUrl: 'https://s' });
    expect(applyPatch(base, { streamingUrl: null, title: 'U' })).toEqual({ ok: true, merged: { title: 'U', venue: { name: 'R4' } }, touched: ['streamingUrl', 'title'], removed: ['streamingUrl'] });
    expect(applyPatch(base, [1])).toMatchObject({ ok: false });
    expect(applyPatch(base, 'x')).toMatchObject({ ok: false });
    expect(withoutFields(record, ['streamingUrl', 'venue'])).toEqual({ id: 'x', title: 'T', missing: undefined });
  });
});

describe('the registrant export', () => {
  it('takes the separator from ?sep=, else the delimiter parameter of text/csv, else a comma', () => {
    expect(exportDelimiter('text/csv', undefined)).toEqual({ ok: true, delimiter: ',' });
    expect(exportDelimiter('text/csv; delimiter=semicolon', undefined)).toEqual({ ok: true, delimiter: ';' });
    expect(exportDelimiter('application/json, text/CSV;q=0.9; Delimiter="semicolon"', undefined)).toEqual({ ok: true, delimiter: ';' });
    expect(exportDelimiter('text/html; delimiter=semicolon, text/csv', undefined)).toEqual({ ok: true, delimiter: ',' });
    expect(exportDelimiter('text/csv; delimiter=semicolon', 'comma')).toEqual({ ok: true, delimiter: ',' });
    expect(exportDelimiter('', 'Semicolon')).toEqual({ ok: true, delimiter: ';' });
    expect(exportDelimiter('', ';')).toEqual({ ok: true, delimiter: ';' });
    expect(exportDelimiter('', 'tab')).toEqual({ ok: false, field: 'sep', message: 'the separator is one of comma, semicolon' });
    expect(exportDelimiter('text/csv; delimiter=pipe', undefined)).toMatchObject({ ok: false, field: 'accept' });
  });

  it('knows when CSV is asked for', () => {
    expect(wantsCsv('text/csv; delimiter=semicolon', undefined)).toBe(true);
    expect(wantsCsv('application/json, text/csv', undefined)).toBe(true);
    expect(wantsCsv('application/json', 'csv')).toBe(true);
    expect(wantsCsv('application/json', undefined)).toBe(false);
    expect(wantsCsv('', undefined)).toBe(false);
  });

  it('writes times in Oslo time with the offset, winter and summer', () => {
    const row = registrantRow({ name: 'Åse', submittedAt: '2026-12-04T11:00:00.000Z', confirmedAt: '2027-06-01T10:30:00Z', cancelledAt: undefined });
    expect(row).toEqual({ name: 'Åse', submittedAt: '2026-12-04T12:00:00+01:00', confirmedAt: '2027-06-01T12:30:00+02:00', cancelledAt: undefined });
  });

  it('separates with semicolons, quotes a cell holding one, and still defuses formulas', () => {
    const csv = toCsv(['name', 'organisation'], [{ name: '=SUM(A1)', organisation: 'Bærum; Oslo' }], ';');
    expect(csv).toBe('\uFEFFname;organisation\r\n\'=SUM(A1);"Bærum; Oslo"\r\n');
    expect(toCsv(['a', 'b'], [{ a: 1, b: 'x,y' }])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n');
  });
});

describe('the audit filter and cursor', () => {
  const e = { who: 'kari', action: 'PATCH /admin/seminars/{seminarId}' };
  it('matches by actor and by action or its start', () => {
    expect(auditMatches(e, {})).toBe(true);
    expect(auditMatches(e, { actor: 'kari' })).toBe(true);
    expect(auditMatches(e, { actor: 'ola' })).toBe(false);
    expect(auditMatches(e, { action: 'PATCH' })).toBe(true);
    expect(auditMatches(e, { action: 'PATCH /admin/seminars' })).toBe(true);
    expect(auditMatches(e, { action: 'PATCH /admin/seminars/{seminarId}' })).toBe(true);
    expect(auditMatches(e, { action: 'PAT' })).toBe(false);
    expect(auditMatches(e, { action: 'PUT' })).toBe(false);
    expect(auditMatches({ who: 'kari', action: 'POST /admin/seminars/{seminarId}/schedule' }, { action: 'POST /admin/seminars' })).toBe(true);
  });

  it('round-trips the cursor and refuses a made-up one', () => {
    const c = auditCursor({ at: '2026-12-01T10:00:00.000Z', id: '0abc123' });
    expect(auditCursorKey(c)).toBe('2026-12-01T10:00:00.000Z#0abc123');
    expect(auditCursorKey('nonsense')).toBeUndefined();
  });
});

describe('the admin seminar list', () => {
  it('adds seats left, the waitlist length from the counters and the phase', () => {
    const s = { id: 'a', start: '2026-12-04T11:00:00Z', end: '2026-12-04T13:00:00Z', capacity: 40, seatsTaken: 40, waitlistTickets: 7, waitlistLeft: 2, status: 'scheduled' } as unknown as Seminar;
    expect(seminarListing(s, new Date('2026-12-01T00:00:00Z'))).toMatchObject({ seatsLeft: 0, waitlistLength: 5, phase: 'upcoming', capacity: 40, seatsTaken: 40 });
    expect(seminarListing({ ...s, seatsTaken: 10, waitlistTickets: undefined, waitlistLeft: undefined }, new Date('2026-12-05T00:00:00Z'))).toMatchObject({ seatsLeft: 30, waitlistLength: 0, phase: 'ended' });
  });
});
