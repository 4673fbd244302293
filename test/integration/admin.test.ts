/**
 * The admin API through the local cloud: every admin route of the wiring (seminars, registrations as
 * JSON and CSV, deliveries, events, audit, erasure), the authorizer's answers (401 for a missing,
 * expired, forged or foreign token, 403 outside the admins group), validation problems, and the
 * retention TTL of the personal data.
 */
import { describe, expect, it, beforeAll, inject } from 'vitest';
import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { adminToken, api, apiUrl, bounce, daysFromNow, idle, mailbox, uniqueEmail } from '../support/local.js';
import { createDraft, createSeminar as createScheduled, register as post, seminarInput, type Json } from '../support/seminars.js';
import { allRoutes, routeKey } from '../../infra/wiring.js';
import { registrantColumnNames } from '../../shared/domain/admin-inputs.js';
import { NAMES, REGION } from '../../infra/local/cloud.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/auth.js';

const TABLE = NAMES.table;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let ddb: DynamoDBDocumentClient;
let raw: DynamoDBClient;

beforeAll(() => {
  raw = new DynamoDBClient({ endpoint: inject('dynamoUrl'), region: REGION, credentials });
  ddb = DynamoDBDocumentClient.from(raw);
});

/** The admin tests' seminar: 20 days ahead, no double opt-in, one reminder a day before. */
const seminarBody = (over: Json = {}) => seminarInput({ start: daysFromNow(20, 7), end: daysFromNow(20, 10), doubleOptIn: false, reminderOffsetsMinutes: [1440], ...over });

const createSeminar = (over: Json = {}, token?: string) => createDraft(seminarBody(over), token);
const scheduled = (over: Json = {}) => createScheduled(seminarBody(over));

async function register(seminarId: string, body: Json) {
  const res = await post(seminarId, body);
  expect(res.status, res.text).toBe(202);
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function scanAll(): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const OSLO_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+0[12]:00$/;

describe('seminars', () => {
  it('creates a draft, lists, reads and updates it; a draft is not public and its update publishes nothing', async () => {
    const res = await api('POST', '/admin/seminars', { body: seminarBody() });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/admin/seminars/${res.body.id}`);
    expect(res.body).toMatchObject({ status: 'draft', seatsTaken: 0, sequence: 0, title: seminarBody().title });
    const id = res.body.id as string;

    const list = await api('GET', '/admin/seminars');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(id);
    const one = await api('GET', `/admin/seminars/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, streamingUrl: seminarBody().streamingUrl, venue: { room: 'Plenumssalen i R4' } });
    expect((await api('GET', `/seminars/${id}`)).status).toBe(404);

    const updated = await api('PUT', `/admin/seminars/${id}`, { body: seminarBody({ title: 'Nytt navn på seminaret', capacity: 120 }) });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, title: 'Nytt navn på seminaret', capacity: 120, status: 'draft', sequence: 1 });
    expect(updated.body.eventId).toBeUndefined();
    expect((await api('GET', `/admin/seminars/${id}`)).body.title).toBe('Nytt navn på seminaret');
  });

  it('answers 404 for unknown seminars on every seminar route', async () => {
    for (const [method, path, body] of [
      ['GET', '/admin/seminars/unknown-seminar', undefined],
      ['PUT', '/admin/seminars/unknown-seminar', seminarBody()],
      ['POST', '/admin/seminars/unknown-seminar/schedule', undefined],
      ['POST', '/admin/seminars/unknown-seminar/cancel', {}],
      ['POST', '/admin/seminars/unknown-seminar/recording', { url: 'https://example.no/r' }],
      ['GET', '/admin/seminars/unknown-seminar/registrations', undefined],
    ] as const) {
      const res = await api(method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type'), `${method} ${path}`).toContain('application/problem+json');
      expect(res.body.detail).toContain('unknown-seminar');
    }
  });

  it('validation errors are problem+json naming each field in plain words', async () => {
    const res = await api('POST', '/admin/seminars', {
      body: { ...seminarBody(), title: '', end: seminarBody().start, capacity: 'many', venue: { name: '' }, doorsOpen: '8' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Invalid input', status: 400 });
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'capacity', 'venue.name', 'doorsOpen']));
    for (const e of res.body.errors) expect(e.message.length, e.field).toBeGreaterThan(3);
    expect(res.body.detail).toContain('title');

    const notJson = await api('POST', '/admin/seminars', { body: '{"title": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors).toEqual([{ field: '(body)', message: 'not valid JSON' }]);

    const id = await createSeminar();
    const endBeforeStart = await api('PUT', `/admin/seminars/${id}`, { body: { ...seminarBody(), end: daysFromNow(19) } });
    expect(endBeforeStart.status).toBe(400);
    expect(endBeforeStart.body.errors).toEqual([{ field: 'end', message: 'must be after start' }]);
  });

  it('odd input is refused with a 400 naming the field: javascript: links, NUL and CR/LF in one-line text, lone surrogates', async () => {
    const cases: [Json, string][] = [
      [{ streamingUrl: 'javascript:alert(document.cookie)' }, 'streamingUrl'],
      [{ streamingUrl: 'http://stream.example.no/live' }, 'streamingUrl'],
      [{ program: [{ start: '09:00', title: 'Åpning', slidesUrl: 'javascript:alert(1)' }] }, 'program.0.slidesUrl'],
      [{ title: 'Seminar\u0000' }, 'title'],
      [{ title: 'Seminar\r\nBcc: x@example.no' }, 'title'],
      [{ speakers: [{ name: 'Kari \ud800' }] }, 'speakers.0.name'],
    ];
    for (const [over, field] of cases) {
      const res = await api('POST', '/admin/seminars', { body: seminarBody(over) });
      expect(res.status, field).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(over)).toEqual([field]);
    }
    expect((await api('POST', '/admin/seminars', { body: seminarBody({ description: 'Linje en\nLinje to' }) })).status).toBe(201);
    const id = await createScheduled(seminarBody());
    const recording = await api('POST', `/admin/seminars/${id}/recording`, { body: { url: 'javascript:alert(1)' } });
    expect(recording.status).toBe(400);
    expect(recording.body.errors[0].field).toBe('url');
    const registration = await api('POST', `/seminars/${id}/registrations`, { body: { name: 'Ola \udc00', email: uniqueEmail(), mode: 'digital' } });
    expect(registration.status).toBe(400);
    expect(registration.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
  });

  it('schedules (SeminarScheduled → published), moves a scheduled seminar (SeminarUpdated), cancels it (SeminarCancelled)', async () => {
    const id = await createSeminar();
    const s = await api('POST', `/admin/seminars/${id}/schedule`);
    expect(s.status).toBe(202);
    expect(s.body).toMatchObject({ status: 'scheduling', seminarId: id });
    expect(s.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    await idle();
    expect((await api('GET', `/seminars/${id}`)).body).toMatchObject({ id, status: 'scheduled' });

    const moved = await api('PUT', `/admin/seminars/${id}`, { body: seminarBody({ start: daysFromNow(21, 7), end: daysFromNow(21, 10) }) });
    expect(moved.status).toBe(200);
    expect(moved.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(moved.body.sequence).toBe(1);
    await idle();

    const tooLong = await api('POST', `/admin/seminars/${id}/cancel`, { body: { reason: 'x'.repeat(2001) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].field).toBe('reason');

    const c = await api('POST', `/admin/seminars/${id}/cancel`, { body: { reason: 'Foredragsholder er syk' } });
    expect(c.status).toBe(202);
    expect(c.body).toMatchObject({ status: 'cancelled', seminarId: id });
    expect(c.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    await idle();
    expect((await api('GET', `/admin/seminars/${id}`)).body.status).toBe('cancelled');
    expect((await api('POST', `/admin/seminars/${id}/cancel`, { body: {} })).status).toBe(409);
    expect((await api('PUT', `/admin/seminars/${id}`, { body: seminarBody() })).status).toBe(409);
    expect((await api('POST', `/admin/seminars/${id}/schedule`)).status).toBe(409);
  });

  it('publishes the recording of a scheduled seminar only, with an https URL', async () => {
    const draft = await createSeminar();
    expect((await api('POST', `/admin/seminars/${draft}/recording`, { body: { url: 'https://example.no/opptak' } })).status).toBe(409);
    const id = await scheduled();
    const bad = await api('POST', `/admin/seminars/${id}/recording`, { body: { url: 'javascript:alert(1)' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'url', message: 'an https:// URL (http:// only for localhost)' }]);
    const ok = await api('POST', `/admin/seminars/${id}/recording`, { body: { url: 'https://example.no/opptak/6' } });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ status: 'recording-published', seminarId: id });
    expect(ok.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await api('GET', `/admin/seminars/${id}`)).body.recordingUrl).toBe('https://example.no/opptak/6');
    await idle();
  });
});

describe('registrants, deliveries and erasure', () => {
  let seminarId: string;
  const ase = { email: uniqueEmail('ase.odegard'), name: 'Åse Ødegård', organisation: 'Bærum kommune', mode: 'physical' };
  const bjorn = { email: uniqueEmail('bjorn'), name: 'Bjørn Ærlig-Øye', organisation: '=HYPERLINK("http://evil")', mode: 'physical', joinWaitlist: true };
  const carl = { email: uniqueEmail('carl'), name: 'Carl "CJ" O\'Hara, jr.', organisation: 'Direktoratet for forvaltning og økonomistyring', mode: 'digital', language: 'en' };

  beforeAll(async () => {
    seminarId = await scheduled({ capacity: 1 });
    await register(seminarId, ase);
    await register(seminarId, bjorn);
    await register(seminarId, carl);
    await idle();
  });

  it('lists registrants as JSON with counts and the waitlist position', async () => {
    const res = await api('GET', `/admin/seminars/${seminarId}/registrations`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ seminarId, capacity: 1, seatsTaken: 1, counts: { physical: 1, digital: 1, waitlisted: 1, pending: 0, cancelled: 0 } });
    const byEmail = Object.fromEntries(res.body.items.map((r: { email: string }) => [r.email, r]));
    expect(byEmail[ase.email]).toMatchObject({ name: 'Åse Ødegård', organisation: 'Bærum kommune', status: 'confirmed', attendance: 'physical' });
    expect(byEmail[bjorn.email]).toMatchObject({ attendance: 'waitlisted', waitlistPosition: 1 });
    expect(byEmail[carl.email]).toMatchObject({ attendance: 'digital', language: 'en', name: carl.name });
  });

  it('exports CSV: UTF-8 with BOM, the documented columns, æøå intact, quoting and formulas defused', async () => {
    const ways: Array<{ headers: Record<string, string>; query: string }> = [
      { headers: { accept: 'text/csv' }, query: '' },
      { headers: {}, query: '?format=csv' },
    ];
    for (const how of ways) {
      const res = await fetch(`${apiUrl()}/admin/seminars/${seminarId}/registrations${how.query}`, {
        headers: { ...how.headers, authorization: `Bearer ${await adminToken()}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="registrations-${seminarId}.csv"`);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      const lines = text.split('\r\n').slice(0, -1);
      expect(lines[0]).toBe(registrantColumnNames.join(','));
      expect(registrantColumnNames).toEqual(['name', 'email', 'organisation', 'requestedMode', 'attendance', 'status', 'waitlistPosition', 'language', 'submittedAt', 'confirmedAt', 'cancelledAt']);
      expect(lines).toHaveLength(4);
      const row = (email: string) => lines.find((l) => l.includes(email))!;
      expect(row(ase.email).startsWith(`Åse Ødegård,${ase.email},Bærum kommune,physical,physical,confirmed,,nb,`)).toBe(true);
      expect(row(bjorn.email)).toContain(`Bjørn Ærlig-Øye,${bjorn.email},"'=HYPERLINK(""http://evil"")",physical,waitlisted,confirmed,1,nb,`);
      expect(row(carl.email).startsWith(`"Carl ""CJ"" O'Hara, jr.",${carl.email},Direktoratet for forvaltning og økonomistyring,digital,digital,confirmed,,en,`)).toBe(true);
      const cells = row(ase.email).split(',');
      // Times in Oslo time with the offset, the same instants as the JSON's.
      expect(cells[8]).toMatch(OSLO_ISO);
      expect(cells[9]).toMatch(OSLO_ISO);
    }
  });

  it('shows the delivery log per seminar: who got which email when, and which addresses are suppressed', async () => {
    const sent = await eventually('confirmation emails in the ledger', async () => {
      const res = await api('GET', `/admin/deliveries?subject=${seminarId}`);
      const items = res.body.items as Array<{ recipient: string; status: string }>;
      const done = [ase, bjorn, carl].every((p) => items.some((i) => i.recipient === p.email && i.status === 'sent'));
      return done ? res : undefined;
    });
    expect(sent.status).toBe(200);
    expect(sent.body.subject).toBe(seminarId);
    const mine = sent.body.items.find((i: { recipient: string }) => i.recipient === ase.email);
    expect(mine).toMatchObject({ subject: seminarId, status: 'sent', suppressed: false });
    expect(mine.kind).toEqual(expect.any(String));
    expect(mine.sentAt).toMatch(ISO);
    expect(mine.messageId).toEqual(expect.any(String));
    expect(Object.values(sent.body.summary).some((byStatus) => (byStatus as Record<string, number>).sent >= 1)).toBe(true);

    // SES reports a permanent bounce for Carl (as the configuration set would publish it to the bus).
    await bounce(carl.email, { messageId: 'm-1' });
    await idle();
    const after = await api('GET', `/admin/deliveries?subject=${seminarId}`);
    const carlItems = after.body.items.filter((i: { recipient: string }) => i.recipient === carl.email);
    expect(carlItems.length).toBeGreaterThan(0);
    for (const i of carlItems) expect(i.suppressed).toBe(true);

    // The recording then goes to everyone but Carl, whose entry says suppressed.
    expect((await api('POST', `/admin/seminars/${seminarId}/recording`, { body: { url: 'https://example.no/opptak/x' } })).status).toBe(202);
    await idle();
    const rec = await eventually('recording deliveries', async () => {
      const r = await api('GET', `/admin/deliveries?subject=${seminarId}`);
      const items = (r.body.items as Array<{ kind: string; recipient: string; status: string }>).filter((i) => i.kind.startsWith('recording-'));
      return items.length >= 3 ? items : undefined;
    });
    expect(rec.find((i) => i.recipient === carl.email)?.status).toBe('suppressed');
    expect(rec.find((i) => i.recipient === ase.email)?.status).toBe('sent');

    // Page by page (two entries a page): every entry once, in the order of the whole log; the summary
    // and total are the whole log's on every page.
    const whole = (await api('GET', `/admin/deliveries?subject=${seminarId}`)).body;
    expect(whole.total).toBe(whole.items.length);
    expect(whole.next).toBeUndefined();
    const paged: Array<{ kind: string; recipient: string }> = [];
    let cursor: string | undefined;
    for (let n = 0; n < 50; n++) {
      const page = await api('GET', `/admin/deliveries?subject=${seminarId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status, page.text).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      expect(page.body.summary).toEqual(whole.summary);
      expect(page.body.total).toBe(whole.total);
      paged.push(...page.body.items);
      cursor = page.body.next;
      if (!cursor) break;
    }
    expect(whole.items.length).toBeGreaterThan(2);
    expect(paged.map((i) => `${i.kind}#${i.recipient}`)).toEqual(whole.items.map((i: { kind: string; recipient: string }) => `${i.kind}#${i.recipient}`));
    const badPage = await api('GET', `/admin/deliveries?subject=${seminarId}&limit=0&cursor=nonsense`);
    expect(badPage.status).toBe(400);
    expect(badPage.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['cursor', 'limit']);

    const missing = await api('GET', '/admin/deliveries');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('subject');
    const bad = await api('GET', '/admin/deliveries?subject=not%20an%20id!');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toEqual({ field: 'subject', message: 'letters, digits, - and _ only' });
  });

  it('keeps personal data only until the retention after the seminar ends (TTL expiresAt, enabled on the table)', async () => {
    const ttl = await raw.send(new DescribeTimeToLiveCommand({ TableName: TABLE }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
    const seminar = (await api('GET', `/admin/seminars/${seminarId}`)).body;
    const expected = Math.floor(Date.parse(seminar.end) / 1000) + 365 * 86400;
    const regs = await ddb.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SEMINAR#${seminarId}` } }),
    );
    const personal = (regs.Items ?? []).filter((i) => String(i.sk).startsWith('REG#') || String(i.sk).startsWith('EMAIL#'));
    expect(personal).toHaveLength(6);
    for (const i of personal) expect(i.expiresAt, String(i.sk)).toBe(expected);
    const ledger = await ddb.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `LEDGER#${seminarId}` } }),
    );
    expect(ledger.Items!.length).toBeGreaterThanOrEqual(5);
    for (const i of ledger.Items!) expect(i.expiresAt, String(i.sk)).toBe(expected);
  });

  it('erases a person everywhere: seat freed and given to the waitlist, ledger anonymised, receipt, audit by hash only', async () => {
    // A subscription (as shared/store/subscriptions.ts keeps it) and an item of a future module on the person index.
    await ddb.send(new PutCommand({ TableName: TABLE, Item: { pk: 'SUBS#scheme#erase-test', sk: 'SUB#s1', id: 's1', target: { kind: 'scheme', id: 'erase-test' }, email: ase.email, status: 'confirmed', gsi2pk: `PERSON#${ase.email}`, gsi2sk: 'SUB#scheme#erase-test' } }));
    await ddb.send(new PutCommand({ TableName: TABLE, Item: { pk: 'SUBS#scheme#erase-test', sk: `EMAIL#${ase.email}`, subscriptionId: 's1' } }));
    await ddb.send(new PutCommand({ TableName: TABLE, Item: { pk: 'FUTURE#1', sk: 'X', note: ase.email, gsi2pk: `PERSON#${ase.email}`, gsi2sk: 'FUTURE#1' } }));
    const before = new Date().toISOString();

    const res = await api('DELETE', `/admin/people/${encodeURIComponent(ase.email.toUpperCase())}`);
    expect(res.status, res.text).toBe(200);
    const receipt = res.body;
    expect(receipt.emailHash).toMatch(/^[0-9a-f]{32}$/);
    expect(receipt.receiptId).toEqual(expect.any(String));
    expect(receipt.erasedAt).toMatch(ISO);
    expect(receipt.counts).toMatchObject({
      registrations: 1,
      registrationGuards: 1,
      seatsFreed: 1,
      subscriptions: 1,
      subscriptionGuards: 1,
      otherItems: 1,
    });
    expect(receipt.counts.ledgerEntriesAnonymised).toBeGreaterThanOrEqual(2); // confirmation + recording
    expect(receipt.total).toBe(Object.values(receipt.counts as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(res.text).not.toContain(ase.email);

    // The freed seat goes to Bjørn, first on the waitlist, who is told by email.
    const promoted = await eventually('Bjørn promoted', async () => {
      const r = await api('GET', `/admin/seminars/${seminarId}/registrations`);
      const b = r.body.items.find((i: { email: string }) => i.email === bjorn.email);
      return b?.attendance === 'physical' ? r : undefined;
    });
    expect(promoted.body.counts).toMatchObject({ physical: 1, waitlisted: 0 });
    expect(promoted.body.seatsTaken).toBe(1);
    expect(promoted.text).not.toContain(ase.email);
    await idle();
    await eventually('promotion email', async () => {
      const items = (await api('GET', `/admin/deliveries?subject=${seminarId}`)).body.items as Array<{ kind: string; recipient: string; status: string }>;
      return items.some((i) => i.recipient === bjorn.email && i.kind.startsWith('waitlist-promoted') && i.status === 'sent') ? true : undefined;
    });
    expect((await mailbox(bjorn.email)).length).toBeGreaterThanOrEqual(2);

    // Nothing in the table names the address any more; the delivery log keeps anonymous entries.
    const leftovers = (await scanAll()).filter((i) => JSON.stringify(i).toLowerCase().includes(ase.email));
    expect(leftovers).toEqual([]);
    const deliveries = await api('GET', `/admin/deliveries?subject=${seminarId}`);
    const anon = deliveries.body.items.filter((i: { recipient: string }) => i.recipient === `anon-${receipt.emailHash}`);
    expect(anon.length).toBe(receipt.counts.ledgerEntriesAnonymised);
    for (const a of anon) expect(a.status).toBe('sent');
    const csv = await api('GET', `/admin/seminars/${seminarId}/registrations`, { headers: { accept: 'text/csv' } });
    expect(csv.text).not.toContain('Åse');

    // The audit log names the person by the hash only.
    const audit = await api('GET', `/admin/audit?since=${encodeURIComponent(before)}`);
    const entry = audit.body.items.find((e: { action: string }) => e.action === 'DELETE /admin/people/{email}');
    expect(entry).toMatchObject({ who: 'test-admin', status: 200, target: { emailHash: receipt.emailHash, receiptId: receipt.receiptId } });
    expect(audit.text).not.toContain(ase.email);

    // Erasing again finds nothing; a malformed address is a validation problem.
    const again = await api('DELETE', `/admin/people/${encodeURIComponent(ase.email)}`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ emailHash: receipt.emailHash, total: 0 });
    const bad = await api('DELETE', '/admin/people/not-an-address');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'email', message: 'a valid email address' }]);
  });
});

describe('events', () => {
  it('puts a valid catalogued event on the bus and answers its event id', async () => {
    const res = await api('POST', '/admin/events', {
      body: { detailType: 'SeminarReminderDue', detail: { version: 1, seminarId: 'no-such-seminar', start: daysFromNow(3), offsetMinutes: 60 } },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ detailType: 'SeminarReminderDue', source: 'seminar-events.clock' });
    expect(res.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    await idle();
    const dead = (await api('GET', '/_local/dead-letters')).body.items as Array<{ event: { id: string } }>;
    expect(dead.some((d) => JSON.stringify(d).includes(res.body.eventId))).toBe(false);
  });

  it('answers 400 naming the field for an invalid detail, an unknown detailType, or an AWS-owned event', async () => {
    const invalid = await api('POST', '/admin/events', {
      body: { detailType: 'SeminarRecordingPublished', detail: { version: 2, seminarId: 'has spaces', url: 'nope' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    const fields = invalid.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['detail.version', 'detail.seminarId', 'detail.url']));

    const unknown = await api('POST', '/admin/events', { body: { detailType: 'SeminarExploded', detail: { version: 1 } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('detailType');
    expect(unknown.body.errors[0].message).toContain('SeminarScheduled');
    expect(unknown.body.detail).toContain('SeminarExploded');

    const missing = await api('POST', '/admin/events', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('detailType');

    const aws = await api('POST', '/admin/events', { body: { detailType: 'Email Bounced', detail: { mail: {}, bounce: { bounceType: 'Permanent', bouncedRecipients: [] } } } });
    expect(aws.status).toBe(400);
    expect(aws.body.errors[0].field).toBe('detailType');
  });
});

describe('audit log', () => {
  it('records who (JWT subject), what and when for every admin change, not for reads', async () => {
    const who = `auditor-${Date.now().toString(36)}`;
    const token = await adminToken({ subject: who });
    const before = new Date(Date.now() - 1000).toISOString();
    const id = await createSeminar({}, token);
    expect((await api('POST', `/admin/seminars/${id}/schedule`, { token })).status).toBe(202);
    expect((await api('GET', `/admin/seminars/${id}`, { token })).status).toBe(200);
    expect((await api('PUT', `/admin/seminars/${id}`, { token, body: { title: '' } })).status).toBe(400);
    const after = new Date(Date.now() + 1000).toISOString();
    await idle();

    const res = await api('GET', `/admin/audit?since=${encodeURIComponent(before)}&limit=1000`);
    expect(res.status).toBe(200);
    const mine = (res.body.items as Array<{ who: string; action: string; at: string; status: number; target: Record<string, string>; eventId?: string; id: string }>).filter((e) => e.who === who);
    expect(mine.map((e) => e.action).sort()).toEqual(['POST /admin/seminars', 'POST /admin/seminars/{seminarId}/schedule']);
    for (const e of mine) {
      expect(e.at >= before && e.at <= after, e.at).toBe(true);
      expect(e.id).toEqual(expect.any(String));
    }
    const schedule = mine.find((e) => e.action.endsWith('/schedule'))!;
    expect(schedule).toMatchObject({ status: 202, target: { seminarId: id } });
    expect(schedule.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.find((e) => e.action === 'POST /admin/seminars')!.status).toBe(201);
    // Newest first.
    const times = (res.body.items as Array<{ at: string }>).map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    const bad = await api('GET', '/admin/audit?since=yesterday&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'since']);
  });
});

describe('authorization on every admin route', () => {
  const adminRoutes = allRoutes().filter((r) => r.auth === 'admin');
  const pathOf = (p: string) => p.replace(/\{email\}/, 'someone%40example.no').replace(/\{[^}]+\}/g, 'some-id');
  const call = (r: (typeof adminRoutes)[number], authorization?: string) =>
    fetch(`${apiUrl()}${pathOf(r.path)}`, {
      method: r.method,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}',
    });

  it('covers the admin routes of API.md', () => {
    const keys = adminRoutes.map(routeKey);
    for (const k of [
      'POST /admin/seminars',
      'PUT /admin/seminars/{seminarId}',
      'POST /admin/seminars/{seminarId}/schedule',
      'POST /admin/seminars/{seminarId}/cancel',
      'POST /admin/seminars/{seminarId}/recording',
      'GET /admin/seminars/{seminarId}/registrations',
      'GET /admin/deliveries',
      'POST /admin/events',
      'DELETE /admin/people/{email}',
    ]) {
      expect(keys).toContain(k);
    }
  });

  it('401 without a token, with an expired, forged (other key), unsigned, wrong-audience or wrong-issuer token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now + 600, 'cognito:groups': ['admins'] }),
    ).toString('base64url')}.`;
    const hs256 = await new SignJWT({ 'cognito:groups': ['admins'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode('a-guessed-shared-secret-of-enough-length'));
    const bad: Record<string, string | undefined> = {
      'no token': undefined,
      'not a bearer token': `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      garbage: 'Bearer not.a.jwt',
      expired: `Bearer ${await adminToken({ expiresInSeconds: -60 })}`,
      'forged (other key)': `Bearer ${await adminToken({ foreignKey: true })}`,
      'unsigned (alg none)': `Bearer ${unsigned}`,
      'HMAC-signed (alg confusion)': `Bearer ${hs256}`,
      'wrong audience': `Bearer ${await adminToken({ audience: 'some-other-client' })}`,
      'wrong issuer': `Bearer ${await adminToken({ issuer: 'https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_evil' })}`,
    };
    for (const r of adminRoutes) {
      for (const [what, authorization] of Object.entries(bad)) {
        const res = await call(r, authorization);
        expect(res.status, `${routeKey(r)}: ${what}`).toBe(401);
        expect(res.headers.get('www-authenticate'), `${routeKey(r)}: ${what}`).toBe('Bearer');
        await res.body?.cancel();
      }
    }
  });

  it('403 problem+json for a valid user outside the admins group, on every admin route', async () => {
    const tokens = [await adminToken({ subject: 'editor', groups: ['editors'] }), await adminToken({ subject: 'nobody', groups: [] })];
    for (const r of adminRoutes) {
      for (const t of tokens) {
        const res = await call(r, `Bearer ${t}`);
        expect(res.status, routeKey(r)).toBe(403);
        expect(res.headers.get('content-type'), routeKey(r)).toContain('application/problem+json');
        const body = (await res.json()) as { status: number; detail: string };
        expect(body.status).toBe(403);
        expect(body.detail).toContain('admins');
      }
    }
  });

  it('403 for a group whose name holds a comma ("readers,admins"), on every admin route; readers plus admins gets in', async () => {
    const comma = await adminToken({ subject: 'comma', groups: ['readers,admins'] });
    const both = await adminToken({ subject: 'both', groups: ['readers', 'admins'] });
    for (const r of adminRoutes) {
      const refused = await call(r, `Bearer ${comma}`);
      expect(refused.status, `${routeKey(r)} as "readers,admins"`).toBe(403);
      await refused.body?.cancel();
      const admitted = await call(r, `Bearer ${both}`);
      expect([401, 403], `${routeKey(r)} as readers + admins`).not.toContain(admitted.status);
      await admitted.body?.cancel();
    }
    expect(adminRoutes.length).toBeGreaterThanOrEqual(19);
  });

  it('the admins group passes (the same request with an admin token is not refused)', async () => {
    for (const r of adminRoutes.filter((x) => x.method === 'GET')) {
      const res = await call(r, `Bearer ${await adminToken()}`);
      expect([401, 403], routeKey(r)).not.toContain(res.status);
      await res.body?.cancel();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the erase route, the recording and cancel bodies and the CSV columns', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    expect(doc.paths['/admin/people/{email}'].delete.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/admin/people/{email}'].delete.parameters).toEqual([{ name: 'email', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(doc.paths['/admin/seminars/{seminarId}/recording'].post.requestBody.content['application/json'].schema.required).toEqual(['url']);
    expect(doc.paths['/admin/seminars/{seminarId}/cancel'].post.requestBody.content['application/json'].schema.properties.reason).toBeDefined();
    const csv = doc.paths['/admin/seminars/{seminarId}/registrations'].get.description as string;
    for (const c of registrantColumnNames) expect(csv).toContain(`\`${c}\``);
    expect(csv).toContain('byte-order mark');
    const events = doc.paths['/admin/events'].post.requestBody.content['application/json'].schema.properties.detailType.enum as string[];
    expect(events).toContain('SeminarScheduled');
    expect(events).not.toContain('Email Bounced');
  });
});

describe('erasure of a registration on the person index only (GSI)', () => {
  it('cancels a pending registration too and leaves other people alone', async () => {
    const id = await scheduled({ doubleOptIn: true, capacity: 5 });
    const gone = uniqueEmail('pending');
    const stays = uniqueEmail('stays');
    await register(id, { email: gone, name: 'Pål Pending', organisation: '', mode: 'physical' });
    await register(id, { email: stays, name: 'Siri Stays', organisation: '', mode: 'digital' });
    await idle();
    const res = await api('DELETE', `/admin/people/${encodeURIComponent(gone)}`);
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ registrations: 1, registrationGuards: 1, seatsFreed: 0 });
    const regs = (await api('GET', `/admin/seminars/${id}/registrations`)).body;
    expect(regs.items.map((r: { email: string }) => r.email)).toEqual([stays]);
    const guard = await ddb.send(new GetCommand({ TableName: TABLE, Key: { pk: `SEMINAR#${id}`, sk: `EMAIL#${stays}` } }));
    expect(guard.Item).toBeDefined();
  });
});

describe('retention follows the seminar when its end moves', () => {
  it('moves expiresAt of every registration, address guard and delivery-log entry (paged, idempotent), never bringing back an erased one', async () => {
    const id = await scheduled({ capacity: 1 });
    const people = [uniqueEmail('ttl-a'), uniqueEmail('ttl-b'), uniqueEmail('ttl-c')];
    await register(id, { email: people[0], name: 'Tone Ttl', organisation: '', mode: 'physical' });
    await register(id, { email: people[1], name: 'Tor Ttl', organisation: '', mode: 'physical', joinWaitlist: true });
    await register(id, { email: people[2], name: 'Tia Ttl', organisation: '', mode: 'digital' });
    await idle();
    expect((await api('DELETE', `/admin/people/${encodeURIComponent(people[2])}`)).status).toBe(200);
    const personal = async () =>
      ((await ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SEMINAR#${id}` }, ConsistentRead: true }))).Items ?? []).filter(
        (i) => String(i.sk).startsWith('REG#') || String(i.sk).startsWith('EMAIL#'),
      );
    const ttlOf = (end: string) => Math.floor(Date.parse(end) / 1000) + 365 * 86400;
    // The seminar's delivery log (the confirm and confirmation emails) names the addresses too.
    const deliveryLog = async () =>
      (await ddb.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `LEDGER#${id}` }, ConsistentRead: true }))).Items ?? [];
    const logBefore = await deliveryLog();
    expect(logBefore).toHaveLength(people.length); // one confirmation each; the erased person's entry anonymised
    for (const i of logBefore) expect(i.expiresAt, String(i.sk)).toBe(ttlOf(seminarBody().end as string));
    const before = await personal();
    expect(before).toHaveLength(4);
    for (const i of before) expect(i.expiresAt, String(i.sk)).toBe(ttlOf(seminarBody().end as string));

    // The end moves a day later (the start stays: no "moved" notice), then back and forth through the API.
    const laterEnd = daysFromNow(21, 10);
    const put = await api('PUT', `/admin/seminars/${id}`, { body: seminarBody({ capacity: 1, end: laterEnd }) });
    expect(put.status, put.text).toBe(200);
    await idle();
    const after = await eventually('expiresAt moved', async () => {
      const items = await personal();
      return items.every((i) => i.expiresAt === ttlOf(laterEnd)) ? items : undefined;
    });
    expect(after.map((i) => i.sk).sort()).toEqual(before.map((i) => i.sk).sort());
    expect(JSON.stringify(after)).not.toContain(people[2]);
    const logAfter = await eventually('delivery log moved', async () => {
      const items = await deliveryLog();
      return items.every((i) => i.expiresAt === ttlOf(laterEnd)) ? items : undefined;
    });
    expect(logAfter.map((i) => i.sk).sort()).toEqual(logBefore.map((i) => i.sk).sort());
    expect(JSON.stringify(logAfter)).not.toContain(people[2]);

    // The same event again (a redelivery) changes nothing and brings nothing back.
    const again = await api('POST', '/admin/events', {
      body: { detailType: 'SeminarUpdated', detail: { version: 1, seminarId: id, start: put.body.start, previousStart: put.body.start, changedFields: ['end'] } },
    });
    expect(again.status, again.text).toBeLessThan(300);
    await idle();
    const still = await personal();
    expect(still).toHaveLength(4);
    for (const i of still) expect(i.expiresAt, String(i.sk)).toBe(ttlOf(laterEnd));

    // A change that leaves the end alone leaves the TTL alone; an earlier end brings it forward.
    const earlierEnd = daysFromNow(20, 9);
    expect((await api('PUT', `/admin/seminars/${id}`, { body: seminarBody({ capacity: 1, end: earlierEnd }) })).status).toBe(200);
    await idle();
    await eventually('expiresAt brought forward', async () => ((await personal()).every((i) => i.expiresAt === ttlOf(earlierEnd)) ? true : undefined));
    await eventually('delivery log brought forward', async () => ((await deliveryLog()).every((i) => i.expiresAt === ttlOf(earlierEnd)) ? true : undefined));
  });
});
