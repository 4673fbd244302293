/**
 * The registrant list in pages (issue 14, item 11): a Lambda answer may not pass 6 MB (about 15,000
 * registrants in one JSON answer), so `GET /admin/seminars/{id}/registrations` answers `limit` at a time
 * with an opaque `next` cursor. 450 registrants (400 seats, 50 on the waitlist) with `limit=200` come in
 * 3 pages, all distinct and all present, in submission order; counts and waitlist places are the whole
 * seminar's on every page. The CSV is paged the same way when asked (`Link: <…>; rel="next"`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, daysFromNow, idle, uniqueEmail, type AnyJson, type ApiResponse } from '../support/local.js';
import { createSeminar } from '../support/seminars.js';

const PEOPLE = 450;
const SEATS = 400;
let seminarId: string;
const emails: string[] = [];

beforeAll(async () => {
  seminarId = await createSeminar({ capacity: SEATS, livestream: false, doubleOptIn: false, start: daysFromNow(20, 7), end: daysFromNow(20, 9) });
  for (let i = 0; i < PEOPLE; i++) emails.push(uniqueEmail(`page${i}`));
  // Twenty at a time, in order, so that the waitlist is the last fifty.
  for (let i = 0; i < PEOPLE; i += 20) {
    const answers = await Promise.all(
      emails.slice(i, i + 20).map((email) => api('POST', `/seminars/${seminarId}/registrations`, { body: { email, name: 'Åse Ødegård', organisation: 'Bærum kommune', mode: 'physical', joinWaitlist: true } })),
    );
    for (const a of answers) expect(a.status, a.text).toBe(202);
  }
  await idle();
}, 300_000);

describe('registrant pages', () => {
  it('450 registrants with limit=200: 3 pages (200, 200, 50), all distinct, all present, counts and waitlist places of the whole seminar on each', async () => {
    const pages: AnyJson[] = [];
    let cursor: string | undefined;
    do {
      const res = await api('GET', `/admin/seminars/${seminarId}/registrations?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status, res.text).toBe(200);
      pages.push(res.body);
      cursor = res.body.next;
      expect(pages.length).toBeLessThanOrEqual(3);
    } while (cursor);

    expect(pages.map((p) => p.items.length)).toEqual([200, 200, 50]);
    expect(pages.map((p) => typeof p.next)).toEqual(['string', 'string', 'undefined']);
    const items = pages.flatMap((p) => p.items);
    expect(new Set(items.map((r: AnyJson) => r.id)).size).toBe(PEOPLE);
    expect(new Set(items.map((r: AnyJson) => r.email)).size).toBe(PEOPLE);
    expect(new Set(items.map((r: AnyJson) => r.email))).toEqual(new Set(emails));
    const order = items.map((r: AnyJson) => `${r.submittedAt}#${r.id}`);
    expect(order).toEqual([...order].sort());
    for (const p of pages) {
      expect(p.total).toBe(PEOPLE);
      expect(p.counts).toMatchObject({ physical: SEATS, waitlisted: PEOPLE - SEATS, pending: 0 });
    }
    const places = items.filter((r: AnyJson) => r.waitlistPosition !== undefined).map((r: AnyJson) => r.waitlistPosition as number);
    expect(places.sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1));

    // Without a limit the JSON answer is one page of 200, never the whole list.
    const first = await api('GET', `/admin/seminars/${seminarId}/registrations`);
    expect(first.body.items).toHaveLength(200);
    expect(first.body.next).toBe(pages[0].next);
  });

  it('a cursor we did not hand out, or a limit outside 1–1000, answers 400 naming the parameter', async () => {
    const bad = await api('GET', `/admin/seminars/${seminarId}/registrations?cursor=not-ours`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: AnyJson) => e.field)).toContain('cursor');
    for (const limit of ['0', '1001', 'lots']) {
      const res = await api('GET', `/admin/seminars/${seminarId}/registrations?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.errors.map((e: AnyJson) => e.field)).toContain('limit');
    }
  });

  it('the CSV is whole without a limit, and paged with one: Link rel="next" until the last page', async () => {
    const whole = await api('GET', `/admin/seminars/${seminarId}/registrations`, { headers: { accept: 'text/csv' } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('link')).toBeNull();
    const rows = (text: string) => text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
    expect(rows(whole.text)).toHaveLength(PEOPLE);

    const paged: string[] = [];
    let path: string | undefined = `/admin/seminars/${seminarId}/registrations?format=csv&limit=200`;
    while (path) {
      const res: ApiResponse = await api('GET', path);
      expect(res.status).toBe(200);
      paged.push(...rows(res.text));
      const link: string | null = res.headers.get('link');
      path = link ? `/admin/seminars/${seminarId}/registrations${/^<([^>]+)>; rel="next"$/.exec(link)![1]}` : undefined;
    }
    expect(paged).toEqual(rows(whole.text));
  });
});
