/**
 * What the seminar and registration integration tests share: a seminar body from the seed's partner
 * forum seminar, creating and scheduling it, posting with the public routes' rate limits in mind,
 * waiting for mail, the links and `.ics` in an email, and the admin's registrant list.
 */
import { expect } from 'vitest';
import * as ical from 'node-ical';
import { api, daysFromNow, idle, mailbox, type ApiResponse, type Mail } from './local.js';

export type Json = Record<string, any>;

export const seminarInput = (o: Json = {}): Json => ({
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
export async function createSeminar(o: Json = {}): Promise<string> {
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
export async function post(path: string, opts: Parameters<typeof api>[2] = {}): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await api('POST', path, opts);
    if (res.status !== 429 || attempt >= 5) return res;
    const wait = Number(res.headers.get('retry-after') ?? '1');
    if (/Too many submissions/i.test(res.text) || /For mange innsendinger/i.test(res.text)) await api('POST', '/_local/clock', { body: { advanceSeconds: wait + 1 } });
    else await new Promise((r) => setTimeout(r, Math.min(wait, 3) * 1000));
  }
}

export const register = (seminarId: string, body: Json) => post(`/seminars/${seminarId}/registrations`, { body });
export const registerForm = (seminarId: string, form: Record<string, string>, lang = 'nb') => post(`/seminars/${seminarId}/registrations?lang=${lang}`, { form });

/** Waits until the mailbox has a message for `to` that matches. */
export async function waitForMail(to: string, match: (m: Mail) => boolean, timeoutMs = 20_000): Promise<Mail> {
  await idle();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailbox(to)).filter(match);
    if (found.length) return found[found.length - 1];
    if (Date.now() > until) throw new Error(`No matching email to ${to}; got: ${(await mailbox(to)).map((m) => m.subject).join(' | ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const subjectStarts = (prefix: string) => (m: Mail) => m.subject.startsWith(prefix);

/** The path and query of a link to `path` in an email's text. */
export function linkIn(mail: Mail, path: '/registrations/confirm' | '/registrations/cancel' | '/registrations/stop-emails'): string {
  const m = new RegExp(`https?://[^\\s"<>]+${path.replace(/\//g, '\\/')}\\?token=[^\\s"<>]+`).exec(mail.body.text ?? '');
  if (!m) throw new Error(`No ${path} link in: ${mail.body.text}`);
  const u = new URL(m[0]);
  return `${u.pathname}${u.search}`;
}

/** node-ical gives a property with parameters (LANGUAGE=…) as `{ params, val }`. */
export const textOf = (v: unknown): string => (typeof v === 'object' && v !== null && 'val' in v ? String((v as { val: unknown }).val) : String(v));

export const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!;

/** The `.ics` attached to an email, parsed with node-ical. */
export function inviteOf(mail: Mail) {
  const a = mail.attachments?.find((x) => x.filename.endsWith('.ics'));
  if (!a) throw new Error(`No .ics attached to "${mail.subject}"`);
  const text = Buffer.from(a.content, 'base64').toString('utf8');
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c) => c && (c as { type?: string }).type === 'VEVENT') as ical.VEvent[];
  expect(events).toHaveLength(1);
  return { text, event: events[0], contentType: a.contentType, filename: a.filename };
}

export async function registrations(seminarId: string) {
  const res = await api('GET', `/admin/seminars/${seminarId}/registrations`);
  expect(res.status).toBe(200);
  return res.body as { seatsTaken: number; capacity: number; counts: Record<string, number>; items: Array<Json> };
}

export async function confirmViaPage(link: string): Promise<ApiResponse> {
  return post('/registrations/confirm', { form: { token: tokenOf(link), lang: new URL(link, 'http://x').searchParams.get('lang') ?? 'nb' } });
}

/** Registers, follows the confirm link from the mailbox and presses the button. */
export async function submitAndConfirm(seminarId: string, body: Json): Promise<{ confirmed: ApiResponse; confirmMail: Mail; email: string }> {
  const res = await register(seminarId, body);
  expect(res.status, res.text).toBe(202);
  const confirmMail = await waitForMail(body.email.trim(), (m) => /Bekreft påmeldingen|Confirm your registration/.test(m.subject));
  const confirmed = await confirmViaPage(linkIn(confirmMail, '/registrations/confirm'));
  return { confirmed, confirmMail, email: body.email.trim().toLowerCase() };
}
