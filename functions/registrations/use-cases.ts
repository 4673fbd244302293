/**
 * Registration use-cases shared by the JSON API and the HTML pages: submit, confirm, cancel. Each
 * returns a result the caller maps to JSON or a page; events go on the bus, emails are sent by the
 * handlers that react to them.
 */
import type { Registration, Seminar } from '../../shared/domain/model.js';
import { RegistrationInput } from '../../shared/domain/public-inputs.js';
import { checkEligibility } from '../../shared/domain/eligibility.js';
import { registrationState, type ModeState } from '../../shared/domain/seminar-rules.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { cancelRegistration, confirmRegistration, getSeminarAndRegistration, submitRegistration, type ConfirmOutcome } from '../../shared/store/registrations.js';
import { publish } from '../../shared/aws/publisher.js';
import { RegistrationCancelled, RegistrationConfirmed, RegistrationSubmitted } from '../../events/index.js';
import { verifyToken, type TokenPurpose } from '../../shared/domain/tokens.js';
import { tokenSecret } from '../../shared/aws/secret.js';
import { parseRegistrationSub } from '../../shared/links.js';
import { newId } from '../../shared/ids.js';
import { now } from '../../shared/clock.js';
import { config } from '../../shared/config.js';
import type { FieldError, ValidationIssues } from '../../shared/http/responses.js';

export type SubmitResult =
  | { ok: true; seminar: Seminar }
  | { ok: false; status: 400; errors: FieldError[] }
  | { ok: false; status: 404 }
  | { ok: false; status: 403; rule: { nb: string; en: string } }
  | { ok: false; status: 409; reason: 'physical-closed' | 'physical-full' | 'digital-closed' | 'closed'; digitalOpen: boolean; seminar: Seminar };

/** Personal data of a seminar expires this long after it ended (DynamoDB TTL). */
export function expiryFor(s: Pick<Seminar, 'end'>): number {
  return Math.floor(Date.parse(s.end) / 1000) + config().retentionDays * 86400;
}

/** Form posts send checkboxes as "on" and may omit them; JSON sends booleans. */
export function normaliseRegistrationBody(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = { ...(body as Record<string, unknown>) };
  for (const k of ['digitalIfFull', 'joinWaitlist']) {
    if (typeof b[k] === 'string') b[k] = ['on', 'true', '1', 'yes'].includes(String(b[k]).toLowerCase());
  }
  if (b.language === '') delete b.language;
  return b;
}

export async function submit(seminarId: string, body: unknown, fieldErrors: (e: ValidationIssues) => FieldError[]): Promise<SubmitResult> {
  const parsed = RegistrationInput.safeParse(normaliseRegistrationBody(body));
  const seminar = await getSeminar(seminarId);
  if (!seminar || seminar.status === 'draft') return { ok: false, status: 404 };
  if (!parsed.success) return { ok: false, status: 400, errors: fieldErrors(parsed.error) };
  const input = parsed.data;

  const eligibility = checkEligibility(seminar.eligibility, input.email);
  if (!eligibility.eligible) return { ok: false, status: 403, rule: eligibility.rule };

  const at = now();
  const state = registrationState(seminar, at);
  const closedFor = (m: ModeState) => !m.open;
  if (closedFor(state.physical) && closedFor(state.digital)) {
    return { ok: false, status: 409, reason: 'closed', digitalOpen: false, seminar };
  }
  if (input.mode === 'digital' && closedFor(state.digital)) {
    return { ok: false, status: 409, reason: 'digital-closed', digitalOpen: false, seminar };
  }
  if (input.mode === 'physical' && !state.physical.open) {
    const full = state.physical.reason === 'full';
    // Full: the registrant may still come digitally and/or join the waitlist, as they asked.
    const acceptable = full ? input.joinWaitlist || (input.digitalIfFull && state.digital.open) : input.digitalIfFull && state.digital.open;
    if (!acceptable) {
      return { ok: false, status: 409, reason: full ? 'physical-full' : 'physical-closed', digitalOpen: state.digital.open, seminar };
    }
  }

  const registration: Registration = {
    id: newId(at.getTime()),
    seminarId: seminar.id,
    email: input.email,
    name: input.name,
    organisation: input.organisation,
    requestedMode: input.mode === 'physical' && !state.physical.open && state.physical.reason !== 'full' ? 'digital' : input.mode,
    digitalIfFull: input.digitalIfFull,
    joinWaitlist: input.joinWaitlist,
    language: input.language,
    status: 'pending',
    submittedAt: at.toISOString(),
  };
  const stored = await submitRegistration(registration, expiryFor(seminar));
  const reg = stored.created ? stored.registration : stored.existing;
  await publish({
    event: RegistrationSubmitted,
    detail: { version: 1, seminarId: seminar.id, registrationId: reg.id, duplicate: !stored.created },
  });
  if (stored.created && !seminar.doubleOptIn) {
    const outcome = await confirmAndPublish(seminar, reg);
    // The last seat went between the check above and the confirmation, and nothing else was asked for:
    // say so now, as no email will (the registration was not kept, so the address may register again).
    if (outcome.outcome === 'full') return { ok: false, status: 409, reason: 'physical-full', digitalOpen: registrationState(seminar, now()).digital.open, seminar };
  }
  return { ok: true, seminar };
}

/** `registration` as just read or written (consistently): the store conditions every write on it still being pending. */
async function confirmAndPublish(seminar: Seminar, registration: Registration): Promise<ConfirmOutcome> {
  const at = now();
  const state = registrationState(seminar, at);
  const result = await confirmRegistration(seminar.id, registration.id, at.toISOString(), state.digital.open, state.physical.open || state.physical.reason === 'full', registration);
  if (result.changed && result.outcome !== 'full') {
    // The waitlist place counted for the confirmation page goes with the event, so the email says the same
    // and the handler does not count the waitlist again (a count reads every entry ahead).
    const position = result.outcome === 'waitlisted' ? { waitlistPosition: Math.max(1, result.position) } : {};
    await publish({ event: RegistrationConfirmed, detail: { version: 1, seminarId: seminar.id, registrationId: registration.id, outcome: result.outcome, ...position } });
  }
  return result;
}

export type TokenProblem = { ok: false; problem: 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired' | 'not-found' };

async function resolveToken(token: string | undefined, purpose: TokenPurpose): Promise<{ ok: true; seminar: Seminar; registration: Registration } | TokenProblem> {
  if (!token) return { ok: false, problem: 'malformed' };
  const v = verifyToken(await tokenSecret(), token, purpose, Math.floor(now().getTime() / 1000));
  if (!v.ok) return { ok: false, problem: v.reason };
  const ids = parseRegistrationSub(v.payload.sub);
  if (!ids) return { ok: false, problem: 'malformed' };
  const { seminar, registration } = await getSeminarAndRegistration(ids.seminarId, ids.registrationId);
  if (!seminar || !registration) return { ok: false, problem: 'not-found' };
  return { ok: true, seminar, registration };
}

/** For the GET page: who and what the token is about, without changing anything. */
export async function inspect(token: string | undefined, purpose: TokenPurpose) {
  return resolveToken(token, purpose);
}

/**
 * `seminar` is the one read (consistently) just before the confirmation; it is not read again after it.
 * Why a seat was not given comes from the confirmation's own transaction when it tried for one
 * (`seatRefused`), else from that read (`digitalBecause`).
 */
export async function confirmByToken(
  token: string | undefined,
): Promise<({ ok: true; seminar: Seminar; digitalBecause?: 'full' | 'closed' } & ConfirmOutcome) | TokenProblem | { ok: false; problem: 'seminar-cancelled' }> {
  const r = await resolveToken(token, 'confirm-registration');
  if (!r.ok) return r;
  if (r.seminar.status === 'cancelled') return { ok: false, problem: 'seminar-cancelled' };
  const result = await confirmAndPublish(r.seminar, r.registration);
  const digitalBecause =
    result.outcome === 'digital' && result.registration.requestedMode === 'physical'
      ? (result.seatRefused ?? (r.seminar.seatsTaken >= r.seminar.capacity ? 'full' : 'closed'))
      : undefined;
  return { ok: true, seminar: r.seminar, digitalBecause, ...result };
}

export async function cancelByToken(token: string | undefined): Promise<{ ok: true; seminar: Seminar; registration: Registration; cancelled: boolean } | TokenProblem> {
  const r = await resolveToken(token, 'cancel-registration');
  if (!r.ok) return r;
  const result = await cancelRegistration(r.seminar.id, r.registration.id, now().toISOString());
  if (result.cancelled) {
    await publish({ event: RegistrationCancelled, detail: { version: 1, seminarId: r.seminar.id, registrationId: r.registration.id, freedSeat: result.freedSeat } });
  } else if (result.registration?.status === 'cancelled' && result.registration.attendance === 'physical') {
    // Cancelled before, with a seat: publish again, in case the first request died before its event went
    // out (the seat would then stay empty). Promotion is idempotent, so a second event changes nothing.
    await publish({ event: RegistrationCancelled, detail: { version: 1, seminarId: r.seminar.id, registrationId: r.registration.id, freedSeat: true } });
  }
  return { ok: true, seminar: r.seminar, registration: result.registration ?? r.registration, cancelled: result.cancelled };
}
