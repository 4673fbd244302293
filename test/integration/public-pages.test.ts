/**
 * The public seminar pages on the local cloud: `GET /seminars` answers a browser with the HTML list of
 * upcoming and past seminars (with their recordings) and API clients with the same JSON as before, and a
 * finished seminar's registration page says it took place and links the recording.
 */
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { api, apiUrl, daysFromNow, idle, resetClock, setClock } from '../support/local.js';
import { createSeminar, type Json } from '../support/seminars.js';
import { formatOsloRange, formatOsloWeekdayDate } from '../../shared/domain/time.js';

/** A GET with no Accept header at all (fetch always sends one). */
function getWithoutAccept(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${apiUrl()}${path}`, { method: 'GET', headers: {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

afterAll(async () => {
  await resetClock();
});

describe('GET /seminars', () => {
  it('a browser gets the HTML list of upcoming seminars in nb (default) and en; API clients get JSON; both vary on Accept', async () => {
    const tag = `Listeside ${Date.now().toString(36)}`;
    const start = daysFromNow(10, 11);
    const end = daysFromNow(10, 15);
    const id = await createSeminar({ title: `${tag} <b>fet</b>`, kind: 'breakfast-seminar', start, end });

    const nb = await api('GET', '/seminars', { headers: html });
    expect(nb.status).toBe(200);
    expect(nb.headers.get('content-type')).toContain('text/html');
    expect(nb.headers.get('vary')?.toLowerCase()).toContain('accept');
    expect(nb.text).toMatch(/^<!doctype html>\n<html lang="nb">/);
    expect(nb.text).toContain('<h1>Seminarer og arrangementer</h1>');
    expect(nb.text).toContain(`<h3><a href="/seminars/${id}/register?lang=nb">${tag} &lt;b&gt;fet&lt;/b&gt;</a></h3>`);
    expect(nb.text).toContain('<dt>Type</dt><dd>Frokostseminar</dd>');
    expect(nb.text).toContain(`<dd>${formatOsloRange(start, end, 'nb', { weekday: true })}</dd>`);
    expect(nb.text).toContain('<dt>Påmelding åpen for</dt><dd>Fysisk og digitalt (strømming)</dd>');
    expect(nb.text).toContain('<a href="/seminars?lang=en" hreflang="en" lang="en">English</a>');
    expect(nb.text).not.toContain('stream-secret-xyz');

    const en = await api('GET', '/seminars?lang=en', { headers: html });
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('<h2 id="upcoming">Upcoming events</h2>');
    expect(en.text).toContain(`<a href="/seminars/${id}/register?lang=en">`);
    expect(en.text).toContain('<dt>Kind</dt><dd>Breakfast seminar</dd>');
    expect(en.text).toContain(`<dd>${formatOsloRange(start, end, 'en', { weekday: true })} (Norwegian time)</dd>`);

    for (const accept of ['application/json', '*/*']) {
      const res = await api('GET', '/seminars', { headers: { accept } });
      expect(res.status, accept).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('cache-control')).toBe('public, max-age=10');
      expect(res.headers.get('vary')?.toLowerCase()).toContain('accept');
      const item = (res.body.items as Json[]).find((s) => s.id === id)!;
      expect(item).toMatchObject({ id, title: `${tag} <b>fet</b>`, kind: 'breakfast-seminar', seatsLeft: 100, physicalRegistrationOpen: true, digitalRegistrationOpen: true });
      expect(item.program).toBeUndefined();
      expect(res.text).not.toContain('stream-secret-xyz');
    }
    const bare = await getWithoutAccept('/seminars');
    expect(bare.status).toBe(200);
    expect(bare.headers['content-type']).toContain('application/json');
    expect(String(bare.headers.vary).toLowerCase()).toContain('accept');
    expect((JSON.parse(bare.text).items as Json[]).map((s) => s.id)).toContain(id);
  });

  it('after the end: the list shows the seminar under past ones with its recording, the JSON no longer lists it, and its page says it took place', async () => {
    const tag = `Ferdig ${Date.now().toString(36)}`;
    const start = daysFromNow(2, 11);
    const end = daysFromNow(2, 15);
    const done = await createSeminar({ title: tag, start, end });
    const later = await createSeminar({ title: `${tag} senere`, start: daysFromNow(20, 11), end: daysFromNow(20, 15) });

    await setClock(new Date(Date.parse(end) + 3600_000).toISOString());
    const url = `https://example.no/opptak/${done}`;
    expect((await api('POST', `/admin/seminars/${done}/recording`, { body: { url } })).status).toBe(202);
    await idle();

    const page = await api('GET', `/seminars/${done}/register`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Arrangementet ble holdt ${formatOsloWeekdayDate(start, 'nb')}.`);
    expect(page.text).toContain(`<a class="button" href="${url}">Opptak av seminaret</a>`);
    expect(page.text).not.toContain(`action="/seminars/${done}/registrations`);
    expect(page.text).not.toContain('Arrangementet har startet');
    expect(page.text).not.toContain('Påmeldingen er stengt');
    expect(page.text).not.toContain('Ledige plasser i salen');
    const pageEn = await api('GET', `/seminars/${done}/register?lang=en`);
    expect(pageEn.text).toContain(`The event took place on ${formatOsloWeekdayDate(start, 'en')}.`);
    expect(pageEn.text).toContain(`href="${url}">Recording of the seminar</a>`);

    const list = await api('GET', '/seminars', { headers: html });
    expect(list.status).toBe(200);
    const pastAt = list.text.indexOf('<h2 id="past">');
    const doneAt = list.text.indexOf(`<a href="/seminars/${done}/register?lang=nb">${tag}</a>`);
    const laterAt = list.text.indexOf(`<a href="/seminars/${later}/register?lang=nb">`);
    expect(pastAt).toBeGreaterThan(0);
    expect(laterAt).toBeGreaterThan(0);
    expect(laterAt).toBeLessThan(pastAt); // still upcoming
    expect(doneAt).toBeGreaterThan(pastAt); // past
    expect(list.text).toContain(`<a href="${url}">Opptak av seminaret<span class="visually-hidden">: ${tag}</span></a>`);
    const listEn = await api('GET', '/seminars?lang=en', { headers: html });
    expect(listEn.text).toContain(`<a href="${url}">Recording of the seminar<span class="visually-hidden">: ${tag}</span></a>`);

    const json = await api('GET', '/seminars');
    const ids = (json.body.items as Json[]).map((s) => s.id);
    expect(ids).toContain(later);
    expect(ids).not.toContain(done);
  });
});
