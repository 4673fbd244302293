/**
 * Handlers act on the stored truth, never on a URL, time or text carried by an event (issue 14, items 3
 * and 4): a corrected recording goes out again, once per person per URL; an event put by hand with a URL
 * the seminar does not have, or before its moment, sends nothing; a cancellation quotes the reason stored
 * with the seminar, not one an event carries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { api, idle, inProcessEnvironment, localNow, mails, resetClock, setClock, uniqueEmail } from '../support/local.js';
import { createSeminar, submitAndConfirm, subjectStarts, updateSeminar, waitForMail } from '../support/seminars.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

afterAll(() => resetClock());

async function seminarWithRegistrant(days: number) {
  const start = new Date((await localNow()) + days * DAY);
  start.setUTCMinutes(0, 0, 0);
  const title = `Frokostseminar ${Math.random().toString(36).slice(2, 8)}`;
  const id = await createSeminar({
    title,
    kind: 'breakfast-seminar',
    start: start.toISOString(),
    end: new Date(start.getTime() + 1.5 * HOUR).toISOString(),
    livestream: true,
    streamingUrl: `https://stream.example.no/live/${Math.random().toString(36).slice(2)}`,
    reminderOffsetsMinutes: [1440],
  });
  const email = uniqueEmail('trusted');
  await submitAndConfirm(id, { name: 'Kari Nordmann', email, mode: 'physical', language: 'nb' });
  await waitForMail(email, subjectStarts('Påmeldingen er bekreftet'));
  return { id, title, start: start.toISOString(), end: new Date(start.getTime() + 1.5 * HOUR).toISOString(), email };
}

describe('recordings', () => {
  it('sends a corrected recording URL again, once per person per URL, saying it corrects the earlier one', async () => {
    await resetClock();
    const s = await seminarWithRegistrant(2);
    await setClock(new Date(Date.parse(s.end) + HOUR).toISOString());
    const wrong = `https://example.no/opptak/feil-${s.id}`;
    const right = `https://example.no/opptak/riktig-${s.id}`;
    expect((await api('POST', `/admin/seminars/${s.id}/recording`, { body: { url: wrong } })).status).toBe(202);
    await waitForMail(s.email, (m) => (m.body.text ?? '').includes(wrong));
    expect((await api('POST', `/admin/seminars/${s.id}/recording`, { body: { url: right } })).status).toBe(202);
    const corrected = await waitForMail(s.email, (m) => (m.body.text ?? '').includes(right));
    expect(corrected.subject).toBe(`Rettelse: Opptak av frokostseminaret: ${s.title}`);
    expect(corrected.body.text ?? '').toContain('Rettelse: lenken til opptaket vi sendte tidligere, var feil.');
    // The same corrected URL again (a retry by the admin): nothing twice.
    expect((await api('POST', `/admin/seminars/${s.id}/recording`, { body: { url: right } })).status).toBe(202);
    await idle();
    const recordings = (await mails(s.email, /Opptak/)).map((m) => (m.body.text ?? '').includes(right) ? 'right' : 'wrong');
    expect(recordings).toEqual(['wrong', 'right']);
  }, 60_000);

  it('mails nothing for a SeminarRecordingPublished put with a URL the seminar does not have', async () => {
    await resetClock();
    const s = await seminarWithRegistrant(2);
    await setClock(new Date(Date.parse(s.end) + HOUR).toISOString());
    const forged = `https://evil.example.com/${s.id}`;
    const put = await api('POST', '/admin/events', { body: { detailType: 'SeminarRecordingPublished', detail: { version: 1, seminarId: s.id, url: forged } } });
    expect(put.status, put.text).toBe(202);
    await idle();
    expect(await mails(s.email, /Opptak/)).toEqual([]);
    // The real one still goes out.
    const url = `https://example.no/opptak/${s.id}`;
    expect((await api('POST', `/admin/seminars/${s.id}/recording`, { body: { url } })).status).toBe(202);
    await waitForMail(s.email, (m) => (m.body.text ?? '').includes(url));
    expect((await mails(s.email)).some((m) => (m.body.text ?? '').includes(forged))).toBe(false);
  }, 60_000);
});

describe('due events and moves, checked against the seminar as stored', () => {
  it('ignores StreamingLinkDue and SeminarReminderDue put 5 days early; the real ones still send', async () => {
    await resetClock();
    const s = await seminarWithRegistrant(6);
    for (const e of [
      { detailType: 'SeminarReminderDue', detail: { version: 1, seminarId: s.id, start: s.start, offsetMinutes: 1440 } },
      { detailType: 'StreamingLinkDue', detail: { version: 1, seminarId: s.id, start: s.start } },
    ]) {
      const put = await api('POST', '/admin/events', { body: e });
      expect(put.status, put.text).toBe(202);
    }
    await idle();
    expect(await mails(s.email, /^(Påminnelse|Lenke til strømming)/)).toEqual([]);
    await setClock(new Date(Date.parse(s.start) - DAY + 60_000).toISOString());
    await waitForMail(s.email, subjectStarts('Påminnelse'));
    await setClock(new Date(Date.parse(s.start) - 2 * HOUR + 60_000).toISOString());
    await waitForMail(s.email, subjectStarts('Lenke til strømming'));
    expect(await mails(s.email, /^Påminnelse/)).toHaveLength(1);
    expect(await mails(s.email, /^Lenke til strømming/)).toHaveLength(1);
  }, 60_000);

  it('sends no "Nytt tidspunkt" for a SeminarUpdated with a made-up previousStart; a real move is told once', async () => {
    await resetClock();
    const s = await seminarWithRegistrant(6);
    const madeUp = new Date(Date.parse(s.start) - 2 * DAY).toISOString();
    const put = await api('POST', '/admin/events', {
      body: { detailType: 'SeminarUpdated', detail: { version: 1, seminarId: s.id, start: s.start, previousStart: madeUp, changedFields: ['start'] } },
    });
    expect(put.status, put.text).toBe(202);
    await idle();
    expect(await mails(s.email, /^Nytt tidspunkt/)).toEqual([]);
    // A real move is told, once, with the start it really moved from.
    const newStart = new Date(Date.parse(s.start) + DAY).toISOString();
    const moved = await updateSeminar(s.id, { start: newStart, end: new Date(Date.parse(newStart) + 1.5 * HOUR).toISOString() });
    expect(moved.status, moved.text).toBe(200);
    await waitForMail(s.email, subjectStarts('Nytt tidspunkt'));
    // The made-up event again, now for the moved seminar: nothing more.
    await api('POST', '/admin/events', {
      body: { detailType: 'SeminarUpdated', detail: { version: 1, seminarId: s.id, start: newStart, previousStart: madeUp, changedFields: ['start'] } },
    });
    await idle();
    expect(await mails(s.email, /^Nytt tidspunkt/)).toHaveLength(1);
  }, 60_000);
});

describe('cancellations, checked against the seminar as stored', () => {
  it('a SeminarCancelled put by hand cancels nothing and mails nothing; the notice quotes the reason stored, not the event\'s', async () => {
    await resetClock();
    const s = await seminarWithRegistrant(6);
    const forged = 'Vi flytter til https://evil.example.com';
    const put = () => api('POST', '/admin/events', { body: { detailType: 'SeminarCancelled', detail: { version: 1, seminarId: s.id, reason: forged } } });
    // The seminar is still scheduled: nothing is cancelled, nobody is told.
    expect((await put()).status).toBe(202);
    await idle();
    expect(await mails(s.email, /^Avlyst/)).toEqual([]);
    expect((await api('GET', `/admin/seminars/${s.id}`)).body.status).toBe('scheduled');

    // Cancelled as the cancel route writes it, before the route's own event is delivered: the event that
    // comes first (here the one put by hand) sends the notice, with the stored reason.
    Object.assign(process.env, inProcessEnvironment());
    const { getSeminar, replaceSeminar } = await import('../../shared/store/seminars.js');
    const stored = (await getSeminar(s.id, true))!;
    const cancelled = { ...stored, status: 'cancelled' as const, sequence: stored.sequence + 1, cancellationReason: 'Foredragsholder er syk.', updatedAt: new Date().toISOString() };
    expect(await replaceSeminar(cancelled, stored.updatedAt)).toBe(true);
    expect((await put()).status).toBe(202);
    const notice = await waitForMail(s.email, subjectStarts('Avlyst'));
    expect(notice.body.text ?? '').toContain('Foredragsholder er syk.');
    expect(JSON.stringify(notice)).not.toContain('evil.example.com');
  }, 60_000);

  it('the cancel route stores the reason with the seminar, and the admin API shows it', async () => {
    await resetClock();
    const s = await seminarWithRegistrant(6);
    expect((await api('POST', `/admin/seminars/${s.id}/cancel`, { body: { reason: '  Foredragsholder er syk.  ' } })).status).toBe(202);
    expect((await api('GET', `/admin/seminars/${s.id}`)).body).toMatchObject({ status: 'cancelled', cancellationReason: 'Foredragsholder er syk.' });
    const notice = await waitForMail(s.email, subjectStarts('Avlyst'));
    expect(notice.body.text ?? '').toContain('Foredragsholder er syk.');
  }, 60_000);
});
