/**
 * The registration lifecycle (shared/domain/registration-lifecycle.ts), walked through the situations of
 * the source documents: the partner forum seminar (partners and invited, physical closed, digital open,
 * streaming link to all), the breakfast seminar (deadline 14 March 15:00, fully booked, waitlist, web-TV),
 * a seminar without livestream, guidance sessions and a pitch day. Every state and every decision.
 */
import { describe, expect, it } from 'vitest';
import {
  attendsOnline,
  cancelEffects,
  cancelledByRegistrant,
  inviteSent,
  confirmationHasInvite,
  decideCancel,
  decideConfirm,
  decideMode,
  decideSubmit,
  openFor,
  optOutLink,
  physicalSelectable,
  placeAtJoin,
  promotionAllowed,
  receivesNotice,
  registrationOpen,
  registrationState,
  seatsOnOffer,
  seminarPhase,
  standing,
  waitlistLength,
  waitlistOrderKey,
  waitlistPlaces,
  type ConfirmStep,
  type RegistrantNotice,
  type Request,
  type SubmitDecision,
} from '../../shared/domain/registration-lifecycle.js';
import type { Registration, Seminar } from '../../shared/domain/model.js';

type S = Parameters<typeof registrationState>[0] & { waitlistTickets?: number; waitlistLeft?: number };

const base: S = {
  status: 'scheduled',
  start: '2027-03-17T07:30:00.000Z',
  end: '2027-03-17T09:00:00.000Z',
  capacity: 100,
  seatsTaken: 0,
  physicalOpen: true,
  livestream: true,
  digitalOpen: true,
};

/** The seed situations, as the seminar is stored. */
const seeds = {
  /** 000: sixth seminar of the partner forum: physical registration closed, digital open, streamed. */
  partnerForum: { ...base, start: '2024-05-22T10:00:00.000Z', end: '2024-05-22T14:00:00.000Z', capacity: 120, seatsTaken: 87, physicalOpen: false } satisfies S,
  /** 001: breakfast seminar 17 March 08:30–10:00, deadline 14 March 15:00, fully booked, web-TV. */
  breakfast: { ...base, capacity: 80, seatsTaken: 80, physicalDeadline: '2027-03-14T14:00:00.000Z', waitlistTickets: 4, waitlistLeft: 1 } satisfies S,
  /** A seminar without livestream, fully booked ("Arrangementet er fulltegnet. Du kan sette deg på venteliste."). */
  inPersonOnlyFull: { ...base, livestream: false, digitalOpen: false, capacity: 40, seatsTaken: 40 } satisfies S,
  /** 001: guidance session before the co-funding deadline, in person, seats left. */
  guidance: { ...base, start: '2027-11-06T09:00:00.000Z', end: '2027-11-06T11:00:00.000Z', livestream: false, digitalOpen: false, capacity: 30, seatsTaken: 12 } satisfies S,
  /** 004: the pitch day 15 September, the five best, in person and streamed. */
  pitchDay: { ...base, start: '2027-09-15T08:00:00.000Z', end: '2027-09-15T12:00:00.000Z', capacity: 5, seatsTaken: 2 } satisfies S,
};

const BEFORE = new Date('2027-03-10T12:00:00.000Z');
const AFTER_DEADLINE = new Date('2027-03-15T12:00:00.000Z');
const RUNNING = new Date('2027-03-17T08:00:00.000Z');
const ENDED = new Date('2027-03-17T10:00:00.000Z');

const req = (mode: Request['mode'], o: Partial<Request> = {}): Request => ({ mode, digitalIfFull: false, joinWaitlist: false, ...o });

describe('what is open, seminar by seminar', () => {
  it.each([
    ['partner forum (physical closed, digital open)', seeds.partnerForum, new Date('2024-05-20T10:00:00Z'), { phase: 'upcoming', physical: 'closed', digital: true, openFor: ['digital'], seats: undefined }],
    ['breakfast before the deadline: fully booked, web-TV', seeds.breakfast, BEFORE, { phase: 'upcoming', physical: 'full', digital: true, openFor: ['waitlist', 'digital'], seats: 0 }],
    ['breakfast after 14 March 15:00', seeds.breakfast, AFTER_DEADLINE, { phase: 'upcoming', physical: 'deadline-passed', digital: true, openFor: ['digital'], seats: undefined }],
    ['in person only, full', seeds.inPersonOnlyFull, BEFORE, { phase: 'upcoming', physical: 'full', digital: 'not-offered', openFor: ['waitlist'], seats: 0 }],
    ['guidance session with seats', seeds.guidance, BEFORE, { phase: 'upcoming', physical: true, digital: 'not-offered', openFor: ['physical'], seats: 18 }],
    ['pitch day', seeds.pitchDay, BEFORE, { phase: 'upcoming', physical: true, digital: true, openFor: ['physical', 'digital'], seats: 3 }],
    ['a seminar while it runs (seats left, no deadline)', { ...base, seatsTaken: 10 }, RUNNING, { phase: 'running', physical: 'started', digital: true, openFor: ['digital'], seats: undefined }],
    ['breakfast after the end', seeds.breakfast, ENDED, { phase: 'ended', physical: 'ended', digital: 'ended', openFor: [], seats: undefined }],
    ['a draft', { ...base, status: 'draft' as const }, BEFORE, { phase: 'upcoming', physical: 'not-published', digital: 'not-published', openFor: [], seats: undefined }],
    ['physical off by the admin, digital closed', { ...base, physicalOpen: false, digitalOpen: false }, BEFORE, { phase: 'upcoming', physical: 'closed', digital: 'closed', openFor: [], seats: undefined }],
    ['online only (no seats)', { ...base, capacity: 0 }, BEFORE, { phase: 'upcoming', physical: 'not-offered', digital: true, openFor: ['digital'], seats: undefined }],
    ['digital deadline passed', { ...base, digitalDeadline: '2027-03-16T12:00:00.000Z' }, new Date('2027-03-16T13:00:00Z'), { phase: 'upcoming', physical: true, digital: 'deadline-passed', openFor: ['physical'], seats: 100 }],
  ] as const)('%s', (_name, s, now, want) => {
    const state = registrationState(s, now);
    const mode = (m: typeof state.physical) => (m.open ? true : m.reason);
    expect({ phase: state.phase, physical: mode(state.physical), digital: mode(state.digital), openFor: openFor(state), seats: seatsOnOffer(state) }).toEqual(want);
    expect(registrationOpen(state)).toBe(want.openFor.length > 0);
    expect(physicalSelectable(state)).toBe(want.openFor.includes('physical' as never) || want.openFor.includes('waitlist' as never));
  });

  it('phases: before the start, between start and end, after the end', () => {
    expect(seminarPhase(base, BEFORE)).toBe('upcoming');
    expect(seminarPhase(base, new Date(base.start))).toBe('running');
    expect(seminarPhase(base, new Date(base.end))).toBe('ended');
  });
});

describe('submit', () => {
  const open = { eligibility: { kind: 'open' } } as const;
  const submit = (s: S, r: Request, now: Date, email = 'kari@example.no') => decideSubmit({ ...open, ...s }, { ...r, email }, now);
  const ok = (requestedMode: 'physical' | 'digital'): SubmitDecision => ({ ok: true, requestedMode });
  const no = (reason: string, digitalOpen: boolean) => ({ ok: false, reason, digitalOpen });
  it.each([
    ['breakfast full: a seat with the waitlist', seeds.breakfast, req('physical', { joinWaitlist: true }), ok('physical')],
    ['breakfast full: a seat, else online', seeds.breakfast, req('physical', { digitalIfFull: true }), ok('physical')],
    ['breakfast full: a seat and nothing else', seeds.breakfast, req('physical'), no('physical-full', true)],
    ['breakfast full: online', seeds.breakfast, req('digital'), ok('digital')],
    // The defect: a full seminar without livestream refused the waitlist as "closed".
    ['in person only, full: the waitlist', seeds.inPersonOnlyFull, req('physical', { joinWaitlist: true }), ok('physical')],
    ['in person only, full: no waitlist asked', seeds.inPersonOnlyFull, req('physical', { digitalIfFull: true }), no('physical-full', false)],
    ['in person only: online is not offered', seeds.inPersonOnlyFull, req('digital'), no('digital-closed', false)],
    ['partner forum: physical closed, online if need be', seeds.partnerForum, req('physical', { digitalIfFull: true }), ok('digital')],
    ['partner forum: physical closed, only a seat', seeds.partnerForum, req('physical', { joinWaitlist: true }), no('physical-closed', true)],
    ['partner forum: online', seeds.partnerForum, req('digital'), ok('digital')],
    ['guidance session: a seat', seeds.guidance, req('physical'), ok('physical')],
    ['pitch day: a seat', seeds.pitchDay, req('physical'), ok('physical')],
  ] as const)('%s', (_n, s, r, want) => {
    const now = s === seeds.partnerForum ? new Date('2024-05-20T10:00:00Z') : BEFORE;
    expect(submit(s, r, now)).toEqual(want);
    expect(decideMode(s, r, now)).toEqual(want);
  });

  it('after the breakfast deadline only online remains; after the end nothing', () => {
    expect(submit(seeds.breakfast, req('physical', { joinWaitlist: true }), AFTER_DEADLINE)).toEqual({ ok: false, reason: 'physical-closed', digitalOpen: true });
    expect(submit(seeds.breakfast, req('physical', { joinWaitlist: true, digitalIfFull: true }), AFTER_DEADLINE)).toEqual({ ok: true, requestedMode: 'digital' });
    expect(submit(seeds.breakfast, req('digital'), ENDED)).toEqual({ ok: false, reason: 'closed', digitalOpen: false });
    expect(submit(seeds.breakfast, req('physical', { joinWaitlist: true }), ENDED)).toEqual({ ok: false, reason: 'closed', digitalOpen: false });
  });

  describe('who may register: partner domains, and a private invitation list', () => {
    const rule = { nb: 'Forbeholdt partnerne og inviterte.', en: 'Partners and invited guests only.' };
    const restricted = (invited: string[]) => ({ ...seeds.pitchDay, eligibility: { kind: 'restricted' as const, domains: ['dfo.no'], invited, description: rule } });
    const [partnersOnly, withList] = [restricted([]), restricted(['gjest@example.com'])];
    const at = (s: ReturnType<typeof restricted>, email: string, r = req('physical'), now = BEFORE) => decideSubmit(s, { ...r, email }, now);

    it('takes a partner address (subdomains too) and an invited one', () => {
      expect(at(partnersOnly, 'ola@dfo.no')).toEqual(ok('physical'));
      expect(at(withList, 'ola@avd.dfo.no')).toEqual(ok('physical'));
      expect(at(withList, ' Gjest@Example.COM ')).toEqual(ok('physical'));
    });

    it('refuses on the page by the partner domains alone: they are stated on the page, nothing is secret', () => {
      expect(at(partnersOnly, 'gjest@example.com')).toEqual({ ok: false, reason: 'not-eligible', refuse: 'on-page', rule });
      // Before the mode is looked at, as before: closed or not, the answer is the rule.
      expect(at(partnersOnly, 'gjest@example.com', req('physical'), ENDED)).toEqual({ ok: false, reason: 'not-eligible', refuse: 'on-page', rule });
    });

    it('refuses by email an address outside the partner domains that is not on the invitation list, where an invited one would be taken', () => {
      expect(at(withList, 'annen@example.com')).toEqual({ ok: false, reason: 'not-eligible', refuse: 'by-email', rule });
      expect(at(withList, 'annen@example.com', req('digital'))).toEqual({ ok: false, reason: 'not-eligible', refuse: 'by-email', rule });
    });

    it('answers an invited and a non-invited address alike where the seminar refuses the request itself', () => {
      const full = { ...withList, seatsTaken: withList.capacity };
      for (const email of ['gjest@example.com', 'annen@example.com']) {
        expect(at(full, email, req('physical'))).toEqual(no('physical-full', true));
        expect(at(withList, email, req('physical'), new Date('2027-09-16T00:00:00Z'))).toEqual(no('closed', false));
      }
    });
  });
});

describe('confirm', () => {
  const pending = (o: Partial<Registration>) => ({ requestedMode: 'physical' as const, digitalIfFull: false, joinWaitlist: false, ...o });
  it.each([
    ['a seat is left', seeds.pitchDay, pending({}), { kind: 'take-seat' }],
    ['full, waitlist and online meanwhile', seeds.breakfast, pending({ joinWaitlist: true, digitalIfFull: true }), { kind: 'join-waitlist', digitalWhileWaiting: true }],
    // The defect: "attend digitally if no seat is left" unticked is the waitlist only.
    ['full, waitlist only (livestreamed)', seeds.breakfast, pending({ joinWaitlist: true }), { kind: 'join-waitlist', digitalWhileWaiting: false }],
    ['full, waitlist only (no livestream)', seeds.inPersonOnlyFull, pending({ joinWaitlist: true, digitalIfFull: true }), { kind: 'join-waitlist', digitalWhileWaiting: false }],
    ['full, online instead', seeds.breakfast, pending({ digitalIfFull: true }), { kind: 'attend-digitally', because: 'full' }],
    ['full, nothing else asked', seeds.breakfast, pending({}), { kind: 'refuse', reason: 'full' }],
    ['physical closed, online instead', { ...seeds.pitchDay, physicalOpen: false }, pending({ digitalIfFull: true, joinWaitlist: true }), { kind: 'attend-digitally', because: 'closed' }],
    ['physical closed, only a seat', { ...seeds.pitchDay, physicalOpen: false }, pending({ joinWaitlist: true }), { kind: 'refuse', reason: 'closed' }],
    ['online asked, online open', seeds.partnerForum, pending({ requestedMode: 'digital' }), { kind: 'attend-digitally' }],
    ['online asked, online closed meanwhile', { ...seeds.partnerForum, digitalOpen: false }, pending({ requestedMode: 'digital' }), { kind: 'refuse', reason: 'closed' }],
  ] as const)('%s', (_n, s, r, want: ConfirmStep) => {
    const now = s.start.startsWith('2024') ? new Date('2024-05-20T10:00:00Z') : BEFORE;
    expect(decideConfirm(s, r, now)).toEqual(want);
  });

  it('a confirmation after the start gets online attendance at most, after the end nothing', () => {
    expect(decideConfirm(seeds.pitchDay, pending({ digitalIfFull: true }), new Date('2027-09-15T09:00:00Z'))).toEqual({ kind: 'attend-digitally', because: 'closed' });
    expect(decideConfirm(seeds.pitchDay, pending({ requestedMode: 'digital' }), new Date('2027-09-15T13:00:00Z'))).toEqual({ kind: 'refuse', reason: 'closed' });
  });

  it('the place told on joining: the ticket less those who left before it; the length from the counters', () => {
    expect(placeAtJoin(1, 0)).toBe(1);
    expect(placeAtJoin(5, 1)).toBe(4); // the breakfast seminar: 4 tickets, 1 left, the next joiner is 4th
    expect(waitlistLength(seeds.breakfast)).toBe(3);
    expect(waitlistLength({})).toBe(0);
  });
});

describe('cancel, promote, the end', () => {
  const reg = (o: Partial<Registration>): Registration =>
    ({ id: 'r1', seminarId: 's', email: 'a@b.no', name: 'A', organisation: '', requestedMode: 'physical', digitalIfFull: false, joinWaitlist: false, language: 'nb', status: 'confirmed', submittedAt: '', ...o }) as Registration;
  it.each([
    ['a seat, before the start', reg({ attendance: 'physical' }), BEFORE, { ok: true, freesSeat: true, leavesWaitlist: false }],
    ['waitlisted, before the start', reg({ attendance: 'waitlisted' }), BEFORE, { ok: true, freesSeat: false, leavesWaitlist: true }],
    ['online, before the start', reg({ attendance: 'digital' }), BEFORE, { ok: true, freesSeat: false, leavesWaitlist: false }],
    ['pending, before the start', reg({ status: 'pending' }), BEFORE, { ok: true, freesSeat: false, leavesWaitlist: false }],
    ['a seat, once it has started', reg({ attendance: 'physical' }), RUNNING, { ok: false, reason: 'started' }],
    ['online, after the end', reg({ attendance: 'digital' }), ENDED, { ok: false, reason: 'started' }],
    ['already cancelled', reg({ status: 'cancelled' }), BEFORE, { ok: false, reason: 'already-cancelled' }],
  ] as const)('%s', (_n, r, now, want) => {
    expect(decideCancel(seeds.breakfast as unknown as Seminar, r, now)).toEqual(want);
  });

  it('a cancelled seminar\'s registrations may still be cancelled (nothing to hold on to); an erasure frees what it held', () => {
    expect(decideCancel({ ...seeds.breakfast, status: 'cancelled' } as unknown as Seminar, reg({ attendance: 'physical' }), ENDED)).toEqual({ ok: true, freesSeat: true, leavesWaitlist: false });
    expect(cancelEffects(reg({ attendance: 'waitlisted' }))).toEqual({ freesSeat: false, leavesWaitlist: true });
  });

  it('a receipt goes to a registration its registrant cancelled, with a calendar cancel only where an invite went', () => {
    expect(cancelledByRegistrant(reg({ status: 'cancelled' }))).toBe(true);
    expect(cancelledByRegistrant(reg({ status: 'cancelled', cancelReason: 'full' }))).toBe(false);
    expect(cancelledByRegistrant(reg({ status: 'confirmed' }))).toBe(false);
    expect(cancelledByRegistrant(undefined)).toBe(false);
    expect(inviteSent(reg({ status: 'cancelled', attendance: 'physical', confirmedAt: 't' }))).toBe(true);
    expect(inviteSent(reg({ status: 'cancelled', attendance: 'waitlisted', digitalWhileWaiting: false, confirmedAt: 't' }))).toBe(false);
    expect(inviteSent(reg({ status: 'cancelled', attendance: 'physical', digitalWhileWaiting: false, confirmedAt: 't', promotedAt: 'u' }))).toBe(true);
    expect(inviteSent(reg({ status: 'cancelled' }))).toBe(false);
  });

  it('a freed seat goes to the waitlist only before the start of a scheduled seminar', () => {
    expect(promotionAllowed(seeds.breakfast, BEFORE)).toBe(true);
    expect(promotionAllowed(seeds.breakfast, RUNNING)).toBe(false);
    expect(promotionAllowed({ ...seeds.breakfast, status: 'cancelled' }, BEFORE)).toBe(false);
  });

  it('the link in emails: cancel before the start; from the start on, or once cancelled, stop the emails', () => {
    expect(optOutLink(seeds.breakfast, BEFORE)).toBe('cancel-registration');
    expect(optOutLink(seeds.breakfast, RUNNING)).toBe('stop-seminar-emails');
    expect(optOutLink(seeds.breakfast, ENDED)).toBe('stop-seminar-emails');
    expect(optOutLink({ ...seeds.breakfast, status: 'cancelled' }, BEFORE)).toBe('stop-seminar-emails');
  });
});

describe('who hears what', () => {
  const r = (o: Partial<Registration>) => ({ status: 'confirmed' as const, ...o });
  const notices: RegistrantNotice[] = ['reminder', 'streaming-link', 'moved', 'cancelled', 'recording'];
  it.each([
    ['a seat (partner forum: the streaming link goes to all)', r({ attendance: 'physical' }), 'physical', [true, true, true, true, true], true],
    ['online', r({ attendance: 'digital' }), 'digital', [true, true, true, true, true], true],
    ['waitlisted, online meanwhile', r({ attendance: 'waitlisted', digitalWhileWaiting: true }), 'waitlisted-online', [true, true, true, true, true], true],
    ['waitlisted from before the flag (attended online)', r({ attendance: 'waitlisted' }), 'waitlisted-online', [true, true, true, true, true], true],
    ['waitlisted only', r({ attendance: 'waitlisted', digitalWhileWaiting: false }), 'waitlisted', [false, false, true, true, true], false],
    ['stopped the emails after the seminar', r({ attendance: 'digital', emailsStoppedAt: '2027-03-18T10:00:00Z' }), 'digital', [false, false, false, false, false], true],
    ['pending', { status: 'pending' as const }, undefined, [false, false, false, false, false], true],
    ['cancelled', { status: 'cancelled' as const, attendance: 'physical' as const }, 'physical', [false, false, false, false, false], true],
  ] as const)('%s', (_n, given, want, hears, invite) => {
    const reg = given as Pick<Registration, 'status' | 'attendance' | 'digitalWhileWaiting' | 'emailsStoppedAt'>;
    expect(standing(reg)).toBe(want);
    expect(notices.map((n) => receivesNotice(reg, n))).toEqual(hears);
    expect(confirmationHasInvite(reg)).toBe(invite);
    expect(attendsOnline(reg)).toBe(want === 'digital' || want === 'waitlisted-online');
  });
});

describe('the waitlist order', () => {
  it('is by ticket; entries from before the tickets come first, by confirmation time; places count only those waiting', () => {
    const e = (id: string, o: Partial<Registration>) => ({ id, status: 'confirmed' as const, attendance: 'waitlisted' as const, confirmedAt: '2027-03-01T10:00:00.000Z', ...o });
    const list = [
      e('d', { waitlistTicket: 12 }),
      e('a', { confirmedAt: '2027-03-01T09:00:00.000Z' }),
      e('c', { waitlistTicket: 3, confirmedAt: '2027-03-01T11:00:00.000Z' }),
      e('x', { waitlistTicket: 5, attendance: 'physical' }),
      e('y', { waitlistTicket: 6, status: 'cancelled' }),
      e('b', { waitlistTicket: 9, confirmedAt: '2027-03-01T08:00:00.000Z' }),
    ];
    expect([...waitlistPlaces(list).entries()]).toEqual([
      ['a', 1],
      ['c', 2],
      ['b', 3],
      ['d', 4],
    ]);
    // The order key sorts tickets numerically, as strings (it is the waitlist index's sort key).
    expect(waitlistOrderKey({ id: 'z', waitlistTicket: 9 }) < waitlistOrderKey({ id: 'a', waitlistTicket: 10 })).toBe(true);
  });
});
