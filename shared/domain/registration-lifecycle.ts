/**
 * The registration lifecycle, in one place: what is open for a seminar at a moment, what a submission
 * and a confirmation become, when a registration may be cancelled or promoted, who hears which notice,
 * and the waitlist's order and places. Plain functions of the stored seminar and registration, no SDK:
 * routes, pages, handlers, emails and the store ask these and decide nothing of their own. The store
 * persists what was decided, conditioned on the facts the decision was made on still holding (and hands
 * back the fresh facts when they no longer do, so the decision is made again).
 *
 * States of a registration (`Registration.status` / `attendance` / `digitalWhileWaiting`):
 *   pending ─confirm─▶ seat (physical) | digital | waitlisted, attending online meanwhile
 *                                       | waitlisted only (no seat and no livestream for them)
 *           └───────▶ refused (nothing they asked for was left: stored as cancelled, reason `full`)
 *   seat | digital | waitlisted ─cancel (before the start)─▶ cancelled
 *   waitlisted ─a seat frees (before the start)─▶ seat
 * Once the seminar has started nothing moves: no cancel by link, no promotion, no confirmation; once it
 * has ended, emails about it carry a link that stops further emails instead of a cancel link.
 */
import type { Registration, Seminar } from './model.js';
import { checkEligibility } from './eligibility.js';

// ---------------------------------------------------------------------------------------------
// The seminar's phase and what is open

export type SeminarPhase = 'upcoming' | 'running' | 'ended';

/** Before the start, between start and end, after the end. */
export function seminarPhase(s: Pick<Seminar, 'start' | 'end'>, now: Date): SeminarPhase {
  const t = now.getTime();
  if (t < Date.parse(s.start)) return 'upcoming';
  return t < Date.parse(s.end) ? 'running' : 'ended';
}

export type ClosedReason = 'not-published' | 'closed' | 'deadline-passed' | 'full' | 'not-offered' | 'started' | 'ended';
export type ModeState = { open: true } | { open: false; reason: ClosedReason };

export interface RegistrationState {
  phase: SeminarPhase;
  physical: ModeState;
  digital: ModeState;
  seatsLeft: number;
  /** Physical seats are full and physical registration otherwise open: a person may join the waitlist. */
  waitlistOpen: boolean;
}

export function seatsLeft(s: Pick<Seminar, 'capacity' | 'seatsTaken'>): number {
  return Math.max(0, s.capacity - s.seatsTaken);
}

type StateSeminar = Pick<
  Seminar,
  'status' | 'start' | 'end' | 'capacity' | 'seatsTaken' | 'physicalOpen' | 'physicalDeadline' | 'livestream' | 'digitalOpen' | 'digitalDeadline'
>;

export function registrationState(s: StateSeminar, now: Date): RegistrationState {
  const t = now.getTime();
  const phase = seminarPhase(s, now);
  const left = seatsLeft(s);
  const common = (): ModeState | undefined => {
    if (s.status !== 'scheduled') return { open: false, reason: 'not-published' };
    if (phase === 'ended') return { open: false, reason: 'ended' };
    return undefined;
  };
  const physical: ModeState =
    common() ??
    (s.capacity === 0
      ? { open: false, reason: 'not-offered' }
      : !s.physicalOpen
        ? { open: false, reason: 'closed' }
        : s.physicalDeadline && t > Date.parse(s.physicalDeadline)
          ? { open: false, reason: 'deadline-passed' }
          : phase !== 'upcoming'
            ? { open: false, reason: 'started' }
            : left === 0
              ? { open: false, reason: 'full' }
              : { open: true });
  const digital: ModeState =
    common() ??
    (!s.livestream
      ? { open: false, reason: 'not-offered' }
      : !s.digitalOpen
        ? { open: false, reason: 'closed' }
        : s.digitalDeadline && t > Date.parse(s.digitalDeadline)
          ? { open: false, reason: 'deadline-passed' }
          : { open: true });
  return { phase, physical, digital, seatsLeft: left, waitlistOpen: !physical.open && physical.reason === 'full' };
}

/** What a person can register for now, in the order the page lists them ("open for"). */
export type OpenFor = 'physical' | 'waitlist' | 'digital';
export function openFor(state: RegistrationState): OpenFor[] {
  const out: OpenFor[] = [];
  if (state.physical.open) out.push('physical');
  else if (state.waitlistOpen) out.push('waitlist');
  if (state.digital.open) out.push('digital');
  return out;
}

/** Whether anything at all can be registered for. */
export const registrationOpen = (state: RegistrationState) => openFor(state).length > 0;

/** Whether the in-person option can be chosen on the form (a seat, or the waitlist for one). */
export const physicalSelectable = (state: RegistrationState) => state.physical.open || state.waitlistOpen;

/** Seats left are worth showing only while seats are on offer: open, or full (the waitlist is open). */
export function seatsOnOffer(state: RegistrationState): number | undefined {
  return physicalSelectable(state) ? state.seatsLeft : undefined;
}

// ---------------------------------------------------------------------------------------------
// Submit

export interface Request {
  mode: 'physical' | 'digital';
  digitalIfFull: boolean;
  joinWaitlist: boolean;
}

export type SubmitRefusal = 'closed' | 'digital-closed' | 'physical-closed' | 'physical-full';

export type ModeDecision = { ok: true; requestedMode: 'physical' | 'digital' } | { ok: false; reason: SubmitRefusal; digitalOpen: boolean };

export type SubmitDecision =
  | ModeDecision
  /**
   * The address may not register. `on-page`: the refusal is the answer (the partner domains, which the
   * page states). `by-email`: the seminar has a private invitation list, so the answer is that of an
   * accepted submission and the refusal goes to the address by email (see `checkEligibility`).
   */
  | { ok: false; reason: 'not-eligible'; refuse: 'on-page' | 'by-email'; rule: { nb: string; en: string } };

export type SubmitSeminar = StateSeminar & Pick<Seminar, 'eligibility'>;

/**
 * Whether a registration may be submitted by this address, and for which mode. A refusal by the partner
 * domains comes first, on the page. A refusal by the invitation list comes only where an invited address
 * would have been accepted: where the seminar is closed or full for what was asked, everyone hears that
 * alike, and otherwise the answer must not tell an invited address from another.
 */
export function decideSubmit(s: SubmitSeminar, req: Request & { email: string }, now: Date): SubmitDecision {
  const eligibility = checkEligibility(s.eligibility, req.email);
  if (!eligibility.eligible && eligibility.refuse === 'on-page') return { ok: false, reason: 'not-eligible', refuse: 'on-page', rule: eligibility.rule };
  const mode = decideMode(s, req, now);
  return eligibility.eligible || !mode.ok ? mode : { ok: false, reason: 'not-eligible', refuse: 'by-email', rule: eligibility.rule };
}

/**
 * For which mode a registration may be submitted. A physical request when seats are full is kept if the
 * person will take the waitlist or online attendance; when physical registration has closed (not full) it
 * becomes a digital one if they will attend online.
 */
export function decideMode(s: StateSeminar, req: Request, now: Date): ModeDecision {
  const state = registrationState(s, now);
  const refuse = (reason: SubmitRefusal): ModeDecision => ({ ok: false, reason: registrationOpen(state) ? reason : 'closed', digitalOpen: state.digital.open });
  if (req.mode === 'digital') return state.digital.open ? { ok: true, requestedMode: 'digital' } : refuse('digital-closed');
  if (state.physical.open) return { ok: true, requestedMode: 'physical' };
  if (state.waitlistOpen) {
    return req.joinWaitlist || (req.digitalIfFull && state.digital.open) ? { ok: true, requestedMode: 'physical' } : refuse('physical-full');
  }
  return req.digitalIfFull && state.digital.open ? { ok: true, requestedMode: 'digital' } : refuse('physical-closed');
}

// ---------------------------------------------------------------------------------------------
// Confirm

/**
 * The seminar's waitlist counters, kept on the seminar item. A person joining takes the next ticket in
 * one atomic update that also reads how many have left the list (promoted, cancelled): everyone who left
 * had joined before, so had a smaller ticket, and the joiner's place is its ticket less those who left.
 */
export interface WaitlistCounters {
  /** Tickets handed out so far (the order of the list). */
  waitlistTickets?: number;
  /** Ticketed registrations that have left the list. */
  waitlistLeft?: number;
}

/** The real place of the one who took `ticket`, with `left` as read in the same atomic update. */
export function placeAtJoin(ticket: number, left: number): number {
  return Math.max(1, ticket - left);
}

/** People on the waitlist now, by the counters (entries from before the counters not included). */
export const waitlistLength = (s: WaitlistCounters) => Math.max(0, (s.waitlistTickets ?? 0) - (s.waitlistLeft ?? 0));

export type ConfirmSeminar = StateSeminar & WaitlistCounters;

export type ConfirmStep =
  | { kind: 'take-seat' }
  /** The store takes the ticket only while the seats are still full; the place follows from it (placeAtJoin). */
  | { kind: 'join-waitlist'; digitalWhileWaiting: boolean }
  | { kind: 'attend-digitally'; because?: 'full' | 'closed' }
  /** Nothing the person asked for is possible: the registration is dropped (the address may register again). */
  | { kind: 'refuse'; reason: 'full' | 'closed' };

/** What confirming a pending registration gives, with the seminar as just read (or as a refused write returned it). */
export function decideConfirm(s: ConfirmSeminar, r: Pick<Registration, 'requestedMode' | 'digitalIfFull' | 'joinWaitlist'>, now: Date): ConfirmStep {
  const state = registrationState(s, now);
  if (r.requestedMode === 'digital') return state.digital.open ? { kind: 'attend-digitally' } : { kind: 'refuse', reason: 'closed' };
  if (state.physical.open) return { kind: 'take-seat' };
  const online = r.digitalIfFull && state.digital.open;
  if (state.waitlistOpen) {
    if (r.joinWaitlist) return { kind: 'join-waitlist', digitalWhileWaiting: online };
    return online ? { kind: 'attend-digitally', because: 'full' } : { kind: 'refuse', reason: 'full' };
  }
  return online ? { kind: 'attend-digitally', because: 'closed' } : { kind: 'refuse', reason: 'closed' };
}

/** Whether confirming is possible at all: a cancelled seminar takes no confirmations. */
export function confirmBlocked(s: Pick<Seminar, 'status'>): 'seminar-cancelled' | undefined {
  return s.status === 'cancelled' ? 'seminar-cancelled' : undefined;
}

/**
 * A click on the confirm link of a registration that is confirmed already announces the confirmation
 * again when its email is not in the delivery log: the request that confirmed it may have died between
 * the write and `RegistrationConfirmed` (a crash), and the registrant would never hear. A redelivered
 * announcement sends nothing twice (the ledger).
 */
export function reannounceConfirmation(r: Pick<Registration, 'status' | 'attendance'>, confirmationLogged: boolean): boolean {
  return r.status === 'confirmed' && r.attendance !== undefined && !confirmationLogged;
}

// ---------------------------------------------------------------------------------------------
// Cancel, promote, end

export type CancelDecision = { ok: true; freesSeat: boolean; leavesWaitlist: boolean } | { ok: false; reason: 'already-cancelled' | 'started' };

/** A registrant may cancel until the seminar starts; afterwards the registration stays as it was. */
export function decideCancel(s: Pick<Seminar, 'start' | 'end' | 'status'>, r: Pick<Registration, 'status' | 'attendance'>, now: Date): CancelDecision {
  if (r.status === 'cancelled') return { ok: false, reason: 'already-cancelled' };
  if (s.status !== 'cancelled' && seminarPhase(s, now) !== 'upcoming') return { ok: false, reason: 'started' };
  return { ok: true, ...cancelEffects(r) };
}

/** What cancelling a registration frees, whoever cancels it (the registrant, or an erasure). */
export function cancelEffects(r: Pick<Registration, 'status' | 'attendance'>): { freesSeat: boolean; leavesWaitlist: boolean } {
  const confirmed = r.status === 'confirmed';
  return { freesSeat: confirmed && r.attendance === 'physical', leavesWaitlist: confirmed && r.attendance === 'waitlisted' };
}

/** A freed seat goes to the waitlist only while the seminar is scheduled and has not started. */
export function promotionAllowed(s: Pick<Seminar, 'status' | 'start' | 'end'>, now: Date): boolean {
  return s.status === 'scheduled' && seminarPhase(s, now) === 'upcoming';
}

/**
 * The link at the foot of an email about a seminar: before the start it cancels the registration; from
 * the start on (a recording, say), or once the seminar is cancelled, it only stops further emails about it.
 */
export function optOutLink(s: Pick<Seminar, 'start' | 'end' | 'status'>, now: Date): 'cancel-registration' | 'stop-seminar-emails' {
  return s.status !== 'cancelled' && seminarPhase(s, now) === 'upcoming' ? 'cancel-registration' : 'stop-seminar-emails';
}

// ---------------------------------------------------------------------------------------------
// Who hears what

/** Waiting for a seat and attending online meanwhile (registrations from before the flag attended online). */
export function attendsOnline(r: Pick<Registration, 'attendance' | 'digitalWhileWaiting'>): boolean {
  return r.attendance === 'digital' || (r.attendance === 'waitlisted' && r.digitalWhileWaiting !== false);
}

/** What a confirmed registration has, as the emails and pages word it. */
export type Standing = 'physical' | 'digital' | 'waitlisted-online' | 'waitlisted';
export function standing(r: Pick<Registration, 'attendance' | 'digitalWhileWaiting'>): Standing | undefined {
  switch (r.attendance) {
    case 'physical':
      return 'physical';
    case 'digital':
      return 'digital';
    case 'waitlisted':
      return attendsOnline(r) ? 'waitlisted-online' : 'waitlisted';
    default:
      return undefined;
  }
}

export type RegistrantNotice = 'reminder' | 'streaming-link' | 'moved' | 'cancelled' | 'recording';

/**
 * Whether a registration gets a notice about its seminar. Every confirmed registrant hears of a move, a
 * cancellation and the recording; the reminder and the streaming link go to those who will attend (in
 * person or online), not to someone only waiting for a seat. Someone who stopped the seminar's emails
 * gets none.
 */
export function receivesNotice(r: Pick<Registration, 'status' | 'attendance' | 'digitalWhileWaiting' | 'emailsStoppedAt'>, notice: RegistrantNotice): boolean {
  if (r.status !== 'confirmed' || r.emailsStoppedAt) return false;
  if (notice === 'reminder' || notice === 'streaming-link') return r.attendance === 'physical' || attendsOnline(r);
  return true;
}

/** Whether a registration's invite goes with its confirmation: not for someone only waiting for a seat. */
export const confirmationHasInvite = (r: Pick<Registration, 'attendance' | 'digitalWhileWaiting'>) => standing(r) !== 'waitlisted';

/** Whether a calendar invite ever went to the registration: with its confirmation, or with its promotion to a seat. */
export function inviteSent(r: Pick<Registration, 'confirmedAt' | 'promotedAt' | 'attendance' | 'digitalWhileWaiting'>): boolean {
  return Boolean(r.promotedAt) || (r.confirmedAt !== undefined && confirmationHasInvite(r));
}

/**
 * Cancelled by the registrant (or their link): stored as cancelled with no reason of the system's own.
 * Such a registration gets a receipt; one refused at confirmation (nothing it asked for was left:
 * `cancelReason`) gets none.
 */
export function cancelledByRegistrant<R extends Pick<Registration, 'status' | 'cancelReason'>>(r: R | undefined): r is R {
  return r !== undefined && r.status === 'cancelled' && r.cancelReason === undefined;
}

// ---------------------------------------------------------------------------------------------
// The waitlist's order

export type WaitlistEntry = Pick<Registration, 'id' | 'status' | 'attendance' | 'confirmedAt' | 'waitlistTicket'>;

/** First come, first served: by ticket (taken with the place), older entries by confirmation time. */
export function waitlistOrderKey(r: Pick<Registration, 'id' | 'confirmedAt' | 'waitlistTicket'>): string {
  return r.waitlistTicket !== undefined ? `T${String(r.waitlistTicket).padStart(12, '0')}#${r.id}` : `${r.confirmedAt ?? ''}#${r.id}`;
}

export const onWaitlist = (r: Pick<Registration, 'status' | 'attendance'>) => r.status === 'confirmed' && r.attendance === 'waitlisted';

/** The waitlisted registrations in order, with their places (1-based). */
export function waitlistPlaces<T extends WaitlistEntry>(all: T[]): Map<string, number> {
  const list = all.filter(onWaitlist).sort((a, b) => (waitlistOrderKey(a) < waitlistOrderKey(b) ? -1 : 1));
  return new Map(list.map((r, i) => [r.id, i + 1]));
}
