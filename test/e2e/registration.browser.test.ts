/**
 * A real browser (Chromium through playwright-core; no download, the system's /usr/bin/chromium) on
 * the local cloud: the registration page in Norwegian, the form without JavaScript, the errors next to
 * the fields, "check your email", the confirm link from the local mailbox, the button, the outcome.
 * Screenshots go to test-results/. A missing Chromium fails the test: CI's .ci/run installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { api, apiUrl, daysFromNow, uniqueEmail } from '../support/local.js';
import { createSeminar, linkIn, subjectStarts, tokenOf, waitForMail } from '../support/seminars.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = resolve(import.meta.dirname, '../../test-results');

let context: BrowserContext | undefined;
let userDataDir: string | undefined;

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').innerText()).trim();
}

/** Launches the system's Chromium with a fresh profile; throws (the test fails) if it is missing. */
async function launch(): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install it with "apt-get install -y chromium" (CI's .ci/run does), or set CHROMIUM_PATH.`);
  }
  mkdirSync(RESULTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'seminar-events-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    viewport: { width: 900, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

describe('registration in a browser', () => {
  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('fills the page in Norwegian, submits, follows the confirm link from the mailbox, presses the button and sees the seat', async () => {
    const id = await createSeminar({
      title: 'Frokostseminar: Bedre styring og ledelse',
      kind: 'breakfast-seminar',
      description: 'Seks råd om samordning i statsforvaltningen.',
      start: daysFromNow(12, 7),
      end: daysFromNow(12, 9),
      doorsOpen: '08:00',
      program: [{ start: '08:30', end: '09:15', title: 'Velkommen og innledning', speakers: [{ name: 'Ruth Astrid Sæter', title: 'seminarleder' }] }],
      capacity: 40,
      streamingUrl: undefined,
    });

    context = await launch();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const opened = await page.goto(`${apiUrl()}/seminars/${id}/register`);
    expect(opened?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    expect(await heading(page)).toBe('Frokostseminar: Bedre styring og ledelse');
    await expect.poll(() => page.getByText('40 av 40').count()).toBe(1);

    // Keyboard: the first Tab lands on the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('Hopp til innholdet');

    // Submitting an empty form: the errors come back next to the fields, in Norwegian, with a summary.
    await page.getByRole('button', { name: 'Meld meg på' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('.error-summary h2').innerText()).toBe('Det er noe som må rettes');
    expect(await page.getByLabel('Navn', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#field-email-error').innerText()).toContain('Skriv inn en gyldig e-postadresse');

    const email = uniqueEmail('nettleser');
    await page.getByLabel('Navn', { exact: true }).fill(`Åse Ødegård-O'Brien`);
    await page.getByLabel('E-postadresse').fill(email);
    await page.getByLabel('Virksomhet (valgfritt)').fill('Direktoratet for forvaltning og økonomistyring');
    await page.getByLabel('Fysisk, i salen').check();
    await page.screenshot({ path: join(RESULTS, 'registration-form-nb.png'), fullPage: true });
    await page.getByRole('button', { name: 'Meld meg på' }).click();
    await page.waitForURL(/sent=1/);
    expect(await heading(page)).toBe('Sjekk e-posten din');

    const mail = await waitForMail(email, subjectStarts('Bekreft påmeldingen din'));
    await page.goto(`${apiUrl()}${linkIn(mail, '/registrations/confirm')}`);
    expect(await heading(page)).toBe('Bekreft påmeldingen');
    expect(await page.getByText(`Åse Ødegård-O'Brien`).count()).toBe(1);
    // Opening the link changed nothing yet.
    const pending = (await api('GET', `/admin/seminars/${id}/registrations`)).body.items.find((r: { email: string }) => r.email === email);
    expect(pending.status).toBe('pending');

    await page.getByRole('button', { name: 'Bekreft påmeldingen' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await heading(page)).toBe('Du er påmeldt');
    expect(await page.title()).toBe('Du er påmeldt: Frokostseminar: Bedre styring og ledelse');
    expect(await page.getByText('Du har plass i salen.').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Meld deg av' }).count()).toBe(1);
    await page.screenshot({ path: join(RESULTS, 'registration-confirmed-nb.png'), fullPage: true });
    expect(existsSync(join(RESULTS, 'registration-confirmed-nb.png'))).toBe(true);

    const confirmed = (await api('GET', `/admin/seminars/${id}/registrations`)).body.items.find((r: { email: string }) => r.email === email);
    expect(confirmed).toMatchObject({ status: 'confirmed', attendance: 'physical', name: `Åse Ødegård-O'Brien` });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('registers for a full in-person-only seminar, joins the waitlist and sees the place', async () => {
    const id = await createSeminar({
      title: 'Frokostmøte: fulltegnet',
      kind: 'breakfast-seminar',
      start: daysFromNow(14, 7),
      end: daysFromNow(14, 9),
      doorsOpen: '08:00',
      capacity: 1,
      livestream: false,
      streamingUrl: undefined,
    });
    // The one seat goes first, through the API and the link in the mailbox.
    const first = uniqueEmail('forst');
    expect((await api('POST', `/seminars/${id}/registrations`, { body: { name: 'Først Til Mølla', email: first, mode: 'physical' } })).status).toBe(202);
    const firstLink = linkIn(await waitForMail(first, subjectStarts('Bekreft påmeldingen din')), '/registrations/confirm');
    expect((await api('POST', '/registrations/confirm', { form: { token: tokenOf(firstLink) }, headers: { accept: 'application/json' } })).body).toMatchObject({ outcome: 'physical' });

    context ??= await launch();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${apiUrl()}/seminars/${id}/register`);
    await expect.poll(() => page.getByText('Arrangementet er fulltegnet. Du kan sette deg på venteliste.').count()).toBeGreaterThan(0);
    expect(await page.getByText('Påmeldingen er stengt').count()).toBe(0);

    const email = uniqueEmail('venteliste');
    await page.getByLabel('Navn', { exact: true }).fill('Vera Venteliste');
    await page.getByLabel('E-postadresse').fill(email);
    await page.getByLabel('Fysisk, i salen').check();
    await page.getByLabel('Sett meg på venteliste hvis salen er full').check();
    await page.getByRole('button', { name: 'Meld meg på' }).click();
    await page.waitForURL(/sent=1/);
    expect(await heading(page)).toBe('Sjekk e-posten din');

    const mail = await waitForMail(email, subjectStarts('Bekreft påmeldingen din'));
    await page.goto(`${apiUrl()}${linkIn(mail, '/registrations/confirm')}`);
    await page.getByRole('button', { name: 'Bekreft påmeldingen' }).click();
    await page.waitForLoadState('domcontentloaded');
    expect(await heading(page)).toBe('Du står på venteliste');
    expect(await page.getByText('Du står som nummer 1 på ventelisten for plass i salen.').count()).toBe(1);
    // Waiting for a seat, not attending online: the page names the venue.
    expect(await page.getByText('Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1').count()).toBe(1);
    expect(await page.getByText('Digitalt (strømming)').count()).toBe(0);
    await page.screenshot({ path: join(RESULTS, 'registration-waitlist-nb.png'), fullPage: true });
    const waiting = (await api('GET', `/admin/seminars/${id}/registrations`)).body.items.find((r: { email: string }) => r.email === email);
    expect(waiting).toMatchObject({ status: 'confirmed', attendance: 'waitlisted', digitalWhileWaiting: false, waitlistPosition: 1 });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
