/**
 * What the seminar and registration integration tests share: the seminar body (test/support/bodies.ts),
 * creating and scheduling it, posting with the public routes' rate limits in mind, waiting for mail, the
 * links and `.ics` in an email, and the admin's registrant list.
 */
import { expect } from 'vitest';
import * as ical from 'node-ical';
import { api, idle, mailbox, type AnyJson, type ApiResponse, type Mail } from './local.js';
import { seminarInput } from './bodies.js';

export { seminarInput };

export type Json = Record<string, AnyJson>;

/** Creates a draft seminar (`seminarInput(o)`); returns its id. */
export async function createDraft(o: Json = {}, token?: string): Promise<string> {
  const created = await api('POST', '/admin/seminars', { body: seminarInput(o), token });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** Schedules a seminar and waits until its handlers are done. */
export async function scheduleSeminar(id: string): Promise<void> {
  const res = await api('POST', `/admin/seminars/${id}/schedule`);
  expect(res.status, res.text).toBe(202);
  await idle();
}

/** Creates and schedules a seminar; returns its id once it is published. */
export async function createSeminar(o: Json = {}): Promise<string> {
  const id = await createDraft(o);
  await scheduleSeminar(id);
  expect((await api('GET', `/seminars/${id}`)).body.status).toBe('scheduled');
  return id;
}

/**
 * Replaces a seminar with its admin record as it is now, changed by `changes` (the record less what
 * the server keeps: id, status, counters, times); the PUT's answer.
 */
export async function updateSeminar(id: string, changes: Json): Promise<ApiResponse> {
  const current = (await api('GET', `/admin/seminars/${id}`)).body;
  const { id: _i, status: _s, seatsTaken: _t, sequence: _q, createdAt: _c, updatedAt: _u, streamingLinkSentAt: _l, recordingUrl: _r, correctedRecordingUrl: _cr, lastMove: _m, ...input } = current;
  return api('PUT', `/admin/seminars/${id}`, { body: { ...input, ...changes } });
}

/** The gateway's throttle (not a counter in the function) refused the request. */
const throttled = (res: ApiResponse) => res.status === 429 && /route/.test(res.text);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A POST to a public write route that waits out the gateway's throttle; a counter's 429 is the answer. */
export async function postThrottled(path: string, opts: Parameters<typeof api>[2] = {}): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await api('POST', path, opts);
    if (!throttled(res) || attempt >= 5) return res;
    await sleep(Math.min(Number(res.headers.get('retry-after') ?? '1'), 3) * 1000);
  }
}

/**
 * POST with the public write routes' rate limits in mind: a 429 from the per-IP/per-address counters
 * (fixed windows on the local clock) moves the clock past the window; a throttle waits it out.
 */
export async function post(path: string, opts: Parameters<typeof api>[2] = {}): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    const res = await postThrottled(path, opts);
    if (res.status !== 429 || attempt >= 5) return res;
    await api('POST', '/_local/clock', { body: { advanceSeconds: Number(res.headers.get('retry-after') ?? '1') + 1 } });
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

/** The path and query of the first link to `path` (with a token) in an email's text. */
export function linkIn(mail: Mail, path: '/registrations/confirm' | '/registrations/cancel' | '/registrations/stop-emails' | '/subscriptions/confirm' | '/unsubscribe'): string {
  const m = new RegExp(`https?://[^\\s"<>]+${path.replace(/\//g, '\\/')}\\?token=[^\\s"<>]+`).exec(mail.body.text ?? '');
  if (!m) throw new Error(`No ${path} link in "${mail.subject}": ${mail.body.text}`);
  const u = new URL(m[0].replace(/&amp;/g, '&'));
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
  const method = (parsed.vcalendar as unknown as { method?: string } | undefined)?.method;
  return { text, event: events[0], method, sequence: Number(events[0].sequence), contentType: a.contentType, filename: a.filename };
}

/** A seminar's registrants, every page (the API answers at most 1,000 at a time, following `next`). */
export async function registrations(seminarId: string) {
  const res = await api('GET', `/admin/seminars/${seminarId}/registrations?limit=1000`);
  expect(res.status).toBe(200);
  const all = res.body as { seatsTaken: number; capacity: number; counts: Record<string, number>; total: number; items: Array<Json>; next?: string };
  for (let cursor = all.next; cursor; ) {
    const page = await api('GET', `/admin/seminars/${seminarId}/registrations?limit=1000&cursor=${encodeURIComponent(cursor)}`);
    expect(page.status).toBe(200);
    all.items.push(...page.body.items);
    cursor = page.body.next;
  }
  return { ...all, next: undefined };
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
