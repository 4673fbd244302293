/**
 * Contention (issue 7): 500 people register and confirm at the same time for 40 seats, 50 of them
 * submitting twice at once (with their address in another case) and confirming twice at once. Exactly
 * 40 physical seats, a waitlist in the order its tickets were taken, each waitlisted person told their
 * real place (also whoever clicked twice), and no person twice.
 */
import { describe, expect, it } from 'vitest';
import { api, daysFromNow, idle, mailbox, uniqueEmail } from '../support/local.js';
import { createSeminar, registrations } from '../support/seminars.js';

const PEOPLE = 500;
const SEATS = 40;
const TWICE = 50;

const confirmToken = (text: string) => {
  const link = /\/registrations\/confirm\?token=([^\s"<>&]+)/.exec(text)?.[1];
  return link ? decodeURIComponent(link) : undefined;
};

describe('contention', () => {
  it(`${PEOPLE} concurrent registrations and confirmations for ${SEATS} seats`, async () => {
    const id = await createSeminar({
      title: 'Fullt hus: kontensjonstest',
      start: daysFromNow(20, 11),
      end: daysFromNow(20, 14),
      venue: { name: 'Storsalen', address: 'Karl Johans gate 47, 0162 Oslo' },
      capacity: SEATS,
      livestream: true,
    });

    const people = Array.from({ length: PEOPLE }, (_, i) => ({ name: `Person ${i + 1} Ødegård`, email: uniqueEmail(`k${i}`), organisation: 'Etat', mode: 'physical', joinWaitlist: true }));
    // Everyone at once; the first TWICE people send a second submission at the same moment.
    const submissions = [
      ...people.map((p) => api('POST', `/seminars/${id}/registrations`, { body: p })),
      ...people.slice(0, TWICE).map((p) => api('POST', `/seminars/${id}/registrations`, { body: { ...p, email: `  ${p.email.toUpperCase()} ` } })),
    ];
    for (const r of await Promise.all(submissions)) expect(r.status, r.text).toBe(202);
    await idle();

    const mails = await mailbox();
    const tokens = new Map<string, string[]>();
    for (const m of mails) {
      const to = m.destination.to[0]?.toLowerCase();
      const token = confirmToken(m.body.text ?? '');
      if (!to || !token || !people.some((p) => p.email === to)) continue;
      tokens.set(to, [...(tokens.get(to) ?? []), token]);
    }
    expect(tokens.size).toBe(PEOPLE);

    // Everyone confirms at once; those who submitted twice confirm with both links at once.
    const clicks = [...tokens.entries()].flatMap(([email, ts]) => (ts.length > 1 ? ts : [ts[0]]).map((token) => ({ email, token })));
    const results = await Promise.all(clicks.map(({ token }) => api('POST', '/registrations/confirm', { form: { token }, headers: { accept: 'application/json' } })));
    for (const r of results) expect(r.status, r.text).toBe(200);
    await idle();

    const regs = { body: await registrations(id) };
    const items = regs.body.items as Array<{ email: string; attendance?: string; status: string; waitlistPosition?: number; confirmedAt?: string; waitlistTicket?: number }>;
    const mine = items.filter((r) => people.some((p) => p.email === r.email.toLowerCase()));
    // No person twice.
    expect(mine).toHaveLength(PEOPLE);
    expect(new Set(mine.map((r) => r.email.toLowerCase())).size).toBe(PEOPLE);
    // Exactly the seats, never more.
    expect(regs.body.seatsTaken).toBe(SEATS);
    expect(mine.filter((r) => r.attendance === 'physical')).toHaveLength(SEATS);
    expect(mine.filter((r) => r.status === 'pending')).toHaveLength(0);
    // The rest wait, in the order they confirmed.
    const waitlist = mine.filter((r) => r.attendance === 'waitlisted').sort((a, b) => a.waitlistPosition! - b.waitlistPosition!);
    expect(waitlist).toHaveLength(PEOPLE - SEATS);
    expect(waitlist.map((r) => r.waitlistPosition)).toEqual(Array.from({ length: PEOPLE - SEATS }, (_, i) => i + 1));
    for (let i = 1; i < waitlist.length; i++) expect(waitlist[i - 1].waitlistTicket!).toBeLessThan(waitlist[i].waitlistTicket!);
    // Nobody left the list, so the place each click was told is the place they have: none lower, none
    // shared, and a second click takes no ticket of its own (no gaps for the others).
    const placeOf = new Map(waitlist.map((r) => [r.email.toLowerCase(), r.waitlistPosition]));
    results.forEach((r, i) => {
      if (r.body.outcome === 'waitlisted') expect(r.body.waitlistPosition, clicks[i].email).toBe(placeOf.get(clicks[i].email));
    });
    expect(Math.max(...waitlist.map((r) => r.waitlistTicket!))).toBe(PEOPLE - SEATS);

    // One confirmation email each, whatever they clicked twice.
    const after = await mailbox();
    for (const p of people.slice(0, TWICE)) {
      const confirmations = after.filter((m) => m.destination.to.includes(p.email) && /^(Påmeldingen er bekreftet|Du står på venteliste):/.test(m.subject));
      expect(confirmations.length, `${p.email}: ${after.filter((m) => m.destination.to.includes(p.email)).map((m) => m.subject).join(' | ')}`).toBe(1);
    }
  // About 1,600 invocations (submissions, confirmations and their emails), each function in at most as many
  // isolated instances as the machine has cores: minutes, not the default minute, on a loaded 2-core machine.
  }, 300_000);
});
