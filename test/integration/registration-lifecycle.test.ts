/**
 * The registration lifecycle at the edges the source documents show, on the local cloud: a full seminar
 * without livestream takes the waitlist and promotes from it; "attend online if no seat is left" unticked
 * means the waitlist only (no online attendance, no streaming link, no reminder for online attendees);
 * once the seminar has started the cancel link no longer cancels, and emails from then on carry a link
 * that stops further emails about the seminar without touching the registration.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api, daysFromNow, idle, mailbox, resetClock, setClock, uniqueEmail } from '../support/local.js';
import { createSeminar, inviteOf, linkIn, post, register, registrations, subjectStarts, tokenOf, waitForMail } from '../support/seminars.js';

afterEach(async () => {
  await resetClock();
});

describe('a full seminar without livestream (the breakfast seminar\'s "fulltegnet")', () => {
  it('puts a person who asks for the waitlist on it, says the place, and gives them the seat that frees', async () => {
    const id = await createSeminar({ title: 'Frokostseminar i salen', kind: 'breakfast-seminar', capacity: 1, livestream: false, streamingUrl: undefined, doubleOptIn: false });
    const [a, b] = [uniqueEmail('nolive-a'), uniqueEmail('nolive-b')];
    expect((await register(id, { name: 'Anne Sete', email: a, mode: 'physical' })).status).toBe(202);
    await idle();

    const page = await api('GET', `/seminars/${id}/register`);
    expect(page.text).toContain('Arrangementet er fulltegnet. Du kan sette deg på venteliste.');
    expect(page.text).not.toContain('Påmeldingen er stengt');

    // Before: 409 "Påmeldingen er stengt". Now: the waitlist, as the page offers.
    const res = await register(id, { name: 'Bjørn Venter', email: b, mode: 'physical', joinWaitlist: true });
    expect(res.status, res.text).toBe(202);
    const waiting = await waitForMail(b, subjectStarts('Du står på venteliste'));
    expect(waiting.body.text).toContain('Du står som nummer 1 på ventelisten');
    expect(waiting.body.text).not.toMatch(/digital|strømming/i);
    expect((await registrations(id)).items.find((r) => r.email === b)).toMatchObject({ status: 'confirmed', attendance: 'waitlisted', digitalWhileWaiting: false, waitlistPlace: 1 });

    // Without the waitlist ticked, the refusal offers only what the seminar has.
    const refused = await register(id, { name: 'Cato Uten', email: uniqueEmail('nolive-c'), mode: 'physical' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ reason: 'physical-full', digitalRegistrationOpen: false });
    expect(refused.body.detail).toBe('Arrangementet er fulltegnet. Kryss av for å sette deg på venteliste.');

    const aMail = await waitForMail(a, subjectStarts('Påmeldingen er bekreftet'));
    expect((await post('/registrations/cancel', { form: { token: tokenOf(linkIn(aMail, '/registrations/cancel')) } })).status).toBe(200);
    const promoted = await waitForMail(b, subjectStarts('Du har fått plass'));
    expect(inviteOf(promoted).event.location).toContain('Regjeringskvartalet');
    expect((await registrations(id)).items.find((r) => r.email === b)).toMatchObject({ attendance: 'physical' });
  });
});

describe('the waitlist only, on a full livestreamed seminar', () => {
  it('is not online attendance: the confirmation says so, and neither the reminder nor the streaming link goes to them', async () => {
    const start = daysFromNow(3, 11);
    const id = await createSeminar({ title: 'Bare venteliste', capacity: 1, doubleOptIn: false, start, end: daysFromNow(3, 13) });
    const [seated, online, waiting] = [uniqueEmail('wl-seat'), uniqueEmail('wl-online'), uniqueEmail('wl-only')];
    expect((await register(id, { name: 'Siri Sete', email: seated, mode: 'physical' })).status).toBe(202);
    await idle();
    expect((await register(id, { name: 'Ola Nett', email: online, mode: 'physical', joinWaitlist: true, digitalIfFull: true })).status).toBe(202);
    await idle();
    expect((await register(id, { name: 'Vera Venter', email: waiting, mode: 'physical', joinWaitlist: true, digitalIfFull: false })).status).toBe(202);

    const onlineMail = await waitForMail(online, subjectStarts('Du står på venteliste'));
    expect(onlineMail.body.text).toContain('Du står som nummer 1 på ventelisten');
    expect(onlineMail.body.text).toContain('I mellomtiden er du påmeldt for å delta digitalt');
    const waitingMail = await waitForMail(waiting, subjectStarts('Du står på venteliste'));
    expect(waitingMail.body.text).toContain('Du står som nummer 2 på ventelisten');
    expect(waitingMail.body.text).not.toContain('I mellomtiden');
    expect(waitingMail.body.text).not.toMatch(/strømming/i);
    expect(waitingMail.attachments ?? []).toHaveLength(0);

    // Past the reminder (a day before) and the streaming link (two hours before).
    await setClock(new Date(Date.parse(start) - 30 * 60_000).toISOString());
    await idle();
    expect((await mailbox(seated)).some((m) => m.body.text?.includes('https://example.no/stream-secret-xyz'))).toBe(true);
    expect((await mailbox(online)).some((m) => m.body.text?.includes('https://example.no/stream-secret-xyz'))).toBe(true);
    const later = (await mailbox(waiting)).map((m) => m.subject);
    expect(later).toEqual([waitingMail.subject]);
  });
});

describe('once the seminar has started', () => {
  it('the cancel link offers to stop the emails; the recording email carries that link; either stops further emails and the registration stays', async () => {
    const start = daysFromNow(2, 11);
    const id = await createSeminar({ title: 'Etter slutt', capacity: 10, doubleOptIn: false, start, end: daysFromNow(2, 13), reminderOffsetsMinutes: [] });
    const [a, b] = [uniqueEmail('after-a'), uniqueEmail('after-b')];
    for (const email of [a, b]) expect((await register(id, { name: 'Etter Slutt', email, mode: 'physical' })).status).toBe(202);
    const aMail = await waitForMail(a, subjectStarts('Påmeldingen er bekreftet'));
    await waitForMail(b, subjectStarts('Påmeldingen er bekreftet'));

    await setClock(daysFromNow(2, 14));
    // A: the cancel link's page says it can no longer cancel and links the stop; pressing it stops.
    const cancelPage = await api('GET', linkIn(aMail, '/registrations/cancel'));
    expect(cancelPage.text).toContain('kan ikke lenger meldes av');
    const href = /href="([^"]*stop-emails[^"]*)"/.exec(cancelPage.text)?.[1];
    const stop = href?.replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/&amp;/g, '&');
    expect(stop).toBeTruthy();
    const stopPage = await api('GET', stop!);
    expect(stopPage.status).toBe(200);
    expect(stopPage.text).toContain('<form action="/registrations/stop-emails" method="post"');
    expect((await post('/registrations/stop-emails', { form: { token: tokenOf(stop!) } })).text).toContain('Du får ingen flere e-poster om');

    expect((await api('POST', `/admin/seminars/${id}/recording`, { body: { url: 'https://example.no/opptak/etter-slutt' } })).status).toBe(202);
    const recording = await waitForMail(b, subjectStarts('Opptak'));
    expect(recording.body.text).toContain('https://example.no/opptak/etter-slutt');
    expect(recording.body.text).not.toContain('/registrations/cancel?token=');
    const bStop = linkIn(recording, '/registrations/stop-emails');
    const header = recording.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
    expect(header).toContain('/registrations/stop-emails?token=');
    expect((await mailbox(a)).some((m) => m.subject.startsWith('Opptak'))).toBe(false);

    // B: the one-click POST of List-Unsubscribe (RFC 8058) stops without a page.
    const oneClick = await api('POST', `/registrations/stop-emails?token=${encodeURIComponent(tokenOf(bStop))}`, { form: { 'List-Unsubscribe': 'One-Click' }, headers: { accept: 'application/json' } });
    expect(oneClick.status).toBe(200);
    expect(oneClick.body).toMatchObject({ status: 'stopped', alreadyStopped: false });

    const regs = await registrations(id);
    for (const email of [a, b]) expect(regs.items.find((r) => r.email === email)).toMatchObject({ status: 'confirmed', attendance: 'physical' });
    expect(regs.items.every((r) => r.emailsStoppedAt)).toBe(true);
  });
});
