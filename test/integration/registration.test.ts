/**
 * Seminar registration on the local cloud, through HTTP, the bus, the handlers and the mailbox: the
 * page and its form, eligibility, deadlines, duplicates, double opt-in, 200 concurrent confirmations
 * for 20 seats, the waitlist and its promotion, the `.ics` invites across daylight saving, names in
 * any script, and links that do not work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import { api, daysFromNow, idle, mailbox, resetClock, setClock, uniqueEmail, type ApiResponse } from '../support/local.js';
import {
  confirmViaPage,
  createSeminar,
  inviteOf,
  linkIn,
  post,
  register,
  registerForm,
  registrations,
  seminarInput,
  subjectStarts,
  submitAndConfirm,
  textOf,
  tokenOf,
  waitForMail,
  type Json,
} from '../support/seminars.js';
import { signToken } from '../../shared/domain/tokens.js';
import { functionEnvironment } from '../../shared/env-names.js';
import { localEnvironmentValues, REGION } from '../../infra/local/cloud.js';
import { wired } from '../../infra/wiring.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** The real store modules in the test process, on the same DynamoDB Local as the handlers. */
async function directStore() {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoUrl'),
    // What the function that promotes and cancels has (the wiring's on-registration-cancelled).
    ...functionEnvironment(wired('on-registration-cancelled'), localEnvironmentValues(inject('dataDir'), inject('apiUrl'))),
  });
  return { ...(await import('../../shared/store/seminars.js')), ...(await import('../../shared/store/registrations.js')) };
}

/** A seminar with one seat: A has it, B is first on the waitlist. */
async function oneSeatTaken(title: string) {
  const id = await createSeminar({ title, capacity: 1, doubleOptIn: false });
  const a = uniqueEmail('seat-a');
  const b = uniqueEmail('seat-b');
  expect((await register(id, { name: 'Anne Sete', email: a, mode: 'physical' })).status).toBe(202);
  await idle();
  expect((await register(id, { name: 'Bjørn Venter', email: b, mode: 'physical', joinWaitlist: true })).status).toBe(202);
  await idle();
  const regs = await registrations(id);
  const ra = regs.items.find((r) => r.email === a)!;
  const rb = regs.items.find((r) => r.email === b)!;
  expect(ra.attendance).toBe('physical');
  expect(rb.attendance).toBe('waitlisted');
  return { id, a, b, aId: ra.id as string, bId: rb.id as string };
}

function tokenSecret(): string {
  return readFileSync(join(inject('dataDir'), 'token-secret'), 'utf8').trim();
}

const noServerErrors = (res: ApiResponse) => expect(res.status, res.text).toBeLessThan(500);

// ---------------------------------------------------------------------------------------------

describe('seminar registration', () => {
  let seminarId: string;

  beforeAll(async () => {
    seminarId = await createSeminar();
  });

  afterEach(async () => {
    await resetClock();
  });

  afterAll(async () => {
    await resetClock();
  });

  describe('the registration page', () => {
    it('shows the seminar in Norwegian by default: Oslo time, venue, program, speakers, seats, open modes, and a form', async () => {
      const res = await api('GET', `/seminars/${seminarId}/register`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const page = res.text;
      expect(page).toMatch(/^<!doctype html>\n<html lang="nb">/);
      expect(page).toContain('<title>Samordning i statsforvaltningen: Med blanke ark?</title>');
      expect(page).toContain('kl. 12.00–16.00'); // in Oslo time, winter or summer
      expect(page).toContain('Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1');
      expect(page).toContain('Velkommen ved seminarleder');
      expect(page).toContain('Ruth Astrid Sæter, seminarleder');
      expect(page).toContain('Adélie Dorseuil, Helsedirektoratet');
      expect(page).toContain('Kåre Svensson, seniorrådgiver, Partnerforum/UiO');
      expect(page).toContain('100 av 100');
      expect(page).toContain('Fysisk og digitalt (strømming)');
      expect(page).toMatch(/<form action="\/seminars\/[a-z0-9]+\/registrations\?lang=nb" method="post"/);
      for (const field of ['name', 'email', 'organisation']) expect(page).toContain(`<label for="field-${field}">`);
      expect(page).toContain('name="mode" value="physical"');
      expect(page).toContain('name="mode" value="digital"');
      expect(page).toContain('name="digitalIfFull"');
      expect(page).toContain('name="joinWaitlist"');
      expect(page).toContain('<input type="hidden" name="language" value="nb">');
      expect(page).toContain(`href="/seminars/${seminarId}/register?lang=en"`);
      expect(page).not.toContain('stream-secret-xyz');
    });

    it('is in English with ?lang=en', async () => {
      const res = await api('GET', `/seminars/${seminarId}/register?lang=en`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<html lang="en">');
      expect(res.text).toContain('12:00–16:00 (Norwegian time)');
      expect(res.text).toContain('How will you attend?');
      expect(res.text).toContain('<input type="hidden" name="language" value="en">');
      expect(res.text).toContain(`href="/seminars/${seminarId}/register?lang=nb"`);
    });

    it('answers 404 pages for unknown and draft seminars', async () => {
      const unknown = await api('GET', '/seminars/nosuchseminar/register');
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain('Fant ikke arrangementet');
      const draft = await api('POST', '/admin/seminars', { body: seminarInput() });
      expect((await api('GET', `/seminars/${draft.body.id}/register?lang=en`)).status).toBe(404);
      expect((await api('GET', `/seminars/${'x'.repeat(3000)}/register`)).status).toBe(404);
    });

    it('a form post redirects to "check your email" (303, nothing changes on GET) and the email leads to the outcome', async () => {
      const email = uniqueEmail('skjema');
      const res = await registerForm(seminarId, { name: 'Kari Nordmann', email, organisation: 'DFØ', mode: 'physical', digitalIfFull: 'true', language: 'nb' });
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(location).toBe(`/seminars/${seminarId}/register?sent=1&lang=nb`);
      const sent = await api('GET', location);
      expect(sent.status).toBe(200);
      expect(sent.text).toContain('Sjekk e-posten din');

      const mail = await waitForMail(email, subjectStarts('Bekreft påmeldingen din'));
      const link = linkIn(mail, '/registrations/confirm');
      // Opening the link (a mail scanner does too) changes nothing.
      const page = await api('GET', link);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Bekreft påmeldingen');
      expect(page.text).toContain('<form action="/registrations/confirm" method="post"');
      expect(page.text).toContain(`name="token" value="${tokenOf(link)}"`);
      await api('GET', link);
      await idle();
      const before = (await registrations(seminarId)).items.find((r) => r.email === email)!;
      expect(before.status).toBe('pending');
      expect(await mailbox(email)).toHaveLength(1);

      const done = await confirmViaPage(link);
      expect(done.status).toBe(200);
      expect(done.text).toContain('Du har plass i salen.');
      expect(done.text).toContain('/registrations/cancel?token=');
      const after = (await registrations(seminarId)).items.find((r) => r.email === email)!;
      expect(after).toMatchObject({ status: 'confirmed', attendance: 'physical', name: 'Kari Nordmann', organisation: 'DFØ' });

      const confirmation = await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));
      expect(confirmation.body.text).toContain('Regjeringskvartalet');
      expect(confirmation.body.text).toContain('/registrations/cancel?token=');
      const { event } = inviteOf(confirmation);
      expect(textOf(event.summary)).toBe('Samordning i statsforvaltningen: Med blanke ark?');
      expect(String(event.location)).toContain('Plenumssalen i R4');
    });

    it('shows form errors next to the fields, in the chosen language, with the values kept and nothing stored', async () => {
      const before = (await registrations(seminarId)).items.length;
      const res = await registerForm(seminarId, { name: '', email: 'not-an-address', organisation: 'Universitetet i Tromsø', language: 'en' }, 'en');
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('text/html');
      const page = res.text;
      expect(page).toContain('<html lang="en">');
      expect(page).toContain('There is a problem');
      expect(page).toContain('<a href="#field-name">Enter your name');
      expect(page).toContain('<a href="#field-email">Enter a valid email address');
      expect(page).toContain('<a href="#field-mode">Choose whether you will attend in person or online.</a>');
      expect(page).toMatch(/id="field-email" name="email" value="not-an-address"[^>]*aria-invalid="true" aria-describedby="field-email-hint field-email-error"/);
      expect(page).toContain('<span class="error-text" id="field-email-error">');
      expect(page).toContain('value="Universitetet i Tromsø"');
      expect(page).not.toContain('name="digitalIfFull" value="true" checked'); // unticked stays unticked
      expect((await registrations(seminarId)).items.length).toBe(before);

      const nb = await registerForm(seminarId, { name: 'Ola', email: 'ola@', mode: 'digital', language: 'nb' });
      expect(nb.status).toBe(400);
      expect(nb.text).toContain('Skriv inn en gyldig e-postadresse');
      expect(nb.text).toContain('value="digital" checked');
    });

    it('answers JSON posts with 202, problem+json for errors, and 404 for an unknown seminar', async () => {
      const ok = await register(seminarId, { name: 'Jon', email: uniqueEmail('json'), mode: 'digital' });
      expect(ok.status).toBe(202);
      expect(ok.body).toEqual({ status: 'pending_confirmation' });
      const bad = await register(seminarId, { name: '', email: 'x', mode: 'teleport' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect(bad.body.errors.map((e: Json) => e.field)).toEqual(expect.arrayContaining(['email', 'name', 'mode']));
      expect((await register('x'.repeat(3000), { name: 'Jon', email: uniqueEmail(), mode: 'digital' })).status).toBe(404);
      const missing = await register('nosuchseminar', { name: 'Jon', email: uniqueEmail(), mode: 'digital' });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      const notJson = await post(`/seminars/${seminarId}/registrations`, { body: '{oops', headers: { 'content-type': 'application/json' } });
      expect(notJson.status).toBe(400);
    });
  });

  describe('eligibility', () => {
    // The partner domains alone refuse on the page; a seminar with an invitation list answers an address
    // outside them alike, invited or not (test/integration/invitation-list.test.ts).
    let restricted: string;
    let withList: string;
    beforeAll(async () => {
      restricted = await createSeminar({
        title: 'Partnerforum: seminar for partnerne',
        doubleOptIn: false,
        eligibility: { kind: 'restricted', domains: ['dfo.no', 'uio.no'], invited: [] },
      });
      withList = await createSeminar({
        title: 'Partnerforum: seminar for partnerne og inviterte',
        doubleOptIn: false,
        eligibility: { kind: 'restricted', domains: ['dfo.no', 'uio.no'], invited: ['Gjest.Person@Example.com'] },
      });
    });

    it.each([
      ['a partner address', 'kari@dfo.no'],
      ['a subdomain of a partner', 'ola@it.uio.no'],
      ['an invited address, in other case and with spaces', '  GJEST.person@example.COM '],
    ])('accepts %s', async (_what, email) => {
      const res = await register(withList, { name: 'Med Lov', email, mode: 'digital' });
      expect(res.status, res.text).toBe(202);
      expect((await registrations(withList)).items.map((r) => r.email)).toContain(email.trim().toLowerCase());
    });

    it('keeps no registration for an address like an invited one, though its answer is the same', async () => {
      const res = await register(withList, { name: 'Uten Lov', email: 'gjest.person2@example.com', mode: 'digital' });
      expect(res.status).toBe(202);
      expect((await registrations(withList)).items.map((r) => r.email)).not.toContain('gjest.person2@example.com');
    });

    it.each([
      ['another domain', 'kari@example.no'],
      ['a domain that only ends like a partner', 'kari@notdfo.no'],
      ['a partner domain inside another', 'kari@dfo.no.example.com'],
    ])('refuses %s with 403 and the rule in plain words', async (_what, email) => {
      const res = await register(restricted, { name: 'Uten Lov', email, mode: 'digital' });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.detail).toBe('Påmelding er forbeholdt ansatte hos partnerne (e-postadresser på @dfo.no, @uio.no) og spesielt inviterte.');
      expect(res.body.rule.en).toContain('reserved for employees of the partners');
    });

    it('says the rule in English when asked, and on the page next to the email field', async () => {
      const en = await register(restricted, { name: 'Uten Lov', email: 'x@example.no', mode: 'digital', language: 'en' });
      expect(en.status).toBe(403);
      expect(en.body.detail).toContain('Registration is reserved for employees of the partners (email addresses at @dfo.no, @uio.no)');
      const form = await registerForm(restricted, { name: 'Uten Lov', email: 'x@example.no', mode: 'digital', language: 'nb' });
      expect(form.status).toBe(403);
      expect(form.text).toContain('<a href="#field-email">Påmelding er forbeholdt ansatte hos partnerne');
      expect(form.text).toMatch(/id="field-email"[^>]*aria-invalid="true"/);
      expect(form.text).toContain('value="Uten Lov"');
    });

    it('an open seminar takes anyone', async () => {
      expect((await register(seminarId, { name: 'Hvem Som Helst', email: uniqueEmail('open', 'gmail.com'), mode: 'digital' })).status).toBe(202);
    });
  });

  describe('duplicates and double opt-in', () => {
    it('a repeated address (other case, spaces) gets the same 202 and an email; only one registration exists', async () => {
      const email = uniqueEmail('dup');
      const first = await register(seminarId, { name: 'Per Persen', email, mode: 'physical' });
      const again = await register(seminarId, { name: 'Noen Andre', email: `  ${email.toUpperCase()}  `, mode: 'digital' });
      expect(first.status).toBe(202);
      expect(again.status).toBe(202);
      expect(again.text).toBe(first.text);
      await idle();
      // Still pending: the second submission gets the confirm link again, nothing else changes.
      const pendingMails = await mailbox(email);
      expect(pendingMails.map((m) => m.subject.split(':')[0])).toEqual(['Bekreft påmeldingen din', 'Bekreft påmeldingen din']);
      const mine = (await registrations(seminarId)).items.filter((r) => r.email === email);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ name: 'Per Persen', requestedMode: 'physical' });

      const confirmed = await confirmViaPage(linkIn(pendingMails[1], '/registrations/confirm'));
      expect(confirmed.status).toBe(200);
      await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));

      const third = await register(seminarId, { name: 'Per Persen', email: email.toUpperCase(), mode: 'physical' });
      expect(third.status).toBe(202);
      expect(third.text).toBe(first.text);
      const told = await waitForMail(email, subjectStarts('Du er allerede påmeldt'));
      expect(told.body.text).toContain('Du har plass i salen.');
      expect((await registrations(seminarId)).items.filter((r) => r.email === email)).toHaveLength(1);
    });

    it('with double opt-in off, a registration is confirmed at once: no confirm email, the confirmation with its .ics', async () => {
      const direct = await createSeminar({ title: 'Frokostseminar: Bedre styring og ledelse', kind: 'breakfast-seminar', doorsOpen: '08:00', doubleOptIn: false, capacity: 5 });
      const email = uniqueEmail('direkte');
      expect((await register(direct, { name: 'Siri Direkte', email, mode: 'physical' })).status).toBe(202);
      const mail = await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));
      expect(mail.body.text).toContain('Frokost');
      expect((await mailbox(email)).some((m) => m.subject.startsWith('Bekreft'))).toBe(false);
      const { event } = inviteOf(mail);
      expect(String(event.location)).toContain('Regjeringskvartalet');
      const regs = await registrations(direct);
      expect(regs.seatsTaken).toBe(1);
      expect(regs.items.find((r) => r.email === email)).toMatchObject({ status: 'confirmed', attendance: 'physical' });
    });

    it('after cancelling, the same address can register again and gets a new confirm link (bug fix)', async () => {
      const email = uniqueEmail('igjen');
      const { confirmed } = await submitAndConfirm(seminarId, { name: 'Ida Igjen', email, mode: 'physical' });
      expect(confirmed.status).toBe(200);
      const confirmation = await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));
      const cancel = linkIn(confirmation, '/registrations/cancel');
      expect((await post('/registrations/cancel', { form: { token: tokenOf(cancel) } })).status).toBe(200);

      expect((await register(seminarId, { name: 'Ida Igjen', email, mode: 'digital' })).status).toBe(202);
      await idle();
      const mails = await mailbox(email);
      expect(mails.filter((m) => m.subject.startsWith('Bekreft påmeldingen din'))).toHaveLength(2);
      expect(mails.some((m) => m.subject.startsWith('Du er allerede påmeldt'))).toBe(false);
      const second = mails.filter((m) => m.subject.startsWith('Bekreft påmeldingen din'))[1];
      expect((await confirmViaPage(linkIn(second, '/registrations/confirm'))).text).toContain('Du er påmeldt for å delta digitalt.');
      await idle();
      expect((await mailbox(email)).filter((m) => m.subject.startsWith('Påmeldingen er bekreftet'))).toHaveLength(2);
      const mine = (await registrations(seminarId)).items.filter((r) => r.email === email);
      expect(mine.map((r) => `${r.status}/${r.attendance}`).sort()).toEqual(['cancelled/physical', 'confirmed/digital']);
      // The delivery log keeps both: the new registration's emails have their own kinds.
      const again = mine.find((r) => r.status === 'confirmed')!;
      const log = (await api('GET', `/admin/deliveries?subject=${seminarId}`)).body.items as Array<{ kind: string; recipient: string; status: string }>;
      expect(log.filter((e) => e.recipient === email && e.status === 'sent').map((e) => e.kind).sort()).toEqual(
        ['confirm-address', `confirm-address-${again.id}`, 'registration-cancelled', 'registration-confirmed', `registration-confirmed-${again.id}`].sort(),
      );
    });
  });

  describe('deadlines', () => {
    it('past the physical deadline with digital still open: the page says so, physical gets 409, digital works', async () => {
      const id = await createSeminar({ title: 'Seminar med frister', physicalDeadline: daysFromNow(2, 14), digitalDeadline: daysFromNow(9, 14), capacity: 50 });
      await setClock(daysFromNow(3, 9));

      const page = await api('GET', `/seminars/${id}/register`);
      expect(page.text).toContain('Det er ikke lenger mulig å melde seg på for fysisk deltakelse, du kan kun delta digitalt.');
      expect(page.text).toMatch(/type="radio" id="field-mode" name="mode" value="physical" disabled/);
      expect(page.text).toMatch(/name="mode" value="digital" checked/);
      expect(page.text).toContain('Digitalt (strømming)');
      expect((await api('GET', `/seminars/${id}`)).body).toMatchObject({ physicalRegistrationOpen: false, digitalRegistrationOpen: true });

      const physical = await register(id, { name: 'For Sent', email: uniqueEmail('sent'), mode: 'physical' });
      expect(physical.status).toBe(409);
      expect(physical.body).toMatchObject({ reason: 'physical-closed', digitalRegistrationOpen: true });
      expect(physical.body.detail).toBe('Det er ikke lenger mulig å melde seg på for fysisk deltakelse, du kan kun delta digitalt.');
      const form = await registerForm(id, { name: 'For Sent', email: uniqueEmail('sent'), mode: 'physical', language: 'en' }, 'en');
      expect(form.status).toBe(409);
      expect(form.text).toContain('<a href="#field-mode">It is no longer possible to register to attend in person; you can only attend online.</a>');

      const digitalIfFull = uniqueEmail('digital');
      const { confirmed } = await submitAndConfirm(id, { name: 'Digital Deltaker', email: digitalIfFull, mode: 'physical', digitalIfFull: true });
      expect(confirmed.status).toBe(200);
      expect(confirmed.text).toContain('Du er påmeldt for å delta digitalt.');
      const mail = await waitForMail(digitalIfFull, subjectStarts('Påmeldingen er bekreftet'));
      expect(mail.body.text).toContain('Lenke til strømming sendes ut før seminaret starter.');
      expect(mail.body.text).not.toContain('stream-secret-xyz');
      expect(inviteOf(mail).event.location).toBe('Digitalt (lenke sendes på e-post)');

      expect((await register(id, { name: 'Bare Digital', email: uniqueEmail('d'), mode: 'digital' })).status).toBe(202);

      // Past the digital deadline too: closed.
      await setClock(daysFromNow(9, 15));
      const closed = await register(id, { name: 'Altfor Sent', email: uniqueEmail('late'), mode: 'digital' });
      expect(closed.status).toBe(409);
      expect(closed.body.reason).toBe('closed');
      const closedPage = await api('GET', `/seminars/${id}/register?lang=en`);
      expect(closedPage.text).toContain('Registration is closed.');
      expect(closedPage.text).not.toContain('<form action');
    });

    it('a full seminar answers 409 for physical without alternatives, and offers digital and the waitlist', async () => {
      const id = await createSeminar({ title: 'Lite rom', capacity: 1, doubleOptIn: false });
      expect((await register(id, { name: 'Første', email: uniqueEmail('first'), mode: 'physical' })).status).toBe(202);
      await idle();
      const full = await register(id, { name: 'Andre', email: uniqueEmail('second'), mode: 'physical' });
      expect(full.status).toBe(409);
      expect(full.body.reason).toBe('physical-full');
      const page = await api('GET', `/seminars/${id}/register`);
      expect(page.text).toContain('Ingen – fulltegnet');
      expect(page.text).toContain('Arrangementet er fulltegnet for fysisk deltakelse.');
      expect(page.text).toMatch(/name="mode" value="physical"(?! disabled)/);
      expect(page.text).toContain('name="joinWaitlist"');
    });
  });

  describe('seats under concurrency', () => {
    it('200 concurrent confirmations for 20 seats give exactly 20 seats, and each of the 180 waitlisted is told the real place, on the page and in the email', async () => {
      const id = await createSeminar({ title: 'Populært seminar', capacity: 20 });
      const people = Array.from({ length: 200 }, (_, i) => ({ name: `Deltaker ${i + 1}`, email: uniqueEmail(`c${i}`), mode: 'physical', joinWaitlist: true, digitalIfFull: true }));
      for (let i = 0; i < people.length; i += 25) {
        const batch = await Promise.all(people.slice(i, i + 25).map((p) => register(id, p)));
        for (const r of batch) expect(r.status, r.text).toBe(202);
      }
      await idle();
      const all = await mailbox();
      const links = people.map((p) => {
        const mail = all.find((m) => m.destination.to.includes(p.email) && m.subject.startsWith('Bekreft påmeldingen din'));
        if (!mail) throw new Error(`no confirm email for ${p.email}`);
        return linkIn(mail, '/registrations/confirm');
      });

      const started = Date.now();
      const results = await Promise.all(
        links.map((link) => api('POST', '/registrations/confirm', { form: { token: tokenOf(link) }, headers: { accept: 'application/json' } })),
      );
      const seconds = (Date.now() - started) / 1000;
      for (const r of results) expect(r.status, r.text).toBe(200);
      const outcomes = results.map((r) => r.body.outcome as string);
      expect(outcomes.filter((o) => o === 'physical')).toHaveLength(20);
      expect(outcomes.filter((o) => o === 'waitlisted')).toHaveLength(180);
      for (const r of results.filter((x) => x.body.outcome === 'waitlisted')) {
        expect(r.body.waitlistPosition).toBeGreaterThanOrEqual(1);
        expect(r.body.waitlistPosition).toBeLessThanOrEqual(180);
      }
      console.log(`200 concurrent confirmations for 20 seats: ${seconds.toFixed(1)} s`);

      const regs = await registrations(id);
      expect(regs.seatsTaken).toBe(20);
      expect(regs.counts).toMatchObject({ physical: 20, waitlisted: 180, pending: 0 });
      const waitlist = regs.items.filter((r) => r.attendance === 'waitlisted').sort((a, b) => a.waitlistPosition - b.waitlistPosition);
      expect(waitlist.map((r) => r.waitlistPosition)).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
      // The place each was told when confirming is the place they have: no two the same, none lower.
      const told = new Map(results.map((r, i) => [people[i].email.toLowerCase(), r.body.waitlistPosition as number | undefined]));
      for (const r of waitlist) expect(told.get(r.email), r.email).toBe(r.waitlistPosition);
      // The order is the tickets' order, and each email repeats the place of its page.
      for (let i = 1; i < waitlist.length; i++) expect(waitlist[i - 1].waitlistTicket).toBeLessThan(waitlist[i].waitlistTicket);
      for (const r of waitlist.filter((_, i) => i % 30 === 7)) {
        const mail = await waitForMail(r.email, subjectStarts('Du står på venteliste'));
        expect(mail.body.text).toContain(`Du står som nummer ${r.waitlistPosition} på ventelisten`);
      }
      expect((await api('GET', `/seminars/${id}`)).body).toMatchObject({ seatsLeft: 0, physicalRegistrationOpen: false });

      // Each waitlisted registrant's page and email say their place; the first one gets the next free seat.
      const first = waitlist[0];
      const firstMail = await waitForMail(first.email, subjectStarts('Du står på venteliste'));
      // The email names the place the confirmation page gave (it travels with the event, not counted again).
      const shown = results[people.findIndex((p) => p.email === first.email)].body.waitlistPosition as number;
      expect(firstMail.body.text).toContain(`Du står som nummer ${shown} på ventelisten`);
      const seated = regs.items.find((r) => r.attendance === 'physical')!;
      const seatedMail = await waitForMail(seated.email, subjectStarts('Påmeldingen er bekreftet'));
      expect((await post('/registrations/cancel', { form: { token: tokenOf(linkIn(seatedMail, '/registrations/cancel')) } })).status).toBe(200);
      const promoted = await waitForMail(first.email, subjectStarts('Du har fått plass'));
      expect(inviteOf(promoted).event.location).toContain('Plenumssalen i R4');
      const after = await registrations(id);
      expect(after.seatsTaken).toBe(20);
      expect(after.items.find((r) => r.id === first.id)).toMatchObject({ attendance: 'physical', status: 'confirmed' });
      expect(after.items.find((r) => r.id === waitlist[1].id)!.waitlistPosition).toBe(1);
    }, 240_000);
  });

  describe('cancel and promotion', () => {
    it('cancel page (GET changes nothing) → cancelled → the first on the waitlist gets the seat, a "you have a seat" email and an updated .ics', async () => {
      const id = await createSeminar({ title: 'Ett sete', capacity: 1 });
      const a = uniqueEmail('a');
      const b = uniqueEmail('b');
      const c = uniqueEmail('c');
      expect((await submitAndConfirm(id, { name: 'Anne A', email: a, mode: 'physical' })).confirmed.text).toContain('Du har plass i salen.');
      const bConfirmed = (await submitAndConfirm(id, { name: 'Bjørn B', email: b, mode: 'physical', joinWaitlist: true, digitalIfFull: true })).confirmed;
      expect(bConfirmed.text).toContain('du står som nummer 1 på ventelisten');
      const cConfirmed = (await submitAndConfirm(id, { name: 'Cecilie C', email: c, mode: 'physical', joinWaitlist: true, digitalIfFull: true, language: 'en' })).confirmed;
      expect(cConfirmed.text).toContain('you are number 2 on the waiting list');
      const bWaiting = await waitForMail(b, subjectStarts('Du står på venteliste'));
      const bFirstInvite = inviteOf(bWaiting);
      expect(bFirstInvite.event.location).toBe('Digitalt (lenke sendes på e-post)');

      const aMail = await waitForMail(a, subjectStarts('Påmeldingen er bekreftet'));
      const cancelLink = linkIn(aMail, '/registrations/cancel');
      const page = await api('GET', cancelLink);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Vil du melde deg av');
      expect(page.text).toContain('<form action="/registrations/cancel" method="post"');
      await idle();
      expect((await registrations(id)).items.find((r) => r.email === a)!.status).toBe('confirmed');

      const cancelled = await post(cancelLink, { form: { lang: 'nb' } }); // token from the query
      expect(cancelled.status).toBe(200);
      expect(cancelled.text).toContain('Du er meldt av');

      const promoted = await waitForMail(b, subjectStarts('Du har fått plass'));
      expect(promoted.body.text).toContain('Regjeringskvartalet');
      expect(promoted.body.text).toContain('/registrations/cancel?token=');
      const invite = inviteOf(promoted);
      expect(invite.event.uid).toBe(bFirstInvite.event.uid);
      expect(Number(invite.event.sequence)).toBeGreaterThan(Number(bFirstInvite.event.sequence));
      expect(invite.event.location).toContain('Plenumssalen i R4');
      expect(invite.contentType).toContain('method=REQUEST');

      let regs = await registrations(id);
      expect(regs.seatsTaken).toBe(1);
      expect(regs.items.find((r) => r.email === b)).toMatchObject({ attendance: 'physical' });
      expect(regs.items.find((r) => r.email === c)).toMatchObject({ attendance: 'waitlisted', waitlistPosition: 1 });

      // Cancelling again: the same page, nothing else changes; a redelivered event promotes nobody twice.
      const again = await post(cancelLink, { form: {} });
      expect(again.status).toBe(200);
      expect(again.text).toContain('Du var allerede meldt av');
      const aId = regs.items.find((r) => r.email === a)!.id;
      const replay = await api('POST', '/admin/events', { body: { detailType: 'RegistrationCancelled', detail: { version: 1, seminarId: id, registrationId: aId, freedSeat: true } } });
      expect(replay.status).toBeLessThan(300);
      await idle();
      regs = await registrations(id);
      expect(regs.seatsTaken).toBe(1);
      expect(regs.items.find((r) => r.email === c)).toMatchObject({ attendance: 'waitlisted', waitlistPosition: 1 });
      expect((await mailbox(b)).filter((m) => m.subject.startsWith('Du har fått plass'))).toHaveLength(1);
      expect((await mailbox(c)).some((m) => /have a seat/.test(m.subject))).toBe(false);
    });

    it('a cancel link in English shows an English page', async () => {
      const email = uniqueEmail('en');
      await submitAndConfirm(seminarId, { name: 'Emma English', email, mode: 'digital', language: 'en' });
      const mail = await waitForMail(email, subjectStarts('Registration confirmed'));
      const link = linkIn(mail, '/registrations/cancel');
      expect(link).toContain('lang=en');
      const page = await api('GET', link);
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('Do you want to cancel your registration');
    });

    it('cancelling sends one receipt in the registrant’s language with a CANCEL .ics (same UID, SEQUENCE above every invite) and no cancel link; the delivery log lists it', async () => {
      const title = 'Avmelding med kvittering';
      const id = await createSeminar({ title, capacity: 5, doubleOptIn: false });
      const nbEmail = uniqueEmail('receipt-nb');
      expect((await register(id, { name: 'Kari Kvittering', email: nbEmail, mode: 'physical' })).status).toBe(202);
      const confirmation = await waitForMail(nbEmail, subjectStarts('Påmeldingen er bekreftet'));
      expect(confirmation.body.text).toMatch(/\n\nVennlig hilsen\n[^\n]+\n\n-- \n/); // signed by the organiser
      const first = inviteOf(confirmation);
      expect(confirmation.attachments!.map((a) => a.filename)).toEqual(['invitasjon.ics']);
      // The seminar moves: a second invite for the same UID with a higher SEQUENCE; the CANCEL must top it.
      const moved = await api('PUT', `/admin/seminars/${id}`, { body: seminarInput({ title, capacity: 5, doubleOptIn: false, start: daysFromNow(11, 11), end: daysFromNow(11, 15) }) });
      expect(moved.status, moved.text).toBe(200);
      const second = inviteOf(await waitForMail(nbEmail, subjectStarts('Nytt tidspunkt')));
      expect(second.event.uid).toBe(first.event.uid);
      expect(Number(second.event.sequence)).toBeGreaterThan(Number(first.event.sequence));

      const cancelLink = linkIn(confirmation, '/registrations/cancel');
      const done = await post(cancelLink, { form: { lang: 'nb' } });
      expect(done.status).toBe(200);
      expect(done.text).toContain('Du er meldt av «Avmelding med kvittering».');
      // The page after cancelling has the language switch: the cancel link's page in English, which changes nothing.
      const switchHref = /<a href="([^"]+)" hreflang="en" lang="en">English<\/a>/.exec(done.text)?.[1].replace(/&amp;/g, '&');
      expect(switchHref).toMatch(/^\/registrations\/cancel\?token=[^&]+&lang=en$/);
      const english = await api('GET', switchHref!);
      expect(english.status).toBe(200);
      expect(english.text).toContain('<h1>You have already cancelled your registration</h1>');

      const receipt = await waitForMail(nbEmail, subjectStarts('Du er meldt av'));
      expect(receipt.subject).toBe(`Du er meldt av: ${title}`);
      expect(receipt.body.text).toContain(`Vi bekrefter at du har meldt deg av «${title}». Takk for at du sa fra.`);
      expect(receipt.body.text).toContain('Vedlagt ligger en kalenderoppdatering som fjerner avtalen.');
      expect(receipt.body.text).toMatch(new RegExp(`Meld deg på igjen:\\nhttps?://[^\\s]+/seminars/${id}/register\\n`));
      expect(receipt.body.text).toMatch(/\n\nVennlig hilsen\n[^\n]+\n\n-- \n/);
      // No cancel link, nor any other signed link (the handler has no access to the token secret on AWS).
      expect(receipt.body.text).not.toContain('/registrations/cancel');
      expect(receipt.body.html).not.toContain('/registrations/cancel');
      expect(`${receipt.body.text ?? ''}${receipt.body.html ?? ''}`).not.toContain('token=');
      expect(receipt.body.html).toContain('<html lang="nb">');
      expect(receipt.attachments!.map((a) => a.filename)).toEqual(['avmelding.ics']);
      const cancel = inviteOf(receipt);
      expect(cancel.contentType).toBe('text/calendar; charset=UTF-8; method=CANCEL');
      expect(cancel.text).toContain('\r\nMETHOD:CANCEL\r\n');
      expect(cancel.event.status).toBe('CANCELLED');
      expect(cancel.event.uid).toBe(first.event.uid);
      expect(Number(cancel.event.sequence)).toBeGreaterThan(Number(second.event.sequence));
      expect(textOf(cancel.event.summary)).toBe(title);

      // The event delivered again (and cancelling again publishes it again): nothing is sent twice.
      const regId = (await registrations(id)).items.find((r) => r.email === nbEmail)!.id as string;
      for (const freedSeat of [true, false]) {
        const replay = await api('POST', '/admin/events', { body: { detailType: 'RegistrationCancelled', detail: { version: 1, seminarId: id, registrationId: regId, freedSeat } } });
        expect(replay.status, replay.text).toBeLessThan(300);
      }
      expect((await post(cancelLink, { form: {} })).status).toBe(200);
      await idle();
      expect((await mailbox(nbEmail)).filter((m) => m.subject.startsWith('Du er meldt av'))).toHaveLength(1);
      const log = async () => (await api('GET', `/admin/deliveries?subject=${id}`)).body.items as Array<{ kind: string; recipient: string; status: string }>;
      expect((await log()).filter((e) => e.recipient === nbEmail && e.kind.startsWith('registration-cancelled'))).toEqual([
        expect.objectContaining({ kind: 'registration-cancelled', status: 'sent' }),
      ]);

      // In English: English words and file name; the Norwegian title stays tagged as Norwegian.
      const enEmail = uniqueEmail('receipt-en');
      expect((await register(id, { name: 'Emma Receipt', email: enEmail, mode: 'digital', language: 'en' })).status).toBe(202);
      const enConfirmation = await waitForMail(enEmail, subjectStarts('Registration confirmed'));
      expect(enConfirmation.attachments!.map((a) => a.filename)).toEqual(['invitation.ics']);
      expect(enConfirmation.body.text).toMatch(/\n\nKind regards\n[^\n]+\n\n-- \n/);
      const enInvite = inviteOf(enConfirmation);
      expect(enInvite.text).toContain(`SUMMARY;LANGUAGE=nb-NO:${title}`);
      const cancelled = await post(linkIn(enConfirmation, '/registrations/cancel'), { headers: { accept: 'application/json' } });
      expect(cancelled.status, cancelled.text).toBe(200);
      const enReceipt = await waitForMail(enEmail, subjectStarts('Registration cancelled'));
      expect(enReceipt.subject).toBe(`Registration cancelled: ${title}`);
      expect(enReceipt.body.text).toContain(`We confirm that you have cancelled your registration for “${title}”.`);
      expect(enReceipt.body.text).toContain('The attached calendar update removes the event.');
      expect(enReceipt.body.text).toContain('Register again:');
      expect(enReceipt.body.text).not.toMatch(/Vennlig hilsen|Meld deg/);
      expect(enReceipt.attachments!.map((a) => a.filename)).toEqual(['cancelled.ics']);
      const enCancel = inviteOf(enReceipt);
      expect(enCancel.text).toContain('\r\nMETHOD:CANCEL\r\n');
      expect(enCancel.event.uid).toBe(enInvite.event.uid);
      expect(Number(enCancel.event.sequence)).toBeGreaterThan(Number(enInvite.event.sequence));
      expect(enCancel.text).not.toContain('en-GB');

      // The same address registers again and cancels again: that registration gets its own receipt.
      expect((await register(id, { name: 'Kari Kvittering', email: nbEmail, mode: 'digital' })).status).toBe(202);
      await idle();
      const confirmations = (await mailbox(nbEmail)).filter((m) => m.subject.startsWith('Påmeldingen er bekreftet'));
      expect(confirmations).toHaveLength(2);
      const again = inviteOf(confirmations[1]);
      expect((await post(linkIn(confirmations[1], '/registrations/cancel'), { form: {} })).status).toBe(200);
      await idle();
      const receipts = (await mailbox(nbEmail)).filter((m) => m.subject.startsWith('Du er meldt av'));
      expect(receipts).toHaveLength(2);
      expect(inviteOf(receipts[1]).event.uid).toBe(again.event.uid);
      expect(again.event.uid).not.toBe(first.event.uid);
      const newId = (await registrations(id)).items.find((r) => r.email === nbEmail && r.id !== regId)!.id as string;
      expect(
        (await log())
          .filter((e) => e.recipient === nbEmail && e.kind.startsWith('registration-cancelled') && e.status === 'sent')
          .map((e) => e.kind)
          .sort(),
      ).toEqual(['registration-cancelled', `registration-cancelled-${newId}`].sort());
    });

    it('no receipt for a registration refused at confirmation (the last seat went) or erased, even when the event comes', async () => {
      const id = await createSeminar({ title: 'Ingen kvittering', capacity: 1, doubleOptIn: true });
      // Both ask for the one seat, with nothing else; the first to confirm gets it, the other is refused.
      const [erased, late] = [uniqueEmail('refused-a'), uniqueEmail('refused-b')];
      for (const email of [erased, late]) expect((await register(id, { name: 'Bare Sete', email, mode: 'physical' })).status).toBe(202);
      const confirmLink = async (email: string) => linkIn(await waitForMail(email, subjectStarts('Bekreft påmeldingen din')), '/registrations/confirm');
      const [linkA, linkB] = [await confirmLink(erased), await confirmLink(late)];
      expect((await confirmViaPage(linkA)).status).toBe(200);
      const refusedPage = await confirmViaPage(linkB);
      expect(refusedPage.status).toBe(409);
      expect(refusedPage.text).toContain('Du er ikke påmeldt.');
      const stored = (await registrations(id)).items.find((r) => r.email === late)!;
      expect(stored.status).toBe('cancelled');
      const replay = await api('POST', '/admin/events', { body: { detailType: 'RegistrationCancelled', detail: { version: 1, seminarId: id, registrationId: stored.id, freedSeat: false } } });
      expect(replay.status, replay.text).toBeLessThan(300);

      // Erased: the eraser cancels (freeing the seat), deletes, then publishes the event: the person is gone.
      expect((await api('DELETE', `/admin/people/${encodeURIComponent(erased)}`)).status).toBe(200);
      await idle();
      for (const email of [late, erased]) {
        expect((await mailbox(email)).filter((m) => /^(Du er meldt av|Registration cancelled)/.test(m.subject))).toEqual([]);
      }
      const log = (await api('GET', `/admin/deliveries?subject=${id}`)).body.items as Array<{ kind: string }>;
      expect(log.filter((e) => e.kind.startsWith('registration-cancelled'))).toEqual([]);
      expect(log.length).toBeGreaterThan(0);
    });

    it('the outcome page after confirming has a language switch: the confirm link’s page, which shows the state and changes nothing', async () => {
      const email = uniqueEmail('switch');
      const { confirmed } = await submitAndConfirm(seminarId, { name: 'Sara Språk', email, mode: 'physical' });
      expect(confirmed.status).toBe(200);
      const href = /<a href="([^"]+)" hreflang="en" lang="en">English<\/a>/.exec(confirmed.text)?.[1].replace(/&amp;/g, '&');
      expect(href).toMatch(/^\/registrations\/confirm\?token=[^&]+&lang=en$/);
      await idle();
      const before = await mailbox(email);
      const en = await api('GET', href!);
      expect(en.status).toBe(200);
      expect(en.text).toContain('<html lang="en">');
      expect(en.text).toContain('Your registration is already confirmed.');
      expect(en.text).toContain('href="/registrations/confirm?token=');
      await idle();
      expect(await mailbox(email)).toHaveLength(before.length);
      expect((await registrations(seminarId)).items.filter((r) => r.email === email).map((r) => `${r.status}/${r.attendance}`)).toEqual(['confirmed/physical']);
    });
  });

  describe('names, escaping and headers', () => {
    it('keeps names in any script exactly, escapes HTML in pages and emails, and never lets CR/LF reach a header', async () => {
      const injected = await api('POST', '/admin/seminars', { body: seminarInput({ title: 'Seminar <i>kursiv</i>\r\nBcc: evil@example.com' }) });
      expect(injected.status).toBe(400);
      expect(injected.body.errors.map((e: { field: string }) => e.field)).toEqual(['title']);
      const id = await createSeminar({ title: 'Seminar <i>kursiv</i> Bcc: evil@example.com' });
      const email = uniqueEmail('navn');
      const name = `Åse Ødegård-O'Brien <b>Adélie</b> & "Ægir" Øyvind`;
      const organisation = 'Universitetet i Tromsø – Norges arktiske universitet <script>alert(1)</script>';
      const { confirmed, confirmMail } = await submitAndConfirm(id, { name, email, organisation, mode: 'physical' });

      const stored = (await registrations(id)).items.find((r) => r.email === email)!;
      expect(stored.name).toBe(name);
      expect(stored.organisation).toBe(organisation);

      for (const m of await mailbox(email)) {
        expect(m.subject).not.toMatch(/[\r\n]/);
        expect(m.from).not.toMatch(/[\r\n]/);
        for (const h of m.headers ?? []) expect(`${h.name}: ${h.value}`).not.toMatch(/[\r\n]/);
        expect(m.destination.to).toEqual([email]);
        expect((m.destination as { bcc?: string[] }).bcc ?? []).toEqual([]);
        expect(m.body.html).not.toContain('<b>Adélie</b>');
        expect(m.body.html).not.toContain('<i>kursiv</i>');
      }
      expect(confirmMail.body.text).toContain(name);
      expect(confirmMail.body.html).toContain('Åse Ødegård-O&#39;Brien &lt;b&gt;Adélie&lt;/b&gt; &amp; &quot;Ægir&quot; Øyvind');

      const confirmation = await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));
      const page = await api('GET', linkIn(confirmation, '/registrations/cancel'));
      expect(page.text).toContain('Åse Ødegård-O&#39;Brien &lt;b&gt;Adélie&lt;/b&gt;');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).not.toContain('<script>');
      expect(page.text).toContain('Seminar &lt;i&gt;kursiv&lt;/i&gt;');
      expect(confirmed.text).not.toContain('<i>kursiv</i>');

      const { event, text } = inviteOf(confirmation);
      expect(text).not.toMatch(/\r\nBcc:/);
      const attendee = event.attendee as unknown as { params: { CN: string } } | string;
      expect(typeof attendee === 'string' ? attendee : attendee.params.CN).toContain('Åse Ødegård');
      expect(textOf(event.summary)).toMatch(/^Seminar <i>kursiv<\/i>\s+Bcc: evil@example\.com$/); // a line break in the text, not a new property
    });

    it('a name with CR/LF posted as JSON is stored as one line and never reaches a header', async () => {
      const email = uniqueEmail('crlf');
      const res = await register(seminarId, { name: 'Ola\r\nBcc: evil@example.com', organisation: 'Etat\tfor\n\nlinjeskift', email, mode: 'digital' });
      expect(res.status).toBe(202);
      const mail = await waitForMail(email, subjectStarts('Bekreft'));
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect((mail.destination as { bcc?: string[] }).bcc ?? []).toEqual([]);
      expect((await mailbox('evil@example.com')).length).toBe(0);
      const stored = (await registrations(seminarId)).items.find((r) => r.email === email)!;
      expect(stored.name).toBe('Ola Bcc: evil@example.com');
      expect(stored.organisation).toBe('Etat for linjeskift');
      // A name that is nothing but line breaks is no name.
      const blank = await register(seminarId, { name: '\r\n\t', email: uniqueEmail('blank'), mode: 'digital' });
      expect(blank.status).toBe(400);
      expect(blank.body.errors.map((e: { field: string }) => e.field)).toContain('name');
    });
  });

  describe('calendar invites across daylight saving', () => {
    // Next year's dates, so that they are ahead whenever the test runs: Europe/Oslo goes to summer time on
    // the last Sunday of March and back on the last Sunday of October.
    const Y = new Date().getUTCFullYear() + 1;
    const lastSunday = (month: number) => {
      const d = new Date(Date.UTC(Y, month, 0)); // the last day of `month` (1-12)
      return String(d.getUTCDate() - d.getUTCDay()).padStart(2, '0');
    };
    const [march, october] = [lastSunday(3), lastSunday(10)];
    it.each([
      ['winter (CET, +01:00)', `${Y}-01-14T12:00:00+01:00`, `${Y}-01-14T14:00:00+01:00`, `${Y}0114T120000`, 'kl. 12.00–14.00'],
      ['summer (CEST, +02:00)', `${Y}-06-10T09:00:00+02:00`, `${Y}-06-10T11:30:00+02:00`, `${Y}0610T090000`, 'kl. 09.00–11.30'],
      ['the day clocks go forward', `${Y}-03-${march}T10:00:00+02:00`, `${Y}-03-${march}T12:00:00+02:00`, `${Y}03${march}T100000`, 'kl. 10.00–12.00'],
      ['the day clocks go back', `${Y}-10-${october}T10:00:00+01:00`, `${Y}-10-${october}T12:00:00+01:00`, `${Y}10${october}T100000`, 'kl. 10.00–12.00'],
    ])('%s: DTSTART in Europe/Oslo is the right instant', async (_when, start, end, local, shown) => {
      const id = await createSeminar({ title: `Tidssone ${local}`, start, end, doubleOptIn: false });
      const email = uniqueEmail('ics');
      expect((await register(id, { name: 'Tid Sone', email, mode: 'physical' })).status).toBe(202);
      const mail = await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));
      expect(mail.body.text).toContain(shown);
      const { text, event } = inviteOf(mail);
      expect(text).toContain(`DTSTART;TZID=Europe/Oslo:${local}`);
      expect(text).toContain('BEGIN:VTIMEZONE');
      expect(event.start.toISOString()).toBe(new Date(start).toISOString());
      expect(event.end?.toISOString()).toBe(new Date(end).toISOString());
      expect((event.start as Date & { tz?: string }).tz).toBe('Europe/Oslo');
      const page = await api('GET', `/seminars/${id}/register`);
      expect(page.text).toContain(shown);
    });
  });

  describe('seat accounting in the store', () => {
    it('an admin update never writes back a stale seat count (bug fix: it could free a taken seat)', async () => {
      const { getSeminar, replaceSeminar } = await directStore();
      const id = await createSeminar({ title: 'Tre seter', capacity: 3, doubleOptIn: false });
      const stale = (await getSeminar(id, true))!;
      expect(stale.seatsTaken).toBe(0);
      expect((await register(id, { name: 'Tar Sete', email: uniqueEmail('seat'), mode: 'physical' })).status).toBe(202);
      await idle();
      // An admin update that read the seminar before the seat was taken must not put 0 back.
      expect(await replaceSeminar({ ...stale, title: 'Tre seter (oppdatert)' }, stale.updatedAt)).toBe(false);
      expect((await getSeminar(id, true))!.seatsTaken).toBe(1);
      // Through the admin API (which reads afresh) the update works and keeps the count.
      const put = await api('PUT', `/admin/seminars/${id}`, { body: seminarInput({ title: 'Tre seter (oppdatert)', capacity: 3, doubleOptIn: false }) });
      expect(put.status, put.text).toBe(200);
      expect((await api('GET', `/admin/seminars/${id}`)).body).toMatchObject({ title: 'Tre seter (oppdatert)', seatsTaken: 1 });
      expect((await api('GET', `/seminars/${id}`)).body.seatsLeft).toBe(2);
    });

    it('reads the seminar and a registration in one call; confirming from that read is safe even when it is stale', async () => {
      const { getSeminarAndRegistration, applyConfirmStep } = await directStore();
      const { decideConfirm } = await import('../../shared/domain/registration-lifecycle.js');
      const id = await createSeminar({ title: 'Ett sete, lest én gang', capacity: 1, doubleOptIn: true });
      const [a, b] = [uniqueEmail('one-read-a'), uniqueEmail('one-read-b')];
      expect((await register(id, { name: 'Anne Først', email: a, mode: 'physical' })).status).toBe(202);
      expect((await register(id, { name: 'Bent Sist', email: b, mode: 'physical', digitalIfFull: true })).status).toBe(202);
      await idle();
      const ids = Object.fromEntries((await registrations(id)).items.map((r) => [r.email, r.id as string]));
      const readA = await getSeminarAndRegistration(id, ids[a]);
      expect(readA.seminar).toMatchObject({ id, capacity: 1, seatsTaken: 0 });
      expect(readA.seminar).not.toHaveProperty('pk');
      expect(readA.registration).toMatchObject({ id: ids[a], email: a, status: 'pending' });
      expect(readA.registration).not.toHaveProperty('expiresAt');
      expect(await getSeminarAndRegistration(id, 'no-such-registration')).toEqual({ seminar: readA.seminar, registration: undefined });
      expect(await getSeminarAndRegistration('no-such-seminar', ids[a])).toEqual({ seminar: undefined, registration: undefined });

      const at = new Date();
      const stepA = decideConfirm(readA.seminar!, readA.registration!, at);
      expect(stepA).toEqual({ kind: 'take-seat' });
      expect(await applyConfirmStep(id, readA.registration!, stepA, at.toISOString())).toMatchObject({ kind: 'done', outcome: { outcome: 'physical', changed: true } });
      // The same (now stale: still pending) read again: the conditional write refuses, nothing changes.
      expect(await applyConfirmStep(id, readA.registration!, stepA, at.toISOString())).toMatchObject({ kind: 'not-pending', outcome: { outcome: 'physical', changed: false } });
      // B decided on the stale seminar (a seat left): the refused transaction hands back the seminar as it
      // is, without reading it again, and the decision made on that gives B online attendance.
      const readB = await getSeminarAndRegistration(id, ids[b]);
      const refused = await applyConfirmStep(id, readB.registration!, decideConfirm(readA.seminar!, readB.registration!, at), at.toISOString());
      expect(refused).toMatchObject({ kind: 'seminar-changed', seminar: { id, seatsTaken: 1, capacity: 1 } });
      const again = decideConfirm((refused as { seminar: Parameters<typeof decideConfirm>[0] }).seminar, readB.registration!, at);
      expect(again).toEqual({ kind: 'attend-digitally', because: 'full' });
      expect(await applyConfirmStep(id, readB.registration!, again, at.toISOString())).toMatchObject({ kind: 'done', outcome: { outcome: 'digital', changed: true, digitalBecause: 'full' } });
      expect((await registrations(id)).seatsTaken).toBe(1);
    });

    it('the confirm page says the seats ran out when the last one went before the confirmation', async () => {
      const id = await createSeminar({ title: 'Siste sete', capacity: 1, doubleOptIn: true });
      const first = await submitAndConfirm(id, { name: 'Først Til', email: uniqueEmail('last-seat-a'), mode: 'physical' });
      expect(first.confirmed.text).toContain('Du er påmeldt');
      const second = await submitAndConfirm(id, { name: 'Mølla Sist', email: uniqueEmail('last-seat-b'), mode: 'physical', digitalIfFull: true });
      expect(second.confirmed.status).toBe(200);
      expect(second.confirmed.text).toContain('Det var ingen ledige plasser igjen i salen');
    });

    it('a promotion whose event was lost (crash after the transaction) is announced when the event is retried', async () => {
      const { promoteFromWaitlist, cancelRegistration } = await directStore();
      const { id, b, aId, bId } = await oneSeatTaken('Krasj etter forfremmelse');
      // What the cancel route and the promotion handler do, up to the moment they "die": no events published.
      expect((await cancelRegistration(id, aId, new Date().toISOString())).freedSeat).toBe(true);
      expect((await promoteFromWaitlist(id, { causeId: aId })).map((r) => r.id)).toEqual([bId]);
      await idle();
      expect((await mailbox(b)).some((m) => m.subject.startsWith('Du har fått plass'))).toBe(false);
      // The retried RegistrationCancelled finds no free seat, but tells whoever got it.
      const retry = await api('POST', '/admin/events', { body: { detailType: 'RegistrationCancelled', detail: { version: 1, seminarId: id, registrationId: aId, freedSeat: true } } });
      expect(retry.status).toBeLessThan(300);
      const mail = await waitForMail(b, subjectStarts('Du har fått plass'));
      expect(inviteOf(mail).event.location).toContain('Plenumssalen i R4');
      const regs = await registrations(id);
      expect(regs.seatsTaken).toBe(1);
      expect(regs.items.find((r) => r.id === bId)).toMatchObject({ attendance: 'physical' });
    });

    it('cancelling again re-sends a lost RegistrationCancelled, so a freed seat never stays empty', async () => {
      const { cancelRegistration } = await directStore();
      const { id, a, b, aId } = await oneSeatTaken('Krasj etter avmelding');
      const confirmation = await waitForMail(a, subjectStarts('Påmeldingen er bekreftet'));
      // The first cancel "died" after its transaction, before the event: the seat is free, nobody told.
      expect((await cancelRegistration(id, aId, new Date().toISOString())).freedSeat).toBe(true);
      await idle();
      expect((await registrations(id)).seatsTaken).toBe(0);
      const again = await post('/registrations/cancel', { form: { token: tokenOf(linkIn(confirmation, '/registrations/cancel')) } });
      expect(again.status).toBe(200);
      expect(again.text).toContain('Du var allerede meldt av');
      await waitForMail(b, subjectStarts('Du har fått plass'));
      expect((await registrations(id)).seatsTaken).toBe(1);
    });

    it('once the seminar has started, the cancel link no longer cancels (the page says so), and a seat freed by an erasure is not given away', async () => {
      const { id, a, b, bId } = await oneSeatTaken('Allerede startet');
      const confirmation = await waitForMail(a, subjectStarts('Påmeldingen er bekreftet'));
      const start = (await api('GET', `/seminars/${id}`)).body.start as string;
      await setClock(new Date(Date.parse(start) + 10 * 60_000).toISOString());
      const cancelLink = linkIn(confirmation, '/registrations/cancel');
      const page = await api('GET', cancelLink);
      expect(page.status).toBe(200);
      expect(page.text).toContain('har startet, så påmeldingen kan ikke lenger meldes av');
      expect(page.text).not.toContain('<form action="/registrations/cancel"');
      expect(page.text).toContain('/registrations/stop-emails?token=');
      const refused = await post('/registrations/cancel', { form: { token: tokenOf(cancelLink) } });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('har startet, så påmeldingen kan ikke lenger meldes av');
      const json = await post('/registrations/cancel', { form: { token: tokenOf(cancelLink) }, headers: { accept: 'application/json' } });
      expect(json.status).toBe(409);
      expect(json.body).toMatchObject({ reason: 'started' });
      await idle();
      expect((await registrations(id)).items.find((r) => r.email === a)).toMatchObject({ status: 'confirmed', attendance: 'physical' });
      // An erasure still cancels (and deletes) the registration; the seat it frees stays free.
      expect((await api('DELETE', `/admin/people/${encodeURIComponent(a)}`)).status).toBe(200);
      await idle();
      const regs = await registrations(id);
      expect(regs.seatsTaken).toBe(0);
      expect(regs.items.find((r) => r.id === bId)).toMatchObject({ attendance: 'waitlisted' });
      expect((await mailbox(b)).some((m) => m.subject.startsWith('Du har fått plass'))).toBe(false);
    });
  });

  describe('links that do not work', () => {
    let good: { confirm: string; cancel: string; registrationId: string };

    beforeAll(async () => {
      const email = uniqueEmail('token');
      expect((await register(seminarId, { name: 'Token Test', email, mode: 'digital' })).status).toBe(202);
      const mail = await waitForMail(email, subjectStarts('Bekreft'));
      good = {
        confirm: tokenOf(linkIn(mail, '/registrations/confirm')),
        cancel: tokenOf(linkIn(mail, '/registrations/cancel')),
        registrationId: (await registrations(seminarId)).items.find((r) => r.email === email)!.id,
      };
    });

    const flip = (t: string) => {
      const i = t.length - 3;
      return t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    };

    it.each([
      ['no token', ''],
      ['garbage', 'not-a-token'],
      ['a cut-short token', 'TRUNCATE'],
      ['a tampered signature', 'FLIP'],
      ['a cancel token on the confirm page', 'CANCEL'],
    ])('%s gets a clear 400 page, never a 500', async (_what, kind) => {
      const token = kind === 'TRUNCATE' ? good.confirm.slice(0, 20) : kind === 'FLIP' ? flip(good.confirm) : kind === 'CANCEL' ? good.cancel : kind;
      const q = token ? `?token=${encodeURIComponent(token)}` : '';
      for (const res of [await api('GET', `/registrations/confirm${q}`), await post(`/registrations/confirm${q}`, { form: {} }), await post('/registrations/confirm', { form: { token } })]) {
        expect(res.status, res.text).toBe(400);
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(res.text).toContain('Lenken virker ikke');
        expect(res.text).toContain('Lenken er ufullstendig eller endret.');
      }
      const en = await api('GET', `/registrations/cancel?token=${encodeURIComponent(kind === 'CANCEL' ? good.confirm : token)}&lang=en`);
      expect(en.status).toBe(400);
      expect(en.text).toContain('This link does not work');
      const stillPending = (await registrations(seminarId)).items.find((r) => r.id === good.registrationId)!;
      expect(stillPending.status).toBe('pending');
    });

    it('an expired confirm link says so (400); a link to a registration that no longer exists gets 404', async () => {
      const secret = tokenSecret();
      const sub = `${seminarId}.${good.registrationId}`;
      const expired = signToken(secret, { purpose: 'confirm-registration', sub, exp: Math.floor(Date.now() / 1000) - 60 });
      const res = await post('/registrations/confirm', { form: { token: expired } });
      expect(res.status).toBe(400);
      expect(res.text).toContain('Lenken er utløpt.');
      const gone = signToken(secret, { purpose: 'cancel-registration', sub: `${seminarId}.nosuchregistration` });
      const missing = await api('GET', `/registrations/cancel?token=${gone}`);
      expect(missing.status).toBe(404);
      expect(missing.text).toContain('Vi finner ikke påmeldingen');
      const json = await api('POST', `/registrations/cancel?token=${gone}`, { headers: { accept: 'application/json' } });
      expect(json.status).toBe(404);
      expect(json.headers.get('content-type')).toContain('application/problem+json');
      noServerErrors(json);
    });

    it('confirming twice shows the same outcome and sends one confirmation', async () => {
      const first = await post('/registrations/confirm', { form: { token: good.confirm } });
      const second = await post('/registrations/confirm', { form: { token: good.confirm } });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.text).toContain('Du er påmeldt for å delta digitalt.');
      const reg = (await registrations(seminarId)).items.find((r) => r.id === good.registrationId)!;
      await idle();
      expect((await mailbox(reg.email)).filter((m) => m.subject.startsWith('Påmeldingen er bekreftet'))).toHaveLength(1);
      const page = await api('GET', `/registrations/confirm?token=${encodeURIComponent(good.confirm)}`);
      expect(page.text).toContain('Påmeldingen din er allerede bekreftet.');
    });
  });
});
