/**
 * Funding schemes, application deadlines and subscriptions on the local cloud, through HTTP, the bus,
 * the scheduler, the handlers and the mailbox. The main test walks seed 001's timeline on its own dates
 * with the local clock (announce in October 2017 → guidance sessions 6 November and 6 December →
 * reminders 14, 3 and 1 days before 17 January 2018 → a move → the deadline passes → nothing more),
 * with every event delivered twice; others cover a flaky sender, date deadlines across both
 * daylight-saving changes, the subscription flow and its links, and the admin routes' validation.
 *
 * Clock-driven tests run on past dates: the schedules other test files leave for the future never fire
 * while this file moves the clock, and every schedule made here has fired or been deleted at the end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { api, apiUrl, bounce, chaos, header, idle, mailbox, mails, resetClock, setClock, uniqueEmail, type ApiResponse } from '../support/local.js';
import { linkIn, postThrottled as post, scheduleSeminar, type Json } from '../support/seminars.js';
import { subscribe as subscribeTo, subscribeAndConfirm as subscribeAndConfirmTo } from '../support/subscriptions.js';

// ---------------------------------------------------------------------------------------------
// Helpers

const schemeInput = (o: Json = {}): Json => ({
  name: 'Medfinansieringsordningen',
  nameEn: 'The co-funding scheme',
  description: {
    nb: 'Statlige virksomheter kan søke om støtte til deler av investeringskostnadene i et digitaliseringsprosjekt.',
    en: 'Government agencies can apply for part of the investment costs of a digitalisation project.',
  },
  budgetNok: 120_000_000,
  maxSharePercent: 50,
  url: 'https://example.no/medfinansiering',
  organiser: 'Difi',
  ...o,
});

async function createScheme(o: Json = {}): Promise<string> {
  const res = await api('POST', '/admin/schemes', { body: schemeInput(o) });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function announce(schemeId: string, body: Json): Promise<Json> {
  const res = await api('POST', `/admin/schemes/${schemeId}/deadlines`, { body });
  expect(res.status, res.text).toBe(201);
  await idle();
  return res.body;
}

async function createGuidanceSession(o: Json, schedule = true): Promise<string> {
  const created = await api('POST', '/admin/seminars', {
    body: { kind: 'guidance-session', capacity: 40, livestream: true, venue: { name: 'Difi', address: 'Grev Wedels plass 9, Oslo' }, ...o },
  });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  if (schedule) await scheduleSeminar(id);
  return id;
}

const subscribe = (schemeId: string, email: string, language: 'nb' | 'en' = 'nb') => subscribeTo({ schemeId }, email, language);
const subscribeAndConfirm = (schemeId: string, email: string, language: 'nb' | 'en' = 'nb') => subscribeAndConfirmTo({ schemeId }, email, language);

async function schedulesOf(deadlineId: string): Promise<Record<string, string>> {
  const items = (await api('GET', '/_local/schedules')).body.items as Array<{ Name: string; ScheduleExpression: string }>;
  return Object.fromEntries(items.filter((s) => s.Name.includes(deadlineId)).map((s) => [s.Name, s.ScheduleExpression]));
}

afterAll(async () => {
  await chaos({ duplicateDeliveries: false });
  await resetClock();
});

// ---------------------------------------------------------------------------------------------

describe('the seed timeline: co-funding scheme, deadline 17 January, guidance sessions 6 November and 6 December', () => {
  it('announces, tells about guidance sessions, reminds at 14/3/1 days, follows a move, then stops; every event twice, every email once', async () => {
    await setClock('2017-10-02T08:00:00Z');
    await chaos({ duplicateDeliveries: true });
    const schemeId = await createScheme();
    const [a, b, c, d, e, g, h, f] = ['a', 'b', 'pending', 'page-unsub', 'bounced', 'one-click', 'multipart', 'late'].map((t) => uniqueEmail(`scheme-${t}`));
    await subscribeAndConfirm(schemeId, a);
    await subscribeAndConfirm(schemeId, b, 'en');
    await subscribe(schemeId, c); // never confirms
    for (const x of [d, e, g, h]) await subscribeAndConfirm(schemeId, x);
    // e bounces permanently (SES's configuration set puts the event on the bus): suppressed from now on.
    await bounce(e);
    await idle();

    // ── Announce in October: a date deadline, the end of 17 January in Oslo ───────────────────
    const round = await announce(schemeId, { round: '2018', deadline: '2018-01-17' });
    expect(round).toMatchObject({ round: '2018', deadline: '2018-01-17T23:59:59+01:00', endOfDay: true, reminderOffsets: [14, 3, 1], status: 'open' });
    const deadlineId = round.id as string;
    expect(await schedulesOf(deadlineId)).toEqual({
      [`dl-${deadlineId}-reminder-14d`]: 'at(2018-01-03T08:00:00)',
      [`dl-${deadlineId}-reminder-3d`]: 'at(2018-01-14T08:00:00)',
      [`dl-${deadlineId}-reminder-1d`]: 'at(2018-01-16T08:00:00)',
    });
    const announced = await mails(a, /^Søknadsfrist/);
    expect(announced).toHaveLength(1);
    expect(announced[0].subject).toBe('Søknadsfrist 17. januar 2018: Medfinansieringsordningen');
    expect(announced[0].body.text).toContain('Søknadsfristen for Medfinansieringsordningen er onsdag 17. januar 2018, innen utgangen av dagen.');
    expect(announced[0].body.text).toContain('Ramme: 120 millioner kroner');
    expect(announced[0].body.text).toContain('Støtte: opptil 50 prosent av kostnadene');
    expect(announced[0].body.text).toContain('https://example.no/medfinansiering');
    expect(header(announced[0], 'List-Unsubscribe')).toMatch(/^<http:\/\/[^>]+\/unsubscribe\?token=[^>]+>$/);
    expect(header(announced[0], 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(linkIn(announced[0], '/unsubscribe')).toMatch(/^\/unsubscribe\?token=/);
    const announcedEn = await mails(b, /^Application deadline/);
    expect(announcedEn).toHaveLength(1);
    expect(announcedEn[0].subject).toBe('Application deadline 17 January 2018: The co-funding scheme');
    expect(announcedEn[0].body.text).toContain('Wednesday 17 January 2018, end of day (Norwegian time)');
    expect(await mails(c, /^Søknadsfrist/)).toHaveLength(0); // pending: never confirmed
    expect(await mails(e, /^Søknadsfrist/)).toHaveLength(0); // suppressed
    const log = (await api('GET', `/admin/deliveries?subject=${deadlineId}`)).body;
    expect(log.summary['deadline-announced']).toEqual({ sent: 5, suppressed: 1 });

    // ── Guidance sessions: one tied by schemeId, one listed by the round while still a draft ──────
    const g1 = await createGuidanceSession({ title: 'Veiledningssamling 1', schemeId, start: '2017-11-06T09:00:00+01:00', end: '2017-11-06T12:00:00+01:00' });
    const g2 = await createGuidanceSession({ title: 'Veiledningssamling 2', start: '2017-12-06T09:00:00+01:00', end: '2017-12-06T12:00:00+01:00' }, false);
    const listed = await api('PUT', `/admin/deadlines/${deadlineId}`, { body: { guidanceSessions: [g2] } });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body).toMatchObject({ moved: false, guidanceSessions: [g2] });
    await idle();
    await scheduleSeminar(g2);
    const guidance = await mails(a, /^Ny veiledningssamling/);
    expect(guidance.map((m) => m.subject).sort()).toEqual(['Ny veiledningssamling: Veiledningssamling 1', 'Ny veiledningssamling: Veiledningssamling 2']);
    const g1Mail = guidance.find((m) => m.subject.endsWith('1'))!;
    expect(g1Mail.body.text).toContain(`/seminars/${g1}/register`);
    expect(g1Mail.body.text).toContain('mandag 6. november 2017 kl. 09.00–12.00');
    expect(g1Mail.body.text).toContain('Søknadsfristen er onsdag 17. januar 2018, innen utgangen av dagen.');
    expect(header(g1Mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(g1Mail.body.text).toContain('/unsubscribe?token=');
    expect((await mails(b, /^New guidance session/)).map((m) => m.subject).sort()).toEqual([
      'New guidance session: Veiledningssamling 1',
      'New guidance session: Veiledningssamling 2',
    ]);
    expect(await mails(c, /veiledningssamling/i)).toHaveLength(0);
    expect(await mails(e, /veiledningssamling/i)).toHaveLength(0);

    // The public view: the open round, the deadline in Oslo time, the sessions with registration links.
    const list = await api('GET', '/schemes');
    expect(list.status).toBe(200);
    const mine = (list.body.items as Json[]).find((s) => s.id === schemeId)!;
    expect(mine.rounds).toEqual([
      expect.objectContaining({ id: deadlineId, round: '2018', deadline: '2018-01-17T23:59:59+01:00', endOfDay: true, status: 'open' }),
    ]);
    expect(mine.rounds[0].guidanceSessions.map((s: Json) => s.id)).toEqual([g1, g2]);
    expect(mine.rounds[0].guidanceSessions[0].registerUrl).toMatch(new RegExp(`/seminars/${g1}/register$`));
    const pageNb = await api('GET', '/schemes', { headers: { accept: 'text/html' } });
    expect(pageNb.headers.get('content-type')).toContain('text/html');
    expect(pageNb.text).toContain('Søknadsfrist: onsdag 17. januar 2018, innen utgangen av dagen.');
    expect(pageNb.text).toContain(`href="/seminars/${g1}/register?lang=nb"`);
    expect(pageNb.text).toContain(`action="/schemes/${schemeId}/subscriptions?lang=nb"`);
    expect(pageNb.text).not.toContain('<script');
    const pageEn = await api('GET', '/schemes?lang=en', { headers: { accept: 'text/html' } });
    expect(pageEn.text).toContain('Application deadline: Wednesday 17 January 2018, end of day (Norwegian time).');
    expect(pageEn.text).toContain('<html lang="en">');

    // ── A late subscriber (HTML form, no JavaScript) hears about the open round at once ─────────
    await setClock('2017-11-10T10:00:00Z');
    const form = await post(`/schemes/${schemeId}/subscriptions`, { form: { email: f.toUpperCase(), language: 'nb' } });
    // 303 to the scheme's page saying "check your email" (Post/Redirect/Get: a reload does not post again).
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`/schemes/${schemeId}?sent=1&lang=nb`);
    const sentPage = await api('GET', form.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(sentPage.status).toBe(200);
    expect(sentPage.text).toContain('Sjekk e-posten din');
    expect(sentPage.text).not.toContain(`action="/schemes/${schemeId}/subscriptions`);
    expect(sentPage.text).toContain(`href="/schemes/${schemeId}?sent=1&amp;lang=en" hreflang="en"`);
    await idle();
    const fConfirm = (await mails(f, /^Bekreft abonnementet ditt/))[0];
    await api('POST', linkIn(fConfirm, '/subscriptions/confirm'), { form: {} });
    await idle();
    const fAnnounced = await mails(f, /^Søknadsfrist/);
    expect(fAnnounced).toHaveLength(1);
    expect(fAnnounced[0].body.text).toContain('Veiledningssamling 2'); // still ahead
    expect(fAnnounced[0].body.text).not.toContain('Veiledningssamling 1'); // already held

    // ── 14 days before: 3 January 09:00 Oslo time ──────────────────────────────────────────────
    await setClock('2018-01-03T07:59:00Z');
    expect(await mails(a, /^Påminnelse/)).toHaveLength(0);
    await setClock('2018-01-03T08:00:30Z');
    for (const x of [a, d, f, g, h]) expect(await mails(x, /^Påminnelse: søknadsfrist 17. januar 2018/), x).toHaveLength(1);
    const r14 = (await mails(a, /^Påminnelse/))[0];
    expect(r14.body.text).toContain('Det er 14 dager igjen til søknadsfristen for Medfinansieringsordningen.');
    expect(r14.body.text).not.toContain('Veiledningssamling'); // both sessions are over
    expect(await mails(b, /^Reminder: application deadline 17 January 2018/)).toHaveLength(1);
    expect(await mails(c, /^Påminnelse/)).toHaveLength(0);
    expect(await mails(e, /^Påminnelse/)).toHaveLength(0);

    // ── Unsubscribes in the middle: the page and its button, and RFC 8058 one-click POSTs ───────
    const dPath = linkIn((await mails(d, /^Påminnelse/))[0], '/unsubscribe');
    const dPage = await api('GET', dPath);
    expect(dPage.status).toBe(200);
    expect(dPage.text).toContain('action="/unsubscribe"');
    expect(dPage.text).toContain(d);
    const dDone = await api('POST', '/unsubscribe', { form: { token: new URLSearchParams(dPath.split('?')[1]).get('token')!, lang: 'nb' } });
    expect(dDone.status).toBe(200);
    expect(dDone.text).toContain('Du er meldt av');
    const gUrl = new URL(header((await mails(g, /^Påminnelse/))[0], 'List-Unsubscribe')!.slice(1, -1));
    const oneClick = await api('POST', gUrl.pathname + gUrl.search, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(oneClick.status).toBe(200);
    const hUrl = new URL(header((await mails(h, /^Påminnelse/))[0], 'List-Unsubscribe')!.slice(1, -1));
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    const hRes = await fetch(`${apiUrl()}${hUrl.pathname}${hUrl.search}`, { method: 'POST', body: multipart });
    expect(hRes.status).toBe(200);
    const again = await api('POST', gUrl.pathname + gUrl.search, { form: { 'List-Unsubscribe': 'One-Click' }, headers: { accept: 'application/json' } });
    expect(again.body).toEqual({ status: 'unsubscribed', alreadyUnsubscribed: true });

    // ── 3 days before ──────────────────────────────────────────────────────────────────────────
    await setClock('2018-01-14T08:00:30Z');
    for (const x of [a, f]) expect(await mails(x, /^Påminnelse/), x).toHaveLength(2);
    expect((await mails(a, /^Påminnelse/)).map((m) => m.body.text).join('\n')).toContain('Det er 3 dager igjen');
    expect(await mails(b, /^Reminder/)).toHaveLength(2);
    for (const x of [d, g, h]) expect(await mails(x, /^Påminnelse/), x).toHaveLength(1);

    // ── The deadline moves a week later: every reminder moves; past ones are not sent late ──────
    await setClock('2018-01-14T09:00:00Z');
    const moved = await api('PUT', `/admin/deadlines/${deadlineId}`, { body: { deadline: '2018-01-24' } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ moved: true, deadline: '2018-01-24T23:59:59+01:00', previousDeadline: '2018-01-17T23:59:59+01:00' });
    await idle();
    expect(await schedulesOf(deadlineId)).toEqual({
      [`dl-${deadlineId}-reminder-3d`]: 'at(2018-01-21T08:00:00)',
      [`dl-${deadlineId}-reminder-1d`]: 'at(2018-01-23T08:00:00)',
    }); // 14 days before the new deadline (10 January) has passed: no schedule, nothing sent late
    const movedMail = await mails(a, /^Ny søknadsfrist/);
    expect(movedMail).toHaveLength(1);
    expect(movedMail[0].subject).toBe('Ny søknadsfrist for Medfinansieringsordningen: 24. januar 2018');
    expect(movedMail[0].body.text).toContain('Søknadsfristen for Medfinansieringsordningen er utsatt.');
    expect(movedMail[0].body.text).toContain('Ny frist: onsdag 24. januar 2018, innen utgangen av dagen');
    expect(movedMail[0].body.text).toContain('Tidligere frist: onsdag 17. januar 2018, innen utgangen av dagen');
    expect(await mails(b, /^New application deadline/)).toHaveLength(1);
    expect(await mails(f, /^Ny søknadsfrist/)).toHaveLength(1);
    for (const x of [c, d, e, g, h]) expect(await mails(x, /^Ny søknadsfrist/), x).toHaveLength(0);
    // ApplicationDeadlineChanged put by hand with a made-up earlier deadline, under a new revision or the
    // move's own: the move is the round's as stored, told once, from where it really moved.
    for (const revision of [moved.body.revision + 7, moved.body.revision]) {
      const forged = await api('POST', '/admin/events', {
        body: { detailType: 'ApplicationDeadlineChanged', detail: { version: 1, schemeId, deadlineId, deadline: '2018-01-24T23:59:59+01:00', previousDeadline: '2017-12-01T12:00:00+01:00', revision } },
      });
      expect(forged.status, forged.text).toBe(202);
    }
    await idle();
    expect(await mails(a, /^Ny søknadsfrist/)).toHaveLength(1);
    expect((await mails(a, /^Ny søknadsfrist/))[0].body.text).toContain('Tidligere frist: onsdag 17. januar 2018');

    // The old 1-day moment passes: nothing. A stale schedule's event (old deadline) does nothing either.
    await setClock('2018-01-16T08:00:30Z');
    const stale = await api('POST', '/admin/events', {
      body: { detailType: 'ApplicationDeadlineReminderDue', detail: { version: 1, schemeId, deadlineId, deadline: '2018-01-17T23:59:59+01:00', offsetDays: 1 } },
    });
    expect(stale.status).toBe(202);
    await idle();
    expect(await mails(a, /^Påminnelse/)).toHaveLength(2);

    // ── 3 and 1 days before the new deadline ───────────────────────────────────────────────────
    await setClock('2018-01-21T08:00:30Z');
    const r3new = await mails(a, /^Påminnelse: søknadsfrist 24. januar 2018/);
    expect(r3new).toHaveLength(1);
    expect(r3new[0].body.text).toContain('Det er 3 dager igjen');
    await setClock('2018-01-23T08:00:30Z');
    const r1 = await mails(a, /^Påminnelse: søknadsfrist 24. januar 2018/);
    expect(r1).toHaveLength(2);
    expect(r1.map((m) => m.body.text).join('\n')).toContain('Det er én dag igjen til søknadsfristen');
    expect(await mails(b, /^Reminder: application deadline 24 January 2018/)).toHaveLength(2);
    expect(await mails(f, /^Påminnelse/)).toHaveLength(4);

    // ── The deadline passes: the round shows closed, nothing more goes out, nothing is left ────
    await setClock('2018-01-25T08:00:00Z');
    const late = await api('POST', '/admin/events', {
      body: { detailType: 'ApplicationDeadlineReminderDue', detail: { version: 1, schemeId, deadlineId, deadline: '2018-01-24T23:59:59+01:00', offsetDays: 1 } },
    });
    expect(late.status).toBe(202);
    await idle();
    await setClock('2018-03-01T08:00:00Z');
    expect(await schedulesOf(deadlineId)).toEqual({});
    const closed = await api('GET', `/schemes/${schemeId}`);
    expect(closed.body.rounds[0]).toMatchObject({ id: deadlineId, status: 'closed' });
    const closedPage = await api('GET', `/schemes/${schemeId}`, { headers: { accept: 'text/html' } });
    expect(closedPage.text).toContain('Runden er stengt.');
    expect((await api('PUT', `/admin/deadlines/${deadlineId}`, { body: { deadline: '2018-06-01' } })).status).toBe(409);

    // Every email exactly once, although every event was delivered twice.
    const count = async (x: string) => (await mailbox(x)).length;
    // a: confirm, announced, 2 guidance sessions, 14d, 3d, moved, 3d (new), 1d (new)
    expect(await count(a)).toBe(9);
    expect(await count(b)).toBe(9);
    // f: confirm, announced, 14d, 3d, moved, 3d (new), 1d (new)
    expect(await count(f)).toBe(7);
    // d, g, h: confirm, announced, 2 guidance sessions, 14d — then unsubscribed
    for (const x of [d, g, h]) expect(await count(x), x).toBe(5);
    expect(await count(c)).toBe(1); // the confirm email only
    expect(await count(e)).toBe(1); // confirmed, then bounced: suppressed
    const deliveries = (await api('GET', `/admin/deliveries?subject=${deadlineId}`)).body;
    expect(deliveries.summary['deadline-announced']).toEqual({ sent: 6, suppressed: 1 }); // a b d g h f; e suppressed
    expect(deliveries.summary[`deadline-reminder-1d-${Date.parse('2018-01-24T22:59:59Z') / 1000}`]).toEqual({ sent: 3, suppressed: 1 }); // a b f; e suppressed
    expect((await api('GET', '/_local/dead-letters')).body.items.filter((x: Json) => JSON.stringify(x.event).includes(schemeId))).toEqual([]);
    await chaos({ duplicateDeliveries: false });
  }, 240_000);
});

describe('exactly once on an unreliable world', () => {
  it('half of the SES calls failing and every event twice: each subscriber gets the announcement and the reminder once', async () => {
    await setClock('2017-05-02T08:00:00Z');
    const schemeId = await createScheme();
    const people = Array.from({ length: 12 }, (_, i) => uniqueEmail(`flaky-${i}`));
    for (const p of people) await subscribeAndConfirm(schemeId, p);
    try {
      await api('POST', '/_local/chaos', { body: { duplicateDeliveries: true, sesFailureRate: 0.5 } });
      const round = await announce(schemeId, { round: 'Sommer 2017', deadline: '2017-06-02', reminderOffsets: [1] });
      await setClock('2017-06-01T07:00:30Z');
      await api('POST', '/_local/chaos', { body: { duplicateDeliveries: false, sesFailureRate: 0 } });
      for (const p of people) {
        expect(await mails(p, /^Søknadsfrist 2. juni 2017/), p).toHaveLength(1);
        expect(await mails(p, /^Påminnelse: søknadsfrist 2. juni 2017/), p).toHaveLength(1);
      }
      const log = (await api('GET', `/admin/deliveries?subject=${round.id}`)).body;
      expect(log.summary['deadline-announced']).toEqual({ sent: 12 });
    } finally {
      await api('POST', '/_local/chaos', { body: { duplicateDeliveries: false, sesFailureRate: 0 } });
    }
  }, 180_000);
});

describe('a deadline given as a date means the end of that day in Oslo, across daylight saving', () => {
  it('spring: 25 March 2018 (clocks go forward that night) ends at 23:59:59+02:00; reminders at 09:00 Oslo time', async () => {
    await setClock('2018-03-01T10:00:00Z');
    const schemeId = await createScheme({ name: 'Skissekonkurranse for innovasjonspartnerskap', nameEn: undefined, budgetNok: 15_000_000, maxSharePercent: undefined });
    const a = uniqueEmail('dst-spring');
    const b = uniqueEmail('dst-spring-en');
    await subscribeAndConfirm(schemeId, a);
    await subscribeAndConfirm(schemeId, b, 'en');
    const round = await announce(schemeId, { round: 'Våren 2018', deadline: '2018-03-25', reminderOffsets: [1, 3] });
    expect(round).toMatchObject({ deadline: '2018-03-25T23:59:59+02:00', endOfDay: true, reminderOffsets: [3, 1] });
    expect(Date.parse(round.deadline)).toBe(Date.parse('2018-03-25T21:59:59Z'));
    expect(await schedulesOf(round.id)).toEqual({
      [`dl-${round.id}-reminder-3d`]: 'at(2018-03-22T08:00:00)', // 09:00 CET
      [`dl-${round.id}-reminder-1d`]: 'at(2018-03-24T08:00:00)',
    });
    const announced = (await mails(a, /^Søknadsfrist/))[0];
    expect(announced.subject).toBe('Søknadsfrist 25. mars 2018: Skissekonkurranse for innovasjonspartnerskap');
    expect(announced.body.text).toContain('er søndag 25. mars 2018, innen utgangen av dagen.');
    expect(announced.body.text).toContain('Ramme: 15 millioner kroner');
    expect((await mails(b, /^Application deadline/))[0].body.text).toContain('Sunday 25 March 2018, end of day (Norwegian time)');

    await setClock('2018-03-24T08:00:30Z');
    const reminders = await mails(a, /^Påminnelse/);
    expect(reminders).toHaveLength(2);
    expect(reminders.map((m) => m.body.text).join('\n')).toContain('Det er én dag igjen');

    await setClock('2018-03-25T21:59:00Z'); // 23:59 CEST: still open
    expect((await api('GET', `/schemes/${schemeId}`)).body.rounds[0].status).toBe('open');
    await setClock('2018-03-25T22:00:00Z'); // midnight in Oslo: closed
    expect((await api('GET', `/schemes/${schemeId}`)).body.rounds[0].status).toBe('closed');
    expect(await schedulesOf(round.id)).toEqual({});
  }, 120_000);

  it('autumn: 25 October 2026 (clocks go back that night) ends at 23:59:59+01:00; the reminder the day before is 09:00 summer time', async () => {
    await setClock('2026-10-01T10:00:00Z');
    const schemeId = await createScheme();
    const a = uniqueEmail('dst-autumn');
    await subscribeAndConfirm(schemeId, a, 'en');
    const round = await announce(schemeId, { round: 'Autumn 2026', deadline: '2026-10-25', reminderOffsets: [1] });
    expect(round.deadline).toBe('2026-10-25T23:59:59+01:00');
    expect(Date.parse(round.deadline)).toBe(Date.parse('2026-10-25T22:59:59Z'));
    expect(await schedulesOf(round.id)).toEqual({ [`dl-${round.id}-reminder-1d`]: 'at(2026-10-24T07:00:00)' }); // 09:00 CEST
    await setClock('2026-10-24T06:59:00Z');
    expect(await mails(a, /^Reminder/)).toHaveLength(0);
    await setClock('2026-10-24T07:00:30Z');
    const reminder = await mails(a, /^Reminder/);
    expect(reminder).toHaveLength(1);
    expect(reminder[0].subject).toBe('Reminder: application deadline 25 October 2026 for The co-funding scheme');
    expect(reminder[0].body.text).toContain('There is one day left until the application deadline for The co-funding scheme.');
    expect(reminder[0].body.text).toContain('The deadline is Sunday 25 October 2026, end of day (Norwegian time).');
    await setClock('2026-10-25T22:59:00Z');
    expect((await api('GET', `/schemes/${schemeId}`)).body.rounds[0].status).toBe('open');
    await setClock('2026-10-25T23:00:00Z');
    expect((await api('GET', `/schemes/${schemeId}`)).body.rounds[0].status).toBe('closed');
  }, 120_000);
});

describe('subscriptions', () => {
  it('one per address and scheme (case-insensitive, trimmed): the same 202, the confirm link again at most once a day, nothing for a confirmed address', async () => {
    await resetClock();
    const schemeId = await createScheme();
    const email = uniqueEmail('sub-repeat');
    await subscribe(schemeId, email);
    await subscribe(schemeId, `  ${email.toUpperCase()} `);
    await subscribe(schemeId, email);
    const confirms = await mails(email, /^Bekreft abonnementet ditt/);
    expect(confirms).toHaveLength(2); // the first, and one repeat today
    expect(confirms[0].body.text).toContain('Du får ingen varsler før du har bekreftet.');
    expect(confirms[0].body.text).toContain('/unsubscribe?token='); // can opt out straight away
    expect((await api('GET', `/admin/schemes/${schemeId}`)).body.subscribers).toEqual({ pending: 1, confirmed: 0, unsubscribed: 0 });

    // Both links confirm the same subscription; confirming twice changes nothing.
    await api('POST', linkIn(confirms[1], '/subscriptions/confirm'), { form: {} });
    const twice = await api('POST', linkIn(confirms[0], '/subscriptions/confirm'), { headers: { accept: 'application/json' } });
    expect(twice.body).toEqual({ status: 'confirmed', alreadyConfirmed: true });
    await idle();
    await subscribe(schemeId, email);
    expect(await mails(email)).toHaveLength(2);
    expect((await api('GET', `/admin/schemes/${schemeId}`)).body.subscribers).toEqual({ pending: 0, confirmed: 1, unsubscribed: 0 });

    // Unsubscribed, then subscribed again: double opt-in again.
    const unsub = linkIn(confirms[0], '/unsubscribe');
    expect((await api('GET', unsub)).text).toContain('action="/unsubscribe"');
    expect((await api('GET', `/admin/schemes/${schemeId}`)).body.subscribers.confirmed).toBe(1); // a GET changes nothing
    expect((await api('POST', unsub, { form: { 'List-Unsubscribe': 'One-Click' } })).status).toBe(200);
    expect((await api('GET', `/admin/schemes/${schemeId}`)).body.subscribers).toEqual({ pending: 0, confirmed: 0, unsubscribed: 1 });
    const confirmAfterUnsub = await api('POST', linkIn(confirms[0], '/subscriptions/confirm'), { headers: { accept: 'application/json' } });
    expect(confirmAfterUnsub.status).toBe(409);
    await setClock(new Date(Date.now() + 86400_000 + 3600_000).toISOString());
    await subscribe(schemeId, email, 'en');
    const again = await mails(email, /^Confirm your subscription/);
    expect(again).toHaveLength(1);
    expect((await api('GET', `/admin/schemes/${schemeId}`)).body.subscribers).toEqual({ pending: 1, confirmed: 0, unsubscribed: 0 });
    await resetClock();
  });

  it('refuses bad input and bad links with plain answers', async () => {
    const schemeId = await createScheme();
    const bad = await post(`/schemes/${schemeId}/subscriptions`, { body: { email: 'not an address', language: 'de' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((x: Json) => x.field).sort()).toEqual(['email', 'language']);
    const badForm = await post(`/schemes/${schemeId}/subscriptions`, { form: { email: 'nope', language: 'en' } });
    expect(badForm.status).toBe(400);
    expect(badForm.text).toContain('Enter a valid email address');
    expect(badForm.text).toContain('aria-invalid="true"');
    expect(badForm.text).toContain('value="nope"');
    expect((await post('/schemes/nosuchscheme/subscriptions', { body: { email: uniqueEmail() } })).status).toBe(404);
    const unpublished = await createScheme({ published: false });
    expect((await post(`/schemes/${unpublished}/subscriptions`, { body: { email: uniqueEmail() } })).status).toBe(404);
    expect(((await api('GET', '/schemes')).body.items as Json[]).some((s) => s.id === unpublished)).toBe(false);

    expect((await api('GET', '/unsubscribe?token=forged.token')).status).toBe(400);
    expect((await api('POST', '/unsubscribe?token=forged.token', { form: { 'List-Unsubscribe': 'One-Click' } })).status).toBe(400);
    expect((await api('GET', '/subscriptions/confirm')).status).toBe(400);
    const notJson = await api('POST', '/subscriptions/confirm?token=x.y', { headers: { accept: 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.reason).toBe('malformed');
  });
});

describe('a sketch competition (seed 004): sketches by 21 August, then the five best pitch on 15 September', () => {
  it('the round lists its pitch day; page, JSON and emails call it a pitch day and promise no guidance sessions', async () => {
    await resetClock();
    const schemeId = await createScheme({
      name: 'Skissekonkurranse for innovasjonspartnerskap',
      nameEn: 'Sketch competition for innovation partnerships',
      description: { nb: 'De fem beste prosjektene inviteres til pitchekonkurranse.', en: 'The five best projects are invited to a pitch competition.' },
      budgetNok: 15_000_000,
      maxSharePercent: undefined,
      url: 'https://example.no/innovasjonspartnerskap',
      organiser: 'Innovasjon Norge',
    });
    const pitchId = await createGuidanceSession({
      kind: 'pitch',
      title: 'Pitchekonkurranse: de fem beste skissene',
      schemeId,
      start: '2031-09-15T09:00:00+02:00',
      end: '2031-09-15T12:00:00+02:00',
    });
    const round = await announce(schemeId, { round: '2031', deadline: '2031-08-21', reminderOffsets: [], guidanceSessions: [pitchId] });
    expect(round).toMatchObject({ deadline: '2031-08-21T23:59:59+02:00', guidanceSessions: [pitchId] });

    const json = (await api('GET', `/schemes/${schemeId}`)).body;
    expect(json.rounds[0].sessions).toEqual([expect.objectContaining({ id: pitchId, kind: 'pitch', label: 'Pitchdag', start: '2031-09-15T09:00:00+02:00' })]);
    expect(json.rounds[0].guidanceSessions).toEqual([]);
    expect((await api('GET', `/schemes/${schemeId}?lang=en`)).body.rounds[0].sessions[0].label).toBe('Pitch day');
    const html = (await api('GET', `/schemes/${schemeId}`, { headers: { accept: 'text/html' } })).text;
    expect(html).toContain('<p>De beste prosjektene inviteres til pitchdag:</p>');
    expect(html).toContain('mandag 15. september 2031 kl. 09.00–12.00');
    expect(html).toContain('Vi sender deg søknadsfrister, datoen for pitchdagen og påminnelser før fristen.');
    expect(html).not.toMatch(/veiledning/i);

    const who = uniqueEmail('skisse');
    await subscribeAndConfirm(schemeId, who);
    const [confirm] = await mails(who, /^Bekreft abonnementet ditt/);
    expect(confirm.body.text).toContain('Skissekonkurranse for innovasjonspartnerskap: søknadsfrister, datoen for pitchdagen og påminnelser før fristen.');
    const [announced] = await mails(who, /^Søknadsfrist 21. august 2031: Skissekonkurranse for innovasjonspartnerskap$/);
    expect(announced.body.text).toContain('De beste prosjektene inviteres til pitchdag:');
    expect(announced.body.text).toContain('- Pitchekonkurranse: de fem beste skissene, mandag 15. september 2031 kl. 09.00–12.00');
    expect(`${confirm.body.text}${announced.body.text}`).not.toMatch(/veiledning/i);
  });
});

describe('admin routes for schemes and deadlines', () => {
  it('create, read, replace a scheme; its rounds with reminder times and subscriber counts', async () => {
    await resetClock();
    const id = await createScheme();
    const one = await api('GET', `/admin/schemes/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, name: 'Medfinansieringsordningen', budgetNok: 120000000, maxSharePercent: 50, published: true, rounds: [] });
    const replaced = await api('PUT', `/admin/schemes/${id}`, { body: schemeInput({ name: 'Medfinansieringsordningen 2031', budgetNok: 100_000_000 }) });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, name: 'Medfinansieringsordningen 2031', budgetNok: 100000000 });
    expect(((await api('GET', '/admin/schemes')).body.items as Json[]).find((s) => s.id === id)?.name).toBe('Medfinansieringsordningen 2031');
    const round = await announce(id, { round: '2031', deadline: '2031-01-17T12:00:00+01:00', reminderOffsets: [7] });
    expect(round).toMatchObject({ deadline: '2031-01-17T12:00:00+01:00', endOfDay: false, reminderOffsets: [7], guidanceSessions: [] });
    expect(round.eventId).toMatch(/[0-9a-f-]{36}/);
    expect((await api('GET', `/admin/deadlines/${round.id}`)).body.reminders).toEqual([
      { offsetDays: 7, at: '2031-01-10T08:00:00.000Z', schedule: `dl-${round.id}-reminder-7d`, due: true },
    ]);
    const changed = await api('PUT', `/admin/deadlines/${round.id}`, { body: { reminderOffsets: [14, 2] } });
    expect(changed.status).toBe(200);
    await idle();
    expect(await schedulesOf(round.id)).toEqual({
      [`dl-${round.id}-reminder-14d`]: 'at(2031-01-03T08:00:00)',
      [`dl-${round.id}-reminder-2d`]: 'at(2031-01-15T08:00:00)',
    }); // the removed 7-day schedule is gone
    expect((await api('PUT', `/admin/deadlines/${round.id}`, { body: { reminderOffsets: [] } })).status).toBe(200);
    await idle();
    expect(await schedulesOf(round.id)).toEqual({}); // no reminders at all: every schedule retired
    const audit = (await api('GET', '/admin/audit')).body.items as Json[];
    expect(audit.some((x) => x.action === 'PUT /admin/deadlines/{deadlineId}')).toBe(true);
  });

  it('validation errors are problem+json naming each field', async () => {
    await resetClock();
    const fieldsOf = (r: ApiResponse) => (r.body.errors as Json[]).map((x) => x.field).sort();
    const empty = await api('POST', '/admin/schemes', { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldsOf(empty)).toEqual(['name']);
    const wrong = await api('POST', '/admin/schemes', { body: { name: 'X', budgetNok: -1, maxSharePercent: 150, url: 'javascript:alert(1)' } });
    expect(fieldsOf(wrong)).toEqual(['budgetNok', 'maxSharePercent', 'url']);

    const id = await createScheme();
    const badRound = await api('POST', `/admin/schemes/${id}/deadlines`, { body: { round: '', deadline: '17. januar', reminderOffsets: [0, 400] } });
    expect(badRound.status).toBe(400);
    expect(fieldsOf(badRound)).toEqual(['deadline', 'reminderOffsets.0', 'reminderOffsets.1', 'round']);
    expect(badRound.body.detail).toContain('deadline');
    const impossible = await api('POST', `/admin/schemes/${id}/deadlines`, { body: { round: 'R', deadline: '2031-02-30' } });
    expect(fieldsOf(impossible)).toEqual(['deadline']);
    const past = await api('POST', `/admin/schemes/${id}/deadlines`, { body: { round: 'R', deadline: '2020-01-17' } });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: 'deadline', message: 'must be in the future' }]);
    const seminar = await api('POST', '/admin/seminars', {
      body: { title: 'Frokostseminar', kind: 'breakfast-seminar', start: '2031-01-10T08:30:00+01:00', end: '2031-01-10T10:00:00+01:00', capacity: 10 },
    });
    const notGuidance = await api('POST', `/admin/schemes/${id}/deadlines`, { body: { round: 'R', deadline: '2031-01-17', guidanceSessions: [seminar.body.id, 'nosuch'] } });
    expect(notGuidance.status).toBe(400);
    expect(notGuidance.body.errors[0]).toEqual({ field: 'guidanceSessions.0', message: `seminar ${seminar.body.id} is a breakfast-seminar, not a guidance-session or pitch` });
    const unknown = await api('POST', `/admin/schemes/${id}/deadlines`, { body: { round: 'R', deadline: '2031-01-17', guidanceSessions: ['nosuch'] } });
    expect(unknown.body.errors).toEqual([{ field: 'guidanceSessions.0', message: 'no seminar with id nosuch' }]);

    expect((await api('POST', '/admin/schemes/nosuch/deadlines', { body: { round: 'R', deadline: '2031-01-17' } })).status).toBe(404);
    expect((await api('PUT', '/admin/deadlines/nosuch', { body: { deadline: '2031-01-17' } })).status).toBe(404);
    expect((await api('GET', '/admin/schemes/nosuch')).status).toBe(404);
    const round = await announce(id, { round: 'R', deadline: '2031-01-17' });
    const noFields = await api('PUT', `/admin/deadlines/${round.id}`, { body: {} });
    expect(noFields.status).toBe(400);
    expect(noFields.body.errors[0].message).toContain('at least one of');
    expect(fieldsOf(await api('PUT', `/admin/deadlines/${round.id}`, { body: { deadline: 'tomorrow' } }))).toEqual(['deadline']);
    expect((await api('PUT', `/admin/deadlines/${round.id}`, { body: { reminderOffsets: [] } })).status).toBe(200);
    expect((await api('POST', '/admin/schemes', { body: schemeInput(), token: null })).status).toBe(401);
  });

  it('are in the OpenAPI document with their request bodies', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    for (const p of ['/schemes', '/schemes/{schemeId}/subscriptions', '/subscriptions/confirm', '/unsubscribe', '/admin/schemes', '/admin/schemes/{schemeId}/deadlines', '/admin/deadlines/{deadlineId}']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/admin/schemes'].post.requestBody.content['application/json'].schema.required).toEqual(['name']);
    const deadline = doc.paths['/admin/schemes/{schemeId}/deadlines'].post.requestBody.content['application/json'].schema;
    expect(deadline.required).toEqual(expect.arrayContaining(['round', 'deadline']));
    expect(doc.paths['/admin/deadlines/{deadlineId}'].put.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/schemes/{schemeId}/subscriptions'].post.requestBody.content['application/json'].schema.required).toEqual(['email']);
  });
});
