/**
 * The organiser console in a real browser (Chromium through playwright-core, the system's /usr/bin/chromium)
 * on the local cloud, served at ${API}/console/ with the stand-in sign-in page: sign in as admin@local, then
 * each flow end to end with a screenshot each under test-results/, and axe-core on every page visited
 * (no serious or critical violation). viewer@local is refused at sign-in.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { api, apiUrl, mailbox, resetClock, uniqueEmail } from '../support/local.js';
import { submitAndConfirm } from '../support/seminars.js';
import { buildConsole } from '../../console/build.js';
import { demoScheme, demoSeminars } from '../../infra/local/demo.js';

/** The seed's breakfast seminar, tagged: other tests in the same cloud create one of the same name. */
const TITLE = `Frokostseminar: Bedre styring og ledelse (${Date.now().toString(36)})`;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = resolve(import.meta.dirname, '../../test-results');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser | undefined;

async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser!.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo', viewport: { width: 1100, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Opens the console, which sends the browser to the stand-in sign-in page; signs in there. */
async function signIn(page: Page, email: string, hash = '') {
  await page.goto(`${apiUrl()}/console/${hash}`);
  await page.waitForURL(/\/_local\/auth\/oauth2\/authorize/);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill('local');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(new RegExp(`/console/`));
  await expect.poll(() => page.locator('h1').count()).toBe(1);
}

const heading = async (page: Page) => (await page.locator('h1').innerText()).trim();

async function shot(page: Page, name: string) {
  await page.screenshot({ path: resolve(RESULTS, `console-${name}.png`), fullPage: true });
}

/** axe-core in the page: no serious or critical violation. */
async function axe(page: Page, name: string) {
  // Evaluated through the DevTools protocol: the console's CSP (rightly) refuses an injected inline script.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const w = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } };
    const r = await w.axe.run(w.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${name}`).toEqual([]);
}

/** 17 March of the next year whose 17 March lies ahead (the seed's breakfast seminar, dated into the future). */
function seminarYear(): number {
  const now = new Date();
  return now.getUTCMonth() < 2 ? now.getUTCFullYear() : now.getUTCFullYear() + 1;
}

describe('the organiser console in a browser', () => {
  let page: Page;
  let errors: string[];
  let seminarId = '';
  const year = seminarYear();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}. Install it with "apt-get install -y chromium" (CI's .ci/run does), or set CHROMIUM_PATH.`);
    mkdirSync(RESULTS, { recursive: true });
    await resetClock();
    await buildConsole({ quiet: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    ({ page, errors } = await newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('refuses viewer@local at sign-in with a page saying so', async () => {
    const v = await newPage();
    await signIn(v.page, 'viewer@local');
    await expect.poll(() => heading(v.page)).toBe('Ingen tilgang');
    await expect.poll(() => v.page.getByText('ikke administrator').count()).toBe(1);
    expect(await v.page.locator('nav[aria-label=Hovedmeny]').count()).toBe(0);
    await axe(v.page, 'refused');
    await shot(v.page, '00-refused');
    await v.context.close();
  });

  it('signs in as admin@local and lists the seminars, upcoming and past, in Oslo time', async () => {
    await signIn(page, 'admin@local');
    await expect.poll(() => heading(page)).toBe('Seminarer');
    await expect.poll(() => page.getByRole('heading', { name: 'Kommende' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Tidligere' }).count()).toBe(1);
    expect(await page.getByText('Innlogget som admin@local').count()).toBe(1);
    await axe(page, 'seminars list');
    await shot(page, '01-seminars');
  });

  it('creates the breakfast seminar of seed 001 with its program and deadlines, errors beside the fields first', async () => {
    await page.getByRole('link', { name: 'Nytt seminar' }).click();
    await expect.poll(() => heading(page)).toBe('Nytt seminar');
    // Focus moves to the new page's heading, so a screen reader announces it; the skip link comes first.
    await expect.poll(() => page.locator('h1:focus').count()).toBe(1);
    await page.locator('a.skip').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('main:focus').count()).toBe(1);
    await page.getByRole('button', { name: 'Opprett' }).click();
    const summary = page.locator('.error-summary');
    await expect.poll(() => summary.count()).toBe(1);
    await expect.poll(() => page.locator('.error-summary:focus').count()).toBe(1);
    expect(await page.locator('#f-title-error').count()).toBe(1);
    await axe(page, 'seminar form with errors');

    await page.locator('#f-title').fill(TITLE);
    await page.locator('#f-kind').selectOption('breakfast-seminar');
    await page.locator('#f-description').fill('Samordning – en utfordring med mange muligheter. Nett-tv: se sendingen her.');
    await page.locator('#f-start').fill(`${year}-03-17T08:30`);
    await page.locator('#f-end').fill(`${year}-03-17T10:00`);
    await page.locator('#f-doorsOpen').fill('08:00');
    await page.locator('#f-venue-name').fill('Regjeringskvartalet');
    await page.locator('#f-venue-room').fill('Plenumssalen i R4');
    await page.locator('#f-venue-address').fill('Einar Gerhardsens plass 1');
    await page.locator('#f-capacity').fill('150');
    expect(await page.locator('#f-livestream').isChecked()).toBe(true);
    await page.locator('#f-physicalDeadline').fill(`${year}-03-14T15:00`);
    await page.locator('#f-digitalDeadline').fill(`${year}-03-14T15:00`);
    const program: Array<[string, string, string, string]> = [
      ['08:30', '08:40', 'Velkommen', 'Eivind Dale, departementsråd i KMD'],
      ['08:40', '09:20', 'Panelsamtale 1: Om samordning fra et departement', 'Tom Rådahl, departementsråd i KLD\nTor Saglie, departementsråd i JD'],
      ['09:20', '10:00', 'Panelsamtale 2: Samordning i praksis', 'Ingrid Finboe Svendsen\nKjetil Moen'],
    ];
    for (const [i, [start, end, title, speakers]] of program.entries()) {
      await page.getByRole('button', { name: 'Legg til programpunkt' }).click();
      await page.locator(`#f-program-${i}-start`).fill(start);
      await page.locator(`#f-program-${i}-end`).fill(end);
      await page.locator(`#f-program-${i}-title`).fill(title);
      await page.locator(`#f-program-${i}-speakers`).fill(speakers);
    }
    await page.locator('#f-program-0-slidesUrl').fill('https://example.no/lysark/velkommen.pdf');
    await page.locator('#f-streamingUrl').fill('https://example.no/nett-tv/bedre-styring');
    await page.getByRole('button', { name: 'Opprett' }).click();
    await page.waitForURL(/#\/seminars\/(?!new$)[^/]+$/);
    seminarId = page.url().split('#/seminars/')[1];
    await expect.poll(() => heading(page)).toBe(TITLE);
    await expect.poll(() => page.getByText('Utkast').count()).toBeGreaterThan(0);
    expect(await page.getByRole('status').filter({ hasText: 'Lagret.' }).count()).toBe(1);
    expect(await page.getByText('Oslo-tid').count()).toBeGreaterThan(0);

    const stored = (await api('GET', `/admin/seminars/${seminarId}`)).body;
    expect(stored.start).toBe(`${year}-03-17T08:30:00+01:00`);
    expect(stored.physicalDeadline).toBe(`${year}-03-14T15:00:00+01:00`);
    expect(stored.doorsOpen).toBe('08:00');
    expect(stored.venue).toEqual({ name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' });
    expect(stored.program.map((p: { title: string }) => p.title)).toEqual(program.map((p) => p[2]));
    expect(stored.program[1].speakers[1]).toEqual({ name: 'Tor Saglie', title: 'departementsråd i JD' });
    expect(stored.program[0].slidesUrl).toBe('https://example.no/lysark/velkommen.pdf');
    await axe(page, 'seminar page');
    await shot(page, '02-created');
  });

  it('schedules it', async () => {
    await page.getByRole('button', { name: 'Publiser (planlegg)' }).click();
    await expect.poll(() => page.getByText('Seminaret er publisert.').count()).toBe(1);
    // on-seminar-scheduled publishes it; a cold instance of the function may take a few seconds.
    await expect.poll(async () => (await api('GET', `/admin/seminars/${seminarId}`)).body.status, { timeout: 20_000 }).toBe('scheduled');
    await shot(page, '03-scheduled');
  });

  let registrant = '';
  it('finds a registrant and exports the CSV (semicolon-separated)', async () => {
    registrant = uniqueEmail('kari');
    await submitAndConfirm(seminarId, { name: 'Kari Nordmann', email: registrant, organisation: 'DFØ', mode: 'physical' });
    await submitAndConfirm(seminarId, { name: 'Ola Digital', email: uniqueEmail('ola'), organisation: 'Difi', mode: 'digital' });
    await page.getByRole('link', { name: 'Påmeldte' }).click();
    await expect.poll(() => page.getByText('2 treff').count()).toBe(1);
    await page.locator('#reg-search').fill('kari');
    await expect.poll(() => page.getByText('1 treff').count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: 'Kari Nordmann' }).count()).toBe(1);
    await page.locator('#reg-filter').selectOption('digital');
    await expect.poll(() => page.getByText('0 treff').count()).toBe(1);
    await page.locator('#reg-search').fill('');
    await expect.poll(() => page.getByText('1 treff').count()).toBe(1);
    await page.locator('#reg-filter').selectOption('all');
    await axe(page, 'registrants');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Eksporter CSV (Excel)' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.split('\r\n')[0]).toContain(';');
    expect(csv).toContain(registrant);
    await expect.poll(() => page.getByRole('link', { name: 'Lagre filen' }).count()).toBe(1);
    await shot(page, '04-registrants-csv');
  });

  it('moves the seminar, showing how many will be told, and the "Nytt tidspunkt" emails arrive', async () => {
    await page.getByRole('link', { name: 'Tilbake' }).click();
    await expect.poll(() => page.getByText('2 påmeldte får beskjed på e-post.').count()).toBeGreaterThan(0);
    await page.locator('#move-start').fill(`${year}-03-18T08:30`);
    await page.locator('#move-end').fill(`${year}-03-18T10:00`);
    await page.getByRole('button', { name: 'Flytt', exact: true }).click();
    await expect.poll(() => page.getByText('Seminaret er flyttet. Påmeldte får beskjed.').count()).toBe(1);
    expect((await api('GET', `/admin/seminars/${seminarId}`)).body.start).toBe(`${year}-03-18T08:30:00+01:00`);
    await expect.poll(async () => (await mailbox(registrant)).filter((m) => m.subject.startsWith('Nytt tidspunkt')).length, { timeout: 20_000 }).toBe(1);
    await axe(page, 'seminar page after move');
    await shot(page, '05-moved');
    await page.getByRole('link', { name: 'Utsendelseslogg' }).click();
    await expect.poll(() => heading(page)).toBe('Utsendelseslogg');
    await expect.poll(() => page.getByRole('rowheader', { name: registrant }).count()).toBeGreaterThan(0);
    await axe(page, 'delivery log');
    await page.goBack();
    await expect.poll(() => heading(page)).toBe(TITLE);
  });

  it('publishes the recording', async () => {
    await page.locator('#f-url').fill('https://example.no/opptak/bedre-styring');
    await page.getByRole('button', { name: 'Publiser opptaket' }).click();
    await expect.poll(() => page.getByText('Opptaket er publisert.').count()).toBe(1);
    await expect.poll(async () => (await api('GET', `/admin/seminars/${seminarId}`)).body.recordingUrl).toBe('https://example.no/opptak/bedre-styring');
    await expect.poll(() => page.getByRole('button', { name: 'Rett opptakslenken' }).count()).toBe(1);
    await shot(page, '06-recording');
  });

  it('edits the seminar, keeping the fields the form does not show, and cancels another, showing who will be told', async () => {
    await page.getByRole('link', { name: 'Rediger' }).click();
    await expect.poll(() => page.locator('#f-title').inputValue()).toBe(TITLE);
    expect(await page.locator('#f-program-2-title').inputValue()).toBe('Panelsamtale 2: Samordning i praksis');
    expect(await page.locator('#f-start').inputValue()).toBe(`${year}-03-18T08:30`);
    await page.locator('#f-capacity').fill('160');
    await axe(page, 'seminar edit');
    await page.getByRole('button', { name: 'Lagre' }).click();
    await expect.poll(() => page.getByText('Lagret.').count()).toBe(1);
    const stored = (await api('GET', `/admin/seminars/${seminarId}`)).body;
    expect(stored.capacity).toBe(160);
    expect(stored.program).toHaveLength(3);
    expect(stored.recordingUrl).toBe('https://example.no/opptak/bedre-styring');

    const other = await api('POST', '/admin/seminars', { body: { title: 'Seminar som avlyses', start: `${year}-04-02T10:00:00+02:00`, end: `${year}-04-02T11:00:00+02:00`, capacity: 10 } });
    expect(other.status, other.text).toBe(201);
    expect((await api('POST', `/admin/seminars/${other.body.id}/schedule`)).status).toBeLessThan(300);
    const who = uniqueEmail('avlyst');
    await submitAndConfirm(other.body.id, { name: 'Per Avlyst', email: who, organisation: 'KMD', mode: 'physical' });
    await page.goto(`${apiUrl()}/console/#/seminars/${other.body.id}`);
    await page.waitForURL(/\/_local\/auth\/|\/console\//);
    if (page.url().includes('/_local/auth/')) {
      await page.locator('#email').fill('admin@local');
      await page.locator('#password').fill('local');
      await page.locator('button[type=submit]').click();
    }
    await expect.poll(() => heading(page)).toBe('Seminar som avlyses');
    await expect.poll(() => page.getByText('1 påmeldte får beskjed på e-post.').count()).toBe(2);
    await page.getByRole('button', { name: 'Avlys', exact: true }).click();
    await page.locator('#cancel-reason').fill('Foredragsholderen er syk.');
    await axe(page, 'cancel confirmation');
    await page.getByRole('button', { name: 'Ja, avlys seminaret' }).click();
    await expect.poll(() => page.getByText('Seminaret er avlyst.').count()).toBe(1);
    await expect.poll(async () => (await api('GET', `/admin/seminars/${other.body.id}`)).body.status).toBe('cancelled');
    await shot(page, '06b-cancelled');
  });

  it("announces the co-funding scheme's deadline with its two guidance sessions", async () => {
    const { scheme, round } = demoScheme();
    const created = await api('POST', '/admin/schemes', { body: scheme });
    expect(created.status, created.text).toBe(201);
    const sessions: string[] = [];
    for (const s of demoSeminars().filter((x) => x.kind === 'guidance-session')) {
      const r = await api('POST', '/admin/seminars', { body: s });
      expect(r.status, r.text).toBe(201);
      sessions.push(r.body.id);
    }
    await page.getByRole('link', { name: 'Ordninger' }).click();
    await expect.poll(() => heading(page)).toBe('Ordninger');
    await page.getByRole('link', { name: scheme.name }).first().click();
    await page.waitForURL(new RegExp(`#/schemes/${created.body.id}$`));
    await expect.poll(() => heading(page)).toBe(scheme.name);
    await page.locator('#f-round').fill(round.round);
    await page.locator('#f-deadline').fill(round.deadline);
    await page.locator('#f-reminderOffsets').fill('14, 3, 1');
    for (const id of sessions) await page.locator(`#sess-${id}`).check();
    await axe(page, 'scheme');
    await page.getByRole('button', { name: 'Kunngjør frist' }).click();
    await expect.poll(() => page.getByText('Fristen er kunngjort. Abonnenter får beskjed.').count()).toBe(1);
    await expect.poll(() => page.getByRole('heading', { name: new RegExp(`Runde ${round.round}`) }).count()).toBe(1);
    for (const s of demoSeminars().filter((x) => x.kind === 'guidance-session')) {
      expect(await page.getByRole('link', { name: s.title, exact: true }).count()).toBeGreaterThan(0);
    }
    const stored = (await api('GET', `/admin/schemes/${created.body.id}`)).body;
    expect(stored.rounds).toHaveLength(1);
    expect(stored.rounds[0].guidanceSessions.sort()).toEqual([...sessions].sort());
    expect(stored.rounds[0].reminders.map((m: { offsetDays: number }) => m.offsetDays)).toEqual([14, 3, 1]);
    await shot(page, '07-deadline-announced');

    const roundId = stored.rounds[0].id as string;
    const movedTo = `${round.deadline.slice(0, 4)}-01-24`;
    await page.locator(`#f-${roundId.replace(/[^a-zA-Z0-9]+/g, '-')}-deadline`).fill(movedTo);
    await page.getByRole('button', { name: 'Flytt fristen' }).click();
    await expect.poll(() => page.getByText('Fristen er flyttet.').count()).toBe(1);
    await expect.poll(async () => (await api('GET', `/admin/deadlines/${roundId}`)).body.deadline).toMatch(new RegExp(`^${movedTo}`));
  });

  it('erases a person: a confirmation step, then the receipt', async () => {
    await page.getByRole('link', { name: 'Personer' }).click();
    await expect.poll(() => heading(page)).toBe('Personer');
    await page.locator('#f-email').fill(registrant);
    await page.getByRole('button', { name: 'Finn' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Historikk' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: TITLE }).count()).toBe(1);
    await axe(page, 'people');
    await page.getByRole('button', { name: 'Slett personen' }).click();
    await expect.poll(() => page.getByText(`Slette alle data om ${registrant}?`).count()).toBe(1);
    await axe(page, 'erase confirmation');
    await page.getByRole('button', { name: 'Ja, slett for godt' }).click();
    await expect.poll(() => heading(page)).toBe('Kvittering for sletting');
    expect(await page.getByText('Kvitteringsnummer').count()).toBe(1);
    const regs = (await api('GET', `/admin/seminars/${seminarId}/registrations`)).body;
    expect(regs.items.some((r: { email: string }) => r.email === registrant)).toBe(false);
    await axe(page, 'receipt');
    await shot(page, '08-erased');
  });

  it('works in English: the audit log, filtered', async () => {
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => heading(page)).toBe('Audit log');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.locator('#audit-action').fill('DELETE');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(async () => (await page.locator('tbody th').allInnerTexts()).every((t) => t.includes('DELETE'))).toBe(true);
    expect(await page.getByText('Oslo time').count()).toBeGreaterThan(0);
    await axe(page, 'audit (en)');
    await shot(page, '09-audit-en');
    await page.getByRole('link', { name: 'Seminars' }).click();
    await expect.poll(() => heading(page)).toBe('Seminars');
    await expect.poll(() => page.getByRole('heading', { name: 'Upcoming' }).count()).toBe(1);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: TITLE }) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/Published[\s\S]*\b0 of 160\b/);
    expect(await row.innerText()).toContain('Oslo time');
    await shot(page, '11-seminars-en');
    await axe(page, 'seminars (en)');
    await page.getByRole('button', { name: 'Bytt til norsk' }).click();
    expect(errors).toEqual([]);
  });

  it('renews an expired session with the refresh token, and when that fails signs in again without losing the form', async () => {
    const s = await newPage();
    await signIn(s.page, 'admin@local');
    // The API refuses the token once (as for an expired or forged one): the console renews it and carries on.
    let refused = 0;
    await s.page.route('**/admin/seminars', (r) => (refused++ === 0 ? r.fulfill({ status: 401, body: '{"message":"Unauthorized"}', contentType: 'application/json' }) : r.continue()));
    await s.page.getByRole('link', { name: 'Seminarer' }).click();
    await s.page.getByRole('link', { name: 'Nytt seminar' }).click();
    await s.page.getByRole('link', { name: 'Seminarer' }).click();
    await expect.poll(() => s.page.getByRole('heading', { name: 'Kommende' }).count()).toBe(1);
    expect(refused).toBeGreaterThanOrEqual(2);
    expect(s.page.url()).toContain('/console/');
    await s.page.unrouteAll();

    // Now the refresh is refused too: the console sends the user to sign in, and the draft survives.
    await s.page.getByRole('link', { name: 'Nytt seminar' }).click();
    await s.page.locator('#f-title').fill('Et utkast som overlever innloggingen');
    await s.page.route('**/admin/seminars', (r) => r.fulfill({ status: 401, body: '{"message":"Unauthorized"}', contentType: 'application/json' }));
    await s.page.route('**/_local/auth/oauth2/token', (r) => (/grant_type=refresh_token/.test(r.request().postData() ?? '') ? r.fulfill({ status: 400, body: '{"error":"invalid_grant"}', contentType: 'application/json' }) : r.continue()));
    await s.page.getByRole('button', { name: 'Opprett' }).click();
    await s.page.waitForURL(/\/_local\/auth\/oauth2\/authorize/);
    await s.page.unrouteAll();
    await s.page.locator('#email').fill('admin@local');
    await s.page.locator('#password').fill('local');
    await s.page.locator('button[type=submit]').click();
    await s.page.waitForURL(/\/console\/#\/seminars\/new$/);
    await expect.poll(() => s.page.locator('#f-title').inputValue()).toBe('Et utkast som overlever innloggingen');
    await shot(s.page, '10-draft-kept');

    // Signing out ends the session at the sign-in service; the console then asks for a sign-in again.
    await s.page.getByRole('button', { name: 'Logg ut' }).click();
    await s.page.waitForURL(/\/_local\/auth\/oauth2\/authorize/);
    expect(await s.page.locator('#password').count()).toBe(1);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });
});
