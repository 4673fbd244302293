/**
 * Seminar registration on the local cloud, through HTTP, the bus, the handlers and the mailbox: the
 * page and its form, eligibility, deadlines, duplicates, double opt-in, 200 concurrent confirmations
 * for 20 seats, the waitlist and its promotion, the `.ics` invites across daylight saving, names in
 * any script, and links that do not work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import * as ical from 'node-ical';
import { api, daysFromNow, idle, mailbox, resetClock, setClock, uniqueEmail, type ApiResponse, type Mail } from '../support/local.js';
import { signToken } from '../../shared/domain/tokens.js';
import { Env } from '../../shared/env-names.js';
import { NAMES, REGION } from '../../infra/local/cloud.js';

// ---------------------------------------------------------------------------------------------
// Helpers

type Json = Record<string, any>;

const seminarInput = (o: Json = {}): Json => ({
  title: 'Samordning i statsforvaltningen: Med blanke ark?',
  kind: 'seminar',
  description: 'Godt samarbeid på tvers av sektorer, nivåer og fagdisipliner er en forutsetning.\n\nSeminaret er det sjette og siste i serien.',
  start: daysFromNow(10, 11),
  end: daysFromNow(10, 15),
  doorsOpen: '12:00',
  venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' },
  program: [
    { start: '12:30', end: '13:20', title: 'Velkommen ved seminarleder', speakers: [{ name: 'Ruth Astrid Sæter', title: 'seminarleder' }] },
    { start: '13:40', title: 'Brukersentrert innovasjon på tvers av sektorer', speakers: [{ name: 'Adélie Dorseuil', organisation: 'Helsedirektoratet' }] },
  ],
  speakers: [{ name: 'Kåre Svensson', title: 'seniorrådgiver', organisation: 'Partnerforum/UiO' }],
  capacity: 100,
  streamingUrl: 'https://example.no/stream-secret-xyz',
  ...o,
});

/** Creates and schedules a seminar; returns its id once it is published. */
async function createSeminar(o: Json = {}): Promise<string> {
  const created = await api('POST', '/admin/seminars', { body: seminarInput(o) });
  expect(created.status, created.text).toBe(201);
  const id = created.body.id as string;
  expect((await api('POST', `/admin/seminars/${id}/schedule`)).status).toBe(202);
  await idle();
  expect((await api('GET', `/seminars/${id}`)).body.status).toBe('scheduled');
  return id;
}

/**
 * POST with the public write routes' rate limits in mind: a 429 from the per-IP/per-address counters
 * (fixed windows on the local clock) moves the clock past the window; a throttle waits it out.
 */
async function post(path: string, opts: Parameters<typeof api>[2] = {}): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await api('POST', path, opts);
    if (res.status !== 429 || attempt >= 5) return res;
    const wait = Number(res.headers.get('retry-after') ?? '1');
    if (/Too many submissions/i.test(res.text) || /For mange innsendinger/i.test(res.text)) await api('POST', '/_local/clock', { body: { advanceSeconds: wait + 1 } });
    else await new Promise((r) => setTimeout(r, Math.min(wait, 3) * 1000));
  }
}

const register = (seminarId: string, body: Json) => post(`/seminars/${seminarId}/registrations`, { body });
const registerForm = (seminarId: string, form: Record<string, string>, lang = 'nb') => post(`/seminars/${seminarId}/registrations?lang=${lang}`, { form });

/** Waits until the mailbox has a message for `to` that matches. */
async function waitForMail(to: string, match: (m: Mail) => boolean, timeoutMs = 20_000): Promise<Mail> {
  await idle();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailbox(to)).filter(match);
    if (found.length) return found[found.length - 1];
    if (Date.now() > until) throw new Error(`No matching email to ${to}; got: ${(await mailbox(to)).map((m) => m.subject).join(' | ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const subjectStarts = (prefix: string) => (m: Mail) => m.subject.startsWith(prefix);

/** The path and query of a confirm or cancel link in an email's text. */
function linkIn(mail: Mail, path: '/registrations/confirm' | '/registrations/cancel'): string {
  const m = new RegExp(`https?://[^\\s"<>]+${path.replace(/\//g, '\\/')}\\?token=[^\\s"<>]+`).exec(mail.body.text ?? '');
  if (!m) throw new Error(`No ${path} link in: ${mail.body.text}`);
  const u = new URL(m[0]);
  return `${u.pathname}${u.search}`;
}

/** node-ical gives a property with parameters (LANGUAGE=…) as `{ params, val }`. */
const textOf = (v: unknown): string => (typeof v === 'object' && v !== null && 'val' in v ? String((v as { val: unknown }).val) : String(v));

const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!;

/** The `.ics` attached to an email, parsed with node-ical. */
function inviteOf(mail: Mail) {
  const a = mail.attachments?.find((x) => x.filename.endsWith('.ics'));
  if (!a) throw new Error(`No .ics attached to "${mail.subject}"`);
  const text = Buffer.from(a.content, 'base64').toString('utf8');
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c) => c && (c as { type?: string }).type === 'VEVENT') as ical.VEvent[];
  expect(events).toHaveLength(1);
  return { text, event: events[0], contentType: a.contentType };
}

async function registrations(seminarId: string) {
  const res = await api('GET', `/admin/seminars/${seminarId}/registrations`);
  expect(res.status).toBe(200);
  return res.body as { seatsTaken: number; capacity: number; counts: Record<string, number>; items: Array<Json> };
}

async function confirmViaPage(link: string): Promise<ApiResponse> {
  return post('/registrations/confirm', { form: { token: tokenOf(link), lang: new URL(link, 'http://x').searchParams.get('lang') ?? 'nb' } });
}

async function submitAndConfirm(seminarId: string, body: Json): Promise<{ confirmed: ApiResponse; confirmMail: Mail; email: string }> {
  const res = await register(seminarId, body);
  expect(res.status, res.text).toBe(202);
  const confirmMail = await waitForMail(body.email.trim(), (m) => /Bekreft påmeldingen|Confirm your registration/.test(m.subject));
  const confirmed = await confirmViaPage(linkIn(confirmMail, '/registrations/confirm'));
  return { confirmed, confirmMail, email: body.email.trim().toLowerCase() };
}

/** The real store modules in the test process, on the same DynamoDB Local as the handlers. */
async function directStore() {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoUrl'),
    [Env.tableName]: NAMES.table,
    [Env.busName]: NAMES.bus,
    [Env.busArn]: `arn:aws:events:${REGION}:000000000000:event-bus/${NAMES.bus}`,
    [Env.scheduleGroup]: NAMES.group,
    [Env.schedulerRoleArn]: 'arn:aws:iam::000000000000:role/local-scheduler',
    [Env.senderEmail]: 'seminarer@example.no',
    [Env.publicBaseUrl]: inject('apiUrl'),
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
      expect(page).toContain('kl. 12.00–16.00'); // 11:00–15:00 UTC in winter is 12–16 in Oslo
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
    let restricted: string;
    beforeAll(async () => {
      restricted = await createSeminar({
        title: 'Partnerforum: seminar for partnerne',
        doubleOptIn: false,
        eligibility: { kind: 'restricted', domains: ['dfo.no', 'uio.no'], invited: ['Gjest.Person@Example.com'] },
      });
    });

    it.each([
      ['a partner address', 'kari@dfo.no'],
      ['a subdomain of a partner', 'ola@it.uio.no'],
      ['an invited address, in other case and with spaces', '  GJEST.person@example.COM '],
    ])('accepts %s', async (_what, email) => {
      const res = await register(restricted, { name: 'Med Lov', email, mode: 'digital' });
      expect(res.status, res.text).toBe(202);
    });

    it.each([
      ['another domain', 'kari@example.no'],
      ['a domain that only ends like a partner', 'kari@notdfo.no'],
      ['a partner domain inside another', 'kari@dfo.no.example.com'],
      ['an address like an invited one', 'gjest.person2@example.com'],
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
      expect((await confirmViaPage(linkIn(second, '/registrations/confirm'))).text).toContain('Du er påmeldt digital deltakelse.');
      await idle();
      expect((await mailbox(email)).filter((m) => m.subject.startsWith('Påmeldingen er bekreftet'))).toHaveLength(2);
      const mine = (await registrations(seminarId)).items.filter((r) => r.email === email);
      expect(mine.map((r) => `${r.status}/${r.attendance}`).sort()).toEqual(['cancelled/physical', 'confirmed/digital']);
      // The delivery log keeps both: the new registration's emails have their own kinds.
      const again = mine.find((r) => r.status === 'confirmed')!;
      const log = (await api('GET', `/admin/deliveries?subject=${seminarId}`)).body.items as Array<{ kind: string; recipient: string; status: string }>;
      expect(log.filter((e) => e.recipient === email && e.status === 'sent').map((e) => e.kind).sort()).toEqual(
        ['confirm-address', `confirm-address-${again.id}`, 'registration-confirmed', `registration-confirmed-${again.id}`].sort(),
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
      expect(confirmed.text).toContain('Du er påmeldt digital deltakelse.');
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
    it('200 concurrent confirmations for 20 seats give exactly 20 seats and a waitlist ordered by confirmation time', async () => {
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
      for (let i = 1; i < waitlist.length; i++) expect(waitlist[i - 1].confirmedAt <= waitlist[i].confirmedAt).toBe(true);
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
      const bConfirmed = (await submitAndConfirm(id, { name: 'Bjørn B', email: b, mode: 'physical', joinWaitlist: true })).confirmed;
      expect(bConfirmed.text).toContain('du står som nummer 1 på ventelisten');
      const cConfirmed = (await submitAndConfirm(id, { name: 'Cecilie C', email: c, mode: 'physical', joinWaitlist: true, language: 'en' })).confirmed;
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
      expect(again.text).toContain('var allerede avmeldt');
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
  });

  describe('names, escaping and headers', () => {
    it('keeps names in any script exactly, escapes HTML in pages and emails, and never lets CR/LF reach a header', async () => {
      const id = await createSeminar({ title: 'Seminar <i>kursiv</i>\r\nBcc: evil@example.com' });
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
    it.each([
      ['winter (CET, +01:00)', '2027-01-14T12:00:00+01:00', '2027-01-14T14:00:00+01:00', '20270114T120000', 'kl. 12.00–14.00'],
      ['summer (CEST, +02:00)', '2027-06-10T09:00:00+02:00', '2027-06-10T11:30:00+02:00', '20270610T090000', 'kl. 09.00–11.30'],
      ['the day clocks go forward', '2027-03-28T10:00:00+02:00', '2027-03-28T12:00:00+02:00', '20270328T100000', 'kl. 10.00–12.00'],
      ['the day clocks go back', '2027-10-31T10:00:00+01:00', '2027-10-31T12:00:00+01:00', '20271031T100000', 'kl. 10.00–12.00'],
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
      const { getSeminarAndRegistration, confirmRegistration } = await directStore();
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

      const at = new Date().toISOString();
      expect(await confirmRegistration(id, ids[a], at, true, true, readA.registration)).toMatchObject({ outcome: 'physical', changed: true });
      // The same (now stale: still pending) read again: the conditional write refuses, nothing changes.
      expect(await confirmRegistration(id, ids[a], at, true, true, readA.registration)).toMatchObject({ outcome: 'physical', changed: false });
      // The seat is gone: the refused transaction itself says why, without reading the seminar again.
      const readB = await getSeminarAndRegistration(id, ids[b]);
      expect(await confirmRegistration(id, ids[b], at, true, true, readB.registration)).toMatchObject({ outcome: 'digital', changed: true, seatRefused: 'full' });
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
      expect(again.text).toContain('var allerede avmeldt');
      await waitForMail(b, subjectStarts('Du har fått plass'));
      expect((await registrations(id)).seatsTaken).toBe(1);
    });

    it('once the seminar has started, a freed seat is not given away', async () => {
      const { id, a, b, bId } = await oneSeatTaken('Allerede startet');
      const confirmation = await waitForMail(a, subjectStarts('Påmeldingen er bekreftet'));
      const start = (await api('GET', `/seminars/${id}`)).body.start as string;
      await setClock(new Date(Date.parse(start) + 10 * 60_000).toISOString());
      expect((await post('/registrations/cancel', { form: { token: tokenOf(linkIn(confirmation, '/registrations/cancel')) } })).status).toBe(200);
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
      expect(second.text).toContain('Du er påmeldt digital deltakelse.');
      const reg = (await registrations(seminarId)).items.find((r) => r.id === good.registrationId)!;
      await idle();
      expect((await mailbox(reg.email)).filter((m) => m.subject.startsWith('Påmeldingen er bekreftet'))).toHaveLength(1);
      const page = await api('GET', `/registrations/confirm?token=${encodeURIComponent(good.confirm)}`);
      expect(page.text).toContain('Påmeldingen din er allerede bekreftet.');
    });
  });
});
