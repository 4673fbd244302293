/**
 * Seminar notifications end to end on the local cloud, driven by its clock (issue 4): schedule a
 * seminar, register people through the public routes, move the clock to each moment and read what
 * reached the SES mailbox: reminders (physical: venue, address, doors; digital: time and when the
 * link comes), the streaming link (and in the confirmation of whoever registers after it went out),
 * moves and cancellations with their `.ics` (node-ical), the recording, suppression after a bounce or
 * complaint, List-Unsubscribe headers, and the chaos switches: every event delivered twice, SES failing
 * half its calls, DynamoDB throttling a fifth of its calls: every email still exactly once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, bounce, chaos, complain, deadLetters, header, idle, localNow, mailbox, resetClock, setClock, uniqueEmail, type Mail } from '../support/local.js';
import { createSeminar, inviteOf, updateSeminar } from '../support/seminars.js';
import { formatOslo } from '../../shared/domain/time.js';
import { EmailBounced } from '../../events/index.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const STREAM = 'https://stream.example.no/live/';

interface Made {
  id: string;
  start: string;
  end: string;
  title: string;
  streamingUrl: string;
}

/** A scheduled breakfast seminar `days` after the local clock's now (07:30 UTC), open, no double opt-in. */
async function scheduledSeminar(o: { days?: number; title?: string; extra?: Record<string, unknown> } = {}): Promise<Made> {
  const day = new Date((await localNow()) + (o.days ?? 10) * DAY);
  day.setUTCHours(7, 30, 0, 0);
  const start = day.toISOString();
  const end = new Date(day.getTime() + 1.5 * HOUR).toISOString();
  const title = o.title ?? `Frokostseminar ${Math.random().toString(36).slice(2, 8)}`;
  const streamingUrl = `${STREAM}${Math.random().toString(36).slice(2)}`;
  const id = await createSeminar({
    title,
    kind: 'breakfast-seminar',
    description: 'Seks råd om samordning.',
    start,
    end,
    doorsOpen: '08:00',
    livestream: true,
    streamingUrl,
    doubleOptIn: false,
    reminderOffsetsMinutes: [1440],
    ...o.extra,
  });
  return { id, start, end, title, streamingUrl };
}

interface Person {
  email: string;
  name: string;
  mode: 'physical' | 'digital';
  language: 'nb' | 'en';
}

async function register(seminarId: string, p: Omit<Person, 'email'> & { email?: string }): Promise<Person> {
  const person = { email: p.email ?? uniqueEmail(p.mode), ...p } as Person;
  const res = await api('POST', `/seminars/${seminarId}/registrations`, {
    body: { email: person.email, name: person.name, organisation: 'DFØ', mode: person.mode, language: person.language },
  });
  expect(res.status, res.text).toBe(202);
  return person;
}

const people = (): Array<Omit<Person, 'email'>> => [
  { name: 'Ola Nordmann', mode: 'physical', language: 'nb' },
  { name: 'Kari Nordmann', mode: 'digital', language: 'nb' },
  { name: 'Jane Smith', mode: 'physical', language: 'en' },
  { name: 'John Smith', mode: 'digital', language: 'en' },
];

async function registerAll(seminarId: string, list = people()): Promise<Person[]> {
  const out: Person[] = [];
  for (const p of list) out.push(await register(seminarId, p));
  await idle();
  return out;
}

/** Emails to `to` whose subject contains the title and starts with one of the prefixes. */
async function mailsTo(to: string, title: string, ...prefixes: string[]): Promise<Mail[]> {
  return (await mailbox(to)).filter((m) => m.subject.includes(title) && (prefixes.length === 0 || prefixes.some((p) => m.subject.startsWith(p))));
}

const text = (m: Mail) => `${m.body.text ?? ''}\n${m.body.html ?? ''}`;

async function deliveries(subject: string) {
  const res = await api('GET', `/admin/deliveries?subject=${subject}`);
  expect(res.status).toBe(200);
  return res.body as { summary: Record<string, Record<string, number>>; items: Array<{ kind: string; recipient: string; status: string; attempts: number }> };
}

async function schedulesOf(seminarId: string) {
  const items = (await api('GET', '/_local/schedules')).body.items as Array<{ Name: string; ScheduleExpression: string; Target: { Input: string } }>;
  return items.filter((s) => s.Name.includes(seminarId));
}

/** Every one of `who` got exactly one email about the seminar whose subject starts so (in their language); returns them by address. */
async function exactlyOnce(who: Person[], title: string, nbPrefix: string, enPrefix = nbPrefix): Promise<Map<string, Mail>> {
  const out = new Map<string, Mail>();
  for (const p of who) {
    const prefix = p.language === 'nb' ? nbPrefix : enPrefix;
    const got = await mailsTo(p.email, title, prefix);
    expect(got.length, `${prefix} to ${p.email}`).toBe(1);
    out.set(p.email, got[0]);
  }
  return out;
}

describe('seminar notifications', () => {
  let deadBefore = 0;
  beforeAll(async () => {
    deadBefore = (await deadLetters()).length;
  });
  afterEach(async () => {
    await chaos({ duplicateDeliveries: false, sesFailureRate: 0, dynamoThrottleRate: 0, deliveryDelayMs: 0 });
  });
  afterAll(async () => {
    await resetClock();
  });

  it('sends the reminder and the streaming link at their moments, once each, in nb and en; a late registrant gets the link in the confirmation', async () => {
    const s = await scheduledSeminar({ extra: { streamingLinkOffsetMinutes: 90 } });
    const schedules = await schedulesOf(s.id);
    expect(schedules.map((x) => x.Name).sort()).toEqual([`sem-${s.id}-reminder-1440`, `sem-${s.id}-stream`]);

    const [olaNb, kariNb, janeEn, johnEn] = await registerAll(s.id);
    for (const p of [olaNb, kariNb, janeEn, johnEn]) {
      const confirmed = await exactlyOnce([p], s.title, 'Påmeldingen er bekreftet', 'Registration confirmed');
      expect(text(confirmed.get(p.email)!)).not.toContain(s.streamingUrl);
    }

    // The day before: the reminder.
    const fired = await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString());
    expect(fired.fired).toBeGreaterThanOrEqual(1);
    const reminders = await exactlyOnce([olaNb, kariNb, janeEn, johnEn], s.title, 'Påminnelse: ', 'Reminder: ');
    const linkAt = new Date(Date.parse(s.start) - 90 * 60_000);
    const ola = reminders.get(olaNb.email)!;
    expect(ola.subject).toMatch(/^Påminnelse: /);
    expect(text(ola)).toContain('Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1');
    expect(text(ola)).toContain('Frokost: fra kl. 08.00');
    expect(text(ola)).toContain(formatOslo(s.start, 'nb', 'long'));
    const jane = reminders.get(janeEn.email)!;
    expect(jane.subject).toMatch(/^Reminder: /);
    expect(text(jane)).toContain('Einar Gerhardsens plass 1');
    expect(text(jane)).toContain('Breakfast: from 08:00');
    const kari = reminders.get(kariNb.email)!;
    expect(text(kari)).toContain('Deltakelse: Digitalt (strømming)');
    expect(text(kari)).toContain(`Du får den på e-post ${formatOslo(linkAt, 'nb', 'long')}`);
    expect(text(kari)).not.toContain('Einar Gerhardsens plass 1');
    const john = reminders.get(johnEn.email)!;
    expect(text(john)).toContain(`You will get it on ${formatOslo(linkAt, 'en', 'long')} (Norwegian time)`);
    for (const m of reminders.values()) {
      expect(text(m)).not.toContain(s.streamingUrl);
      expect(header(m, 'List-Unsubscribe')).toMatch(/^<http:\/\/.+\/registrations\/cancel\?token=.+>$/);
      expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }

    // 90 minutes before (configured): the streaming link, to physical and digital attendees alike.
    await setClock(new Date(linkAt.getTime() + 60_000).toISOString());
    const links = await exactlyOnce([olaNb, kariNb, janeEn, johnEn], s.title, 'Lenke til strømming: ', 'Livestream link: ');
    for (const [email, m] of links) {
      const p = [olaNb, kariNb, janeEn, johnEn].find((x) => x.email === email)!;
      expect(m.subject).toMatch(p.language === 'nb' ? /^Lenke til strømming: / : /^Livestream link: /);
      expect(text(m)).toContain(s.streamingUrl);
      expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    // The reminder did not go again, nor anything else.
    for (const p of [olaNb, kariNb, janeEn, johnEn]) expect((await mailsTo(p.email, s.title)).length).toBe(3);

    // Registering after the link went out: the link comes with the confirmation, and only there.
    const late = await register(s.id, { name: 'Sen Deltaker', mode: 'digital', language: 'en' });
    await idle();
    const lateMails = await mailsTo(late.email, s.title);
    expect(lateMails.map((m) => m.subject)).toEqual([`Registration confirmed: ${s.title}`]);
    expect(text(lateMails[0])).toContain(s.streamingUrl);

    // The URL is never shown by a public route.
    for (const path of ['/seminars', `/seminars/${s.id}`, `/seminars/${s.id}/register`, `/seminars/${s.id}/register?lang=en`]) {
      const res = await api('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain(s.streamingUrl);
    }

    const log = await deliveries(s.id);
    const kinds = Object.keys(log.summary);
    expect(kinds.filter((k) => k.startsWith('reminder-1440-'))).toHaveLength(1);
    expect(kinds.filter((k) => k.startsWith('streaming-link-'))).toHaveLength(1);
    for (const k of kinds.filter((x) => x.startsWith('reminder') || x.startsWith('streaming'))) expect(log.summary[k]).toEqual({ sent: 4 });
  });

  it('moves a seminar: schedules move, registrants get the new time with an .ics of the same UID and a higher SEQUENCE, the old moment does nothing', async () => {
    const s = await scheduledSeminar();
    const [ola, , jane] = await registerAll(s.id);
    const confirmation = await exactlyOnce([ola], s.title, 'Påmeldingen er bekreftet');
    const first = inviteOf(confirmation.get(ola.email)!);
    expect(first.method).toBe('REQUEST');
    expect(first.event.start.getTime()).toBe(Date.parse(s.start));

    const newStart = new Date(Date.parse(s.start) + 3 * DAY).toISOString();
    const newEnd = new Date(Date.parse(s.end) + 3 * DAY).toISOString();
    const moved = await updateSeminar(s.id, { start: newStart, end: newEnd });
    expect(moved.status, moved.text).toBe(200);
    await idle();

    // Every schedule moved to the new start.
    const schedules = await schedulesOf(s.id);
    const byName = new Map(schedules.map((x) => [x.Name, x]));
    expect(byName.get(`sem-${s.id}-reminder-1440`)?.ScheduleExpression).toBe(`at(${new Date(Date.parse(newStart) - DAY).toISOString().slice(0, 19)})`);
    expect(byName.get(`sem-${s.id}-stream`)?.ScheduleExpression).toBe(`at(${new Date(Date.parse(newStart) - 2 * HOUR).toISOString().slice(0, 19)})`);
    expect(JSON.parse(byName.get(`sem-${s.id}-stream`)!.Target.Input).start).toBe(newStart);

    const notices = await exactlyOnce([ola, jane], s.title, 'Nytt tidspunkt', 'New time');
    const olaNotice = notices.get(ola.email)!;
    expect(olaNotice.subject).toBe(`Nytt tidspunkt: ${s.title}`);
    expect(text(olaNotice)).toContain(formatOslo(newStart, 'nb', 'long').replace(/^\S+ /, '')); // the date, without the weekday
    expect(header(olaNotice, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(notices.get(jane.email)!.subject).toBe(`New time: ${s.title}`);
    const updated = inviteOf(olaNotice);
    expect(updated.method).toBe('REQUEST');
    expect(updated.event.uid).toBe(first.event.uid);
    expect(updated.sequence).toBeGreaterThan(first.sequence);
    expect(updated.event.start.getTime()).toBe(Date.parse(newStart));
    expect(updated.event.end!.getTime()).toBe(Date.parse(newEnd));

    // A reminder made for the old start (a late or duplicate schedule) does nothing.
    const stale = await api('POST', '/admin/events', { body: { detailType: 'SeminarReminderDue', detail: { version: 1, seminarId: s.id, start: s.start, offsetMinutes: 1440 } } });
    expect(stale.status).toBe(202);
    const staleLink = await api('POST', '/admin/events', { body: { detailType: 'StreamingLinkDue', detail: { version: 1, seminarId: s.id, start: s.start } } });
    expect(staleLink.status).toBe(202);
    await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString()); // the old reminder moment
    for (const p of [ola, jane]) expect((await mailsTo(p.email, s.title)).length, p.email).toBe(2);

    // The new moment: one reminder each, with the new time.
    await setClock(new Date(Date.parse(newStart) - DAY + 60_000).toISOString());
    const reminders = await exactlyOnce([ola, jane], s.title, 'Påminnelse', 'Reminder');
    expect(reminders.get(ola.email)!.subject).toBe(`Påminnelse: ${s.title}, ${formatOslo(newStart, 'nb', 'datetime')}`);

    // Moved again, after the reminder went out: the reminder for the newest start goes too, once.
    const later = new Date(Date.parse(newStart) + 2 * DAY).toISOString();
    expect((await updateSeminar(s.id, { start: later, end: new Date(Date.parse(later) + 1.5 * HOUR).toISOString() })).status).toBe(200);
    await idle();
    const secondMove = (await mailsTo(ola.email, s.title, 'Nytt tidspunkt')).map(inviteOf);
    expect(secondMove).toHaveLength(2);
    expect(new Set(secondMove.map((x) => x.event.uid))).toEqual(new Set([first.event.uid]));
    expect(Math.max(...secondMove.map((x) => x.sequence))).toBeGreaterThan(updated.sequence);
    await setClock(new Date(Date.parse(later) - DAY + 60_000).toISOString());
    const all = await mailsTo(ola.email, s.title, 'Påminnelse');
    expect(all.map((m) => m.subject).sort()).toEqual(
      [`Påminnelse: ${s.title}, ${formatOslo(newStart, 'nb', 'datetime')}`, `Påminnelse: ${s.title}, ${formatOslo(later, 'nb', 'datetime')}`].sort(),
    );
  });

  it('changed reminder offsets: a new offset gets its schedule and its reminder, a removed one sends nothing', async () => {
    const s = await scheduledSeminar({ extra: { reminderOffsetsMinutes: [1440] } });
    const [ola] = await registerAll(s.id, people().slice(0, 1));
    expect((await updateSeminar(s.id, { reminderOffsetsMinutes: [180] })).status).toBe(200);
    await idle();
    const names = (await schedulesOf(s.id)).map((x) => x.Name);
    expect(names).toContain(`sem-${s.id}-reminder-180`);
    expect(names).not.toContain(`sem-${s.id}-reminder-1440`);
    // Had the removed offset's schedule still fired (made before, delivered late), it would do nothing.
    expect((await api('POST', '/admin/events', { body: { detailType: 'SeminarReminderDue', detail: { version: 1, seminarId: s.id, start: s.start, offsetMinutes: 1440 } } })).status).toBe(202);
    await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString()); // the removed offset's moment
    expect(await mailsTo(ola.email, s.title, 'Påminnelse')).toEqual([]);
    await setClock(new Date(Date.parse(s.start) - 3 * HOUR + 60_000).toISOString());
    await exactlyOnce([ola], s.title, 'Påminnelse');
    expect((await deliveries(s.id)).items.filter((e) => e.kind.startsWith('reminder-')).map((e) => e.kind.split('-')[1])).toEqual(['180']);
  });

  it('cancels a seminar: schedules deleted, registrants told with an .ics METHOD:CANCEL, late schedules do nothing', async () => {
    const s = await scheduledSeminar();
    const [ola, kari, jane, john] = await registerAll(s.id);
    const confirmation = inviteOf((await exactlyOnce([kari], s.title, 'Påmeldingen er bekreftet')).get(kari.email)!);
    expect((await schedulesOf(s.id)).length).toBe(2);

    const res = await api('POST', `/admin/seminars/${s.id}/cancel`, { body: { reason: 'Foredragsholder er syk.' } });
    expect(res.status).toBe(202);
    await idle();
    expect(await schedulesOf(s.id)).toEqual([]);

    const notices = await exactlyOnce([ola, kari, jane, john], s.title, 'Avlyst', 'Cancelled');
    expect(notices.get(ola.email)!.subject).toBe(`Avlyst: ${s.title}`);
    expect(text(notices.get(ola.email)!)).toContain('Foredragsholder er syk.');
    expect(notices.get(jane.email)!.subject).toBe(`Cancelled: ${s.title}`);
    const cancel = inviteOf(notices.get(kari.email)!);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.text).toContain('METHOD:CANCEL');
    expect(cancel.event.status).toBe('CANCELLED');
    expect(cancel.event.uid).toBe(confirmation.event.uid);
    expect(cancel.sequence).toBeGreaterThan(confirmation.sequence);

    // Schedules that still fire (made before, delivered late) find a cancelled seminar and do nothing.
    for (const e of [
      { detailType: 'SeminarReminderDue', detail: { version: 1, seminarId: s.id, start: s.start, offsetMinutes: 1440 } },
      { detailType: 'StreamingLinkDue', detail: { version: 1, seminarId: s.id, start: s.start } },
    ]) {
      expect((await api('POST', '/admin/events', { body: e })).status).toBe(202);
    }
    await setClock(new Date(Date.parse(s.start) - HOUR).toISOString());
    for (const p of [ola, kari, jane, john]) expect((await mailsTo(p.email, s.title)).length).toBe(2);
    // Cancelled seminars are not public any more.
    const list = await api('GET', '/seminars');
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(s.id);
  });

  it('publishes the recording: every registrant gets the link once, public routes show it', async () => {
    const s = await scheduledSeminar({ days: 2 });
    const who = await registerAll(s.id);
    await setClock(new Date(Date.parse(s.end) + HOUR).toISOString());
    const url = `https://example.no/opptak/${s.id}`;
    const res = await api('POST', `/admin/seminars/${s.id}/recording`, { body: { url } });
    expect(res.status, res.text).toBe(202);
    await idle();
    const mails = await exactlyOnce(who, s.title, 'Opptak', 'Recording');
    for (const [email, m] of mails) {
      const p = who.find((x) => x.email === email)!;
      expect(m.subject).toBe(p.language === 'nb' ? `Opptak av frokostseminaret: ${s.title}` : `Recording: ${s.title}`);
      expect(text(m)).toContain(url);
      expect(header(m, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    const pub = await api('GET', `/seminars/${s.id}`);
    expect(pub.body.recordingUrl).toBe(url);
    // Published again (a retry by the admin): nobody gets it twice.
    expect((await api('POST', `/admin/seminars/${s.id}/recording`, { body: { url } })).status).toBe(202);
    await idle();
    await exactlyOnce(who, s.title, 'Opptak', 'Recording');
    for (const p of who) expect((await mailsTo(p.email, s.title)).length).toBe(4); // confirmation, reminder, streaming link (the clock passed them), recording
  });

  it('suppresses addresses after a permanent bounce or a complaint, for every later email; a transient bounce suppresses nothing', async () => {
    const s = await scheduledSeminar();
    const [bounced, complained, transient, fine] = await registerAll(s.id);
    // SES's own events (source aws.ses), published by the local SES as SES's configuration set puts them.
    await bounce(bounced.email, { messageId: 'x', recipient: bounced.email.toUpperCase() });
    await complain(complained.email, { messageId: 'y' });
    await bounce(transient.email, { messageId: 'z', type: 'Transient' });
    expect((await api('POST', '/admin/events', { body: { detailType: EmailBounced.detailType, detail: {} } })).status).toBe(400);
    await idle();

    await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString());
    await setClock(new Date(Date.parse(s.start) - 2 * HOUR + 60_000).toISOString());
    for (const p of [bounced, complained]) expect((await mailsTo(p.email, s.title)).map((m) => m.subject)).toHaveLength(1); // the confirmation only
    for (const p of [transient, fine]) expect((await mailsTo(p.email, s.title)).length).toBe(3);
    const log = await deliveries(s.id);
    const entries = log.items.filter((e) => e.recipient === bounced.email || e.recipient === complained.email);
    expect(entries.filter((e) => e.kind !== 'registration-confirmed').map((e) => e.status)).toEqual(['suppressed', 'suppressed', 'suppressed', 'suppressed']);
    expect(log.items.find((e) => e.recipient === bounced.email)).toMatchObject({ suppressed: true });

    // Across seminars: a suppressed address gets nothing from another seminar either.
    const other = await scheduledSeminar({ days: 5 });
    await register(other.id, { email: bounced.email, name: 'Igjen', mode: 'digital', language: 'nb' });
    await idle();
    expect(await mailsTo(bounced.email, other.title)).toEqual([]);
  });

  it('List-Unsubscribe works with one click (RFC 8058): the registration is cancelled and no later notice goes', async () => {
    const s = await scheduledSeminar();
    const [ola, kari] = await registerAll(s.id, people().slice(0, 2));
    await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString());
    const reminder = (await exactlyOnce([ola], s.title, 'Påminnelse')).get(ola.email)!;
    const target = /^<(.+)>$/.exec(header(reminder, 'List-Unsubscribe')!)![1];
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    expect(res.status).toBe(200);
    await idle();
    await setClock(new Date(Date.parse(s.start) - 2 * HOUR + 60_000).toISOString());
    expect(await mailsTo(ola.email, s.title, 'Lenke til strømming')).toEqual([]);
    await exactlyOnce([kari], s.title, 'Lenke til strømming');
  });

  describe('chaos', () => {
    const crowd = (n: number, tag: string): Array<Omit<Person, 'email'> & { email: string }> =>
      Array.from({ length: n }, (_, i) => ({ email: uniqueEmail(`${tag}${i}`), name: `Deltaker ${i}`, mode: i % 2 ? 'digital' : 'physical', language: i % 3 ? 'nb' : 'en' }));

    async function registerCrowd(seminarId: string, list: Array<Omit<Person, 'email'> & { email: string }>) {
      const out: Person[] = [];
      for (const p of list) out.push(await register(seminarId, p));
      await idle();
      return out;
    }

    async function everyoneOnce(who: Person[], s: Made, expectedPerPerson: number) {
      for (const p of who) {
        const got = await mailsTo(p.email, s.title);
        const subjects = got.map((m) => m.subject);
        expect(new Set(subjects).size, `${p.email}: ${subjects.join(' | ')}`).toBe(subjects.length);
        expect(got.length, p.email).toBe(expectedPerPerson);
      }
      const log = await deliveries(s.id);
      for (const e of log.items) expect(e.status, `${e.kind} ${e.recipient}`).toBe('sent');
      return log;
    }

    it('every event delivered twice: still exactly once each', async () => {
      await chaos({ duplicateDeliveries: true });
      const s = await scheduledSeminar();
      const who = await registerCrowd(s.id, crowd(20, 'dup'));
      await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString());
      await setClock(new Date(Date.parse(s.start) - 2 * HOUR + 60_000).toISOString());
      const status = (await api('GET', '/_local/status')).body;
      expect(status.chaos.duplicateDeliveries).toBe(true);
      const log = await everyoneOnce(who, s, 3); // confirmation, reminder, streaming link
      expect(log.items).toHaveLength(60);
      expect((await deadLetters()).length).toBe(deadBefore);
    });

    it('deliveries delayed and reordered, and delivered twice: a move and its reminders still reach everyone once', async () => {
      const s = await scheduledSeminar();
      const who = await registerCrowd(s.id, crowd(10, 'late'));
      await chaos({ duplicateDeliveries: true, deliveryDelayMs: 400 });
      const newStart = new Date(Date.parse(s.start) + DAY).toISOString();
      const moved = await updateSeminar(s.id, { start: newStart, end: new Date(Date.parse(s.end) + DAY).toISOString() });
      expect(moved.status).toBe(200);
      await idle();
      await setClock(new Date(Date.parse(newStart) - 2 * HOUR + 60_000).toISOString());
      const log = await everyoneOnce(who, s, 4); // confirmation, moved, reminder, streaming link (each once)
      expect(log.items.filter((e) => e.kind.startsWith('reminder-')).every((e) => e.kind.endsWith(newStart.replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')))).toBe(true);
      expect((await deadLetters()).length).toBe(deadBefore);
    });

    it('SES failing half its calls: all delivered exactly once, as the ledger shows', async () => {
      const s = await scheduledSeminar();
      const who = await registerCrowd(s.id, crowd(30, 'ses'));
      const before = (await api('GET', '/_local/status')).body.chaosEffects.sesFailures as number;
      await chaos({ sesFailureRate: 0.5 });
      await setClock(new Date(Date.parse(s.start) - 2 * HOUR + 60_000).toISOString());
      await chaos({ sesFailureRate: 0 });
      const failed = ((await api('GET', '/_local/status')).body.chaosEffects.sesFailures as number) - before;
      expect(failed).toBeGreaterThan(15); // about half of the 60+ SendEmail calls
      const log = await everyoneOnce(who, s, 3); // confirmation, reminder (the clock passed it: it fired too), streaming link
      const links = log.items.filter((e) => e.kind.startsWith('streaming-link-'));
      expect(links).toHaveLength(30);
      expect(log.items.filter((e) => e.kind.startsWith('reminder-'))).toHaveLength(30);
      expect((await deadLetters()).length).toBe(deadBefore);
    });

    it('DynamoDB throttling a fifth of its calls: every email exactly once, nothing lost', async () => {
      const s = await scheduledSeminar();
      const who = await registerCrowd(s.id, crowd(24, 'ddb'));
      const before = (await api('GET', '/_local/status')).body.chaosEffects.dynamoThrottled as number;
      await chaos({ dynamoThrottleRate: 0.2 });
      await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString());
      await setClock(new Date(Date.parse(s.start) - 2 * HOUR + 60_000).toISOString());
      const after = (await api('GET', '/_local/status')).body.chaosEffects.dynamoThrottled as number;
      await chaos({ dynamoThrottleRate: 0 });
      expect(after - before).toBeGreaterThan(0);
      await everyoneOnce(who, s, 3);
      expect((await deadLetters()).length).toBe(deadBefore);
    });
  });
});
