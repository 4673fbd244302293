/**
 * What the back office needs of the admin API, on the local cloud: PATCH (JSON merge patch) of seminars,
 * schemes and deadlines with the PUT's validation, effects and events; the CSV export for Norwegian Excel
 * (semicolons on request, Oslo times); a person found by address; the seminar list's counters; the audit
 * log filtered by actor, action and time, page by page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, apiUrl, daysFromNow, idle, resetClock, setClock, uniqueEmail } from '../support/local.js';
import { createDraft, createSeminar, register, submitAndConfirm, waitForMail, subjectStarts } from '../support/seminars.js';
import { subscribeAndConfirm } from '../support/subscriptions.js';
import { registrantColumnNames } from '../../shared/domain/admin-inputs.js';

const MERGE_PATCH = { 'content-type': 'application/merge-patch+json' };
const OSLO_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+0[12]:00$/;
const fields = (res: { body: { errors?: Array<{ field: string }> } }) => (res.body.errors ?? []).map((e) => e.field);

describe('PATCH /admin/seminars/{id}', () => {
  it('moves a scheduled seminar with only start and end: SeminarUpdated, and the registrant hears of it', async () => {
    const id = await createSeminar({ title: 'Frokostseminar: Bedre styring og ledelse' });
    const { email } = await submitAndConfirm(id, { name: 'Kari Nordmann', email: uniqueEmail('kari'), organisation: 'DFØ', mode: 'physical' });
    await idle();
    const before = (await api('GET', `/admin/seminars/${id}`)).body;
    const start = daysFromNow(20, 7);
    const end = daysFromNow(20, 9);
    const res = await api('PATCH', `/admin/seminars/${id}`, { body: { start, end }, headers: MERGE_PATCH });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id, start, end, title: before.title, capacity: before.capacity, venue: before.venue, sequence: before.sequence + 1 });
    expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const mail = await waitForMail(email, subjectStarts('Nytt tidspunkt'));
    expect(mail.subject).toBe('Nytt tidspunkt: Frokostseminar: Bedre styring og ledelse');
    await idle();
  });

  it('merges objects, removes an optional field with null, and takes application/json too', async () => {
    const id = await createDraft();
    const res = await api('PATCH', `/admin/seminars/${id}`, { body: { venue: { room: null, name: 'Kulturkirken Jakob' }, streamingUrl: null, capacity: 60 } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.venue).toEqual({ name: 'Kulturkirken Jakob', address: 'Einar Gerhardsens plass 1' });
    expect(res.body.capacity).toBe(60);
    expect(res.body.eventId).toBeUndefined();
    const stored = (await api('GET', `/admin/seminars/${id}`)).body;
    expect(stored).not.toHaveProperty('streamingUrl');
    expect(stored.venue).toEqual({ name: 'Kulturkirken Jakob', address: 'Einar Gerhardsens plass 1' });
    expect(stored.program).toHaveLength(2);
  });

  it('validates the merged seminar as the full body: errors name the field', async () => {
    const id = await createDraft();
    const noTitle = await api('PATCH', `/admin/seminars/${id}`, { body: { title: null }, headers: MERGE_PATCH });
    expect(noTitle.status).toBe(400);
    expect(noTitle.headers.get('content-type')).toContain('application/problem+json');
    expect(fields(noTitle)).toEqual(['title']);
    const backwards = await api('PATCH', `/admin/seminars/${id}`, { body: { end: daysFromNow(1) }, headers: MERGE_PATCH });
    expect(backwards.status).toBe(400);
    expect(fields(backwards)).toEqual(['end']);
    const notAnObject = await api('PATCH', `/admin/seminars/${id}`, { body: '[1,2]', headers: MERGE_PATCH });
    expect(notAnObject.status).toBe(400);
    expect(fields(notAnObject)).toEqual(['(body)']);
    expect((await api('PATCH', '/admin/seminars/nosuchseminar0000000', { body: { capacity: 1 } })).status).toBe(404);
    expect((await api('GET', `/admin/seminars/${id}`)).body.title).toBe('Samordning i statsforvaltningen: Med blanke ark?');
  });
});

describe('PATCH /admin/schemes/{id} and /admin/deadlines/{id}', () => {
  let schemeId: string;
  let deadlineId: string;

  // The round's dates are fixed (a January deadline, its reminders 14, 3 and 1 days before): the clock is
  // set before them, so the test means the same whenever it runs.
  beforeAll(async () => {
    await setClock('2026-11-20T09:00:00Z');
    const scheme = await api('POST', '/admin/schemes', { body: { name: 'Medfinansieringsordningen', budgetNok: 120000000, maxSharePercent: 50 } });
    expect(scheme.status, scheme.text).toBe(201);
    schemeId = scheme.body.id;
    const deadline = await api('POST', `/admin/schemes/${schemeId}/deadlines`, { body: { round: '2027', deadline: '2027-01-17' } });
    expect(deadline.status, deadline.text).toBe(201);
    deadlineId = deadline.body.id;
    await idle();
  });

  it('changes and removes scheme fields, validated as the full scheme', async () => {
    const named = await api('PATCH', `/admin/schemes/${schemeId}`, { body: { nameEn: 'The co-funding scheme' }, headers: MERGE_PATCH });
    expect(named.status, named.text).toBe(200);
    expect(named.body).toMatchObject({ name: 'Medfinansieringsordningen', nameEn: 'The co-funding scheme', budgetNok: 120000000, maxSharePercent: 50 });
    const removed = await api('PATCH', `/admin/schemes/${schemeId}`, { body: { nameEn: null, budgetNok: null } });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).not.toHaveProperty('nameEn');
    expect(removed.body).not.toHaveProperty('budgetNok');
    expect(removed.body.maxSharePercent).toBe(50);
    const bad = await api('PATCH', `/admin/schemes/${schemeId}`, { body: { maxSharePercent: 150, name: null }, headers: MERGE_PATCH });
    expect(bad.status).toBe(400);
    expect(fields(bad).sort()).toEqual(['maxSharePercent', 'name']);
  });

  it('moves a deadline with only the new date: ApplicationDeadlineChanged, the reminders moved with it', async () => {
    const res = await api('PATCH', `/admin/deadlines/${deadlineId}`, { body: { deadline: '2027-01-24' }, headers: MERGE_PATCH });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: deadlineId, round: '2027', deadline: '2027-01-24T23:59:59+01:00', endOfDay: true, moved: true, previousDeadline: '2027-01-17T23:59:59+01:00' });
    expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.reminders.map((r: { at: string }) => r.at.slice(0, 10))).toEqual(['2027-01-10', '2027-01-21', '2027-01-23']);
    await idle();
    // A change of the reminders alone keeps the deadline (and that it was given as a date).
    const offsets = await api('PATCH', `/admin/deadlines/${deadlineId}`, { body: { reminderOffsets: [7] } });
    expect(offsets.status, offsets.text).toBe(200);
    expect(offsets.body).toMatchObject({ deadline: '2027-01-24T23:59:59+01:00', endOfDay: true, moved: false, reminderOffsets: [7] });
    const noRound = await api('PATCH', `/admin/deadlines/${deadlineId}`, { body: { round: null, deadline: 'soon' }, headers: MERGE_PATCH });
    expect(noRound.status).toBe(400);
    expect(fields(noRound).sort()).toEqual(['deadline', 'round']);
    expect((await api('GET', `/admin/deadlines/${deadlineId}`)).body.round).toBe('2027');
    await idle();
  });

  afterAll(() => resetClock());
});

describe('the registrant CSV for Norwegian Excel', () => {
  let seminarId: string;
  const ase = { email: uniqueEmail('ase'), name: 'Åse Ødegård', organisation: 'Bærum kommune; Oslo', mode: 'physical' };

  beforeAll(async () => {
    seminarId = await createSeminar({ doubleOptIn: false });
    expect((await register(seminarId, ase)).status).toBe(202);
    await idle();
  });

  const csv = async (query: string, accept: string) => {
    const res = await fetch(`${apiUrl()}/admin/seminars/${seminarId}/registrations${query}`, { headers: { accept, authorization: `Bearer ${await adminToken()}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { res, bytes, lines: bytes.subarray(3).toString('utf8').split('\r\n') };
  };

  it('is semicolon-separated with Accept: text/csv; delimiter=semicolon or ?sep=semicolon, with Oslo times and a BOM', async () => {
    for (const [query, accept] of [
      ['', 'text/csv; delimiter=semicolon'],
      ['?sep=semicolon', 'text/csv'],
      ['?format=csv&sep=semicolon', 'application/json'],
    ]) {
      const { res, bytes, lines } = await csv(query, accept);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(lines[0]).toBe(registrantColumnNames.join(';'));
      expect(lines[1]).toContain(`Åse Ødegård;${ase.email};"Bærum kommune; Oslo";physical;physical;confirmed;;nb;`);
      const [submittedAt, confirmedAt] = lines[1].split(';').slice(-3, -1);
      expect(submittedAt).toMatch(OSLO_ISO);
      expect(confirmedAt).toMatch(OSLO_ISO);
    }
  });

  it('stays comma-separated by default, keeps formulas defused, and refuses an unknown separator', async () => {
    const { lines } = await csv('', 'text/csv');
    expect(lines[0]).toBe(registrantColumnNames.join(','));
    expect(lines[1]).toContain(`Åse Ødegård,${ase.email},"Bærum kommune; Oslo",physical`);
    expect((await csv('?sep=comma', 'text/csv; delimiter=semicolon')).lines[0]).toBe(registrantColumnNames.join(','));
    const bad = await api('GET', `/admin/seminars/${seminarId}/registrations?sep=tab`, { headers: { accept: 'text/csv' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'sep', message: 'the separator is one of comma, semicolon' }]);
    const badAccept = await api('GET', `/admin/seminars/${seminarId}/registrations`, { headers: { accept: 'text/csv; delimiter=pipe' } });
    expect(badAccept.status).toBe(400);
    expect(fields(badAccept)).toEqual(['accept']);
  });
});

describe('a person found by address; the seminar list', () => {
  it('lists seats taken of capacity and the waitlist from the counters, and finds each person with their place', async () => {
    const seminarId = await createSeminar({ capacity: 1, doubleOptIn: false, title: 'Frokost med venteliste', physicalDeadline: daysFromNow(9) });
    const first = uniqueEmail('forste');
    const second = uniqueEmail('andre');
    expect((await register(seminarId, { name: 'Første', email: first, organisation: 'DFØ', mode: 'physical' })).status).toBe(202);
    await idle();
    expect((await register(seminarId, { name: 'Andre', email: second, organisation: 'DFØ', mode: 'physical', joinWaitlist: true })).status).toBe(202);
    await idle();

    const list = await api('GET', '/admin/seminars');
    expect(list.status).toBe(200);
    const item = list.body.items.find((s: { id: string }) => s.id === seminarId);
    expect(item).toMatchObject({ status: 'scheduled', phase: 'upcoming', capacity: 1, seatsTaken: 1, seatsLeft: 0, waitlistLength: 1, livestream: true });
    expect(item.physicalDeadline).toBe(daysFromNow(9));

    const scheme = await api('POST', '/admin/schemes', { body: { name: 'Skisekonkurransen' } });
    await subscribeAndConfirm({ schemeId: scheme.body.id }, second);
    const found = await api('GET', `/admin/people/${encodeURIComponent(second.toUpperCase())}`);
    expect(found.status, found.text).toBe(200);
    expect(found.headers.get('cache-control')).toBe('no-store');
    expect(found.body.email).toBe(second);
    expect(found.body.registrations).toEqual([
      expect.objectContaining({ seminarId, title: 'Frokost med venteliste', start: item.start, status: 'confirmed', attendance: 'waitlisted', waitlistPlace: 1 }),
    ]);
    expect(found.body.subscriptions).toEqual([expect.objectContaining({ kind: 'scheme', id: scheme.body.id, name: 'Skisekonkurransen', status: 'confirmed' })]);
    expect(found.body.deliveries.length).toBeGreaterThan(0);
    expect(found.body.suppressed).toBe(false);
    const seated = (await api('GET', `/admin/people/${encodeURIComponent(first)}`)).body;
    expect(seated.registrations[0]).toMatchObject({ attendance: 'physical', status: 'confirmed' });
    expect(seated.registrations[0]).not.toHaveProperty('waitlistPlace');
    expect(seated.subscriptions).toEqual([]);

    const nobody = await api('GET', `/admin/people/${encodeURIComponent(uniqueEmail('nobody'))}`);
    expect(nobody.status).toBe(404);
    expect(nobody.headers.get('content-type')).toContain('application/problem+json');
    const malformed = await api('GET', '/admin/people/not-an-address');
    expect(malformed.status).toBe(400);
    expect(fields(malformed)).toEqual(['email']);
    await idle();
  });
});

describe('GET /admin/audit, filtered and paged', () => {
  it('filters by actor, action and time, and pages with the cursor', async () => {
    const who = `auditor-${Date.now()}`;
    const token = await adminToken({ subject: who });
    const before = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await createDraft({ title: `Utkast ${i}` }, token));
    const patched = await api('PATCH', `/admin/seminars/${ids[0]}`, { body: { capacity: 5 }, token });
    expect(patched.status).toBe(200);
    const after = new Date().toISOString();

    const mine = await api('GET', `/admin/audit?actor=${who}&from=${encodeURIComponent(before)}`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((e: { action: string }) => e.action)).toEqual(['PATCH /admin/seminars/{seminarId}', 'POST /admin/seminars', 'POST /admin/seminars', 'POST /admin/seminars']);
    expect(mine.body.next).toBeUndefined();
    const patches = await api('GET', `/admin/audit?actor=${who}&action=PATCH`);
    expect(patches.body.items).toEqual([expect.objectContaining({ who, action: 'PATCH /admin/seminars/{seminarId}', status: 200, target: { seminarId: ids[0] } })]);
    const exact = await api('GET', `/admin/audit?actor=${who}&action=${encodeURIComponent('POST /admin/seminars')}`);
    expect(exact.body.items).toHaveLength(3);
    const none = await api('GET', `/admin/audit?actor=${who}&to=${encodeURIComponent(before)}`);
    expect(none.body.items).toEqual([]);

    // One entry a page, newest first, until no `next`.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await api('GET', `/admin/audit?actor=${who}&from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.items.map((e: { id: string }) => e.id));
      cursor = res.body.next;
      if (!cursor) break;
    }
    expect(seen).toEqual(mine.body.items.map((e: { id: string }) => e.id));
    const bad = await api('GET', '/admin/audit?cursor=nonsense&from=yesterday');
    expect(bad.status).toBe(400);
    expect(fields(bad).sort()).toEqual(['cursor', 'from']);
  });
});
