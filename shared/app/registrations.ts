/**
 * Registration use-cases shared by the JSON API and the HTML pages: submit, confirm, cancel. Each
 * returns a result the caller maps to JSON or a page; events go on the bus, emails are sent by the
 * handlers that react to them.
 */
import type { Registration, Seminar } from '../domain/model.js';
import { RegistrationInput } from '../domain/public-inputs.js';
import { confirmBlocked, decideCancel, reannounceConfirmation, decideConfirm, decideMode, decideSubmit, type SubmitRefusal } from '../domain/registration-lifecycle.js';
import { recordRefusal } from '../store/refusals.js';
import { getSeminar } from '../store/seminars.js';
import { applyConfirmStep, cancelRegistration, confirmOutcomeOf, getSeminarAndRegistration, stopSeminarEmails, submitRegistration, type ConfirmOutcome } from '../store/registrations.js';
import { publish } from '../aws/publisher.js';
import { getEntry } from '../store/ledger.js';
import { registrationKind } from '../email/ledger-kinds.js';
import { normaliseEmail } from '../domain/primitives.js';
import { RegistrationCancelled, RegistrationConfirmed, RegistrationRefused, RegistrationSubmitted } from '../../events/index.js';
import { verifyToken, type TokenPurpose } from '../domain/tokens.js';
import { tokenSecret } from '../aws/secret.js';
import { parseRegistrationSub } from '../links.js';
import { newId } from '../ids.js';
import { now } from '../clock.js';
import { config } from '../config.js';
import type { FieldError, ValidationIssues } from '../http/responses.js';

export type SubmitResult =
  | { ok: true; seminar: Seminar }
  | { ok: false; status: 400; errors: FieldError[] }
  | { ok: false; status: 404 }
  | { ok: false; status: 403; rule: { nb: string; en: string } }
  | { ok: false; status: 409; reason: SubmitRefusal; digitalOpen: boolean; seminar: Seminar };

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

  const at = now();
  const decision = decideSubmit(seminar, input, at);
  if (!decision.ok && decision.reason === 'not-eligible') {
    if (decision.refuse === 'on-page') return { ok: false, status: 403, rule: decision.rule };
    // Not on the private invitation list: answered as an accepted submission, refused by email.
    await refuseByEmail(seminar, input, at);
    return { ok: true, seminar };
  }
  if (!decision.ok) return { ok: false, status: 409, reason: decision.reason, digitalOpen: decision.digitalOpen, seminar };

  const registration: Registration = {
    id: newId(at.getTime()),
    seminarId: seminar.id,
    email: input.email,
    name: input.name,
    organisation: input.organisation,
    requestedMode: decision.requestedMode,
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
    // The last seat (or the registration) went between the check above and the confirmation, and nothing
    // else was asked for: say so now, as no email will (the registration was not kept, so the address may
    // register again).
    if (outcome.outcome === 'full' || outcome.outcome === 'closed') {
      const again = decideMode((await getSeminar(seminar.id, true)) ?? seminar, input, now());
      return { ok: false, status: 409, reason: again.ok ? 'physical-full' : again.reason, digitalOpen: again.ok || again.digitalOpen, seminar };
    }
  }
  return { ok: true, seminar };
}

/**
 * A submission the invitation list refuses, kept (the first per address) and announced, so that the
 * refusal goes to the address by email once (functions/registrations/on-registration-submitted.ts). The
 * same calls as a registration's (one transaction, one read, one event), so its answer comes as soon.
 */
async function refuseByEmail(seminar: Seminar, input: RegistrationInput, at: Date): Promise<void> {
  const refusal = await recordRefusal(
    { id: newId(at.getTime()), seminarId: seminar.id, email: input.email, name: input.name, language: input.language, refusedAt: at.toISOString() },
    expiryFor(seminar),
  );
  await publish({ event: RegistrationRefused, detail: { version: 1, seminarId: seminar.id, refusalId: refusal.id } });
}

/**
 * Confirms a pending registration as the lifecycle decides, on `seminar` as just read (consistently).
 * When the seminar changed before the write (the last seat went, someone joined the waitlist first), the
 * refused write hands back the seminar as it is and the decision is made again on it.
 */
async function confirmAndPublish(seminar: Seminar, registration: Registration): Promise<ConfirmOutcome> {
  let current = seminar;
  let reg = registration;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 200) throw new Error(`confirmation of ${registration.id} kept meeting a changed seminar or a busy registration`);
    const at = now();
    if (reg.status !== 'pending') {
      const logged = Boolean(await getEntry(current.id, registrationKind('registration-confirmed', reg), normaliseEmail(reg.email)));
      if (reannounceConfirmation(reg, logged)) {
        await publish({ event: RegistrationConfirmed, detail: { version: 1, seminarId: current.id, registrationId: reg.id, outcome: reg.attendance! } });
      }
      return confirmOutcomeOf(reg);
    }
    const result = await applyConfirmStep(current.id, reg, decideConfirm(current, reg, at), at.toISOString());
    if (result.kind === 'seminar-changed') {
      current = result.seminar;
      continue;
    }
    if (result.kind === 'busy') {
      // Another request (a second click) is confirming it this moment: read it again once it is done.
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 25));
      reg = result.registration;
      const fresh = await getSeminarAndRegistration(current.id, reg.id);
      if (!fresh.registration || !fresh.seminar) throw new Error(`registration ${reg.id} is gone`);
      [current, reg] = [fresh.seminar, fresh.registration];
      continue;
    }
    const outcome = result.outcome;
    if (result.kind === 'done') await announceConfirmed(seminar.id, registration.id, outcome);
    return outcome;
  }
}

/** `RegistrationConfirmed` for an outcome that is a confirmation (a seat, digital, a waitlist place). */
async function announceConfirmed(seminarId: string, registrationId: string, outcome: ConfirmOutcome): Promise<void> {
  if (outcome.outcome === 'full' || outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return;
  await publish({ event: RegistrationConfirmed, detail: { version: 1, seminarId, registrationId, outcome: outcome.outcome } });
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

/** Confirms by the link's token, on the seminar and registration as read (consistently) just before. */
export async function confirmByToken(token: string | undefined): Promise<({ ok: true; seminar: Seminar } & ConfirmOutcome) | TokenProblem | { ok: false; problem: 'seminar-cancelled' }> {
  const r = await resolveToken(token, 'confirm-registration');
  if (!r.ok) return r;
  const blocked = confirmBlocked(r.seminar);
  if (blocked) return { ok: false, problem: blocked };
  const result = await confirmAndPublish(r.seminar, r.registration);
  return { ok: true, seminar: r.seminar, ...result };
}

export type CancelResult =
  | { ok: true; seminar: Seminar; registration: Registration; cancelled: boolean }
  | { ok: false; problem: 'started'; seminar: Seminar; registration: Registration }
  | TokenProblem;

export async function cancelByToken(token: string | undefined): Promise<CancelResult> {
  const r = await resolveToken(token, 'cancel-registration');
  if (!r.ok) return r;
  const decision = decideCancel(r.seminar, r.registration, now());
  if (!decision.ok && decision.reason === 'started') return { ok: false, problem: 'started', seminar: r.seminar, registration: r.registration };
  const result = decision.ok ? await cancelRegistration(r.seminar.id, r.registration.id, now().toISOString()) : { cancelled: false, freedSeat: false, registration: r.registration };
  if (result.cancelled) {
    await publish({ event: RegistrationCancelled, detail: { version: 1, seminarId: r.seminar.id, registrationId: r.registration.id, freedSeat: result.freedSeat } });
  } else if (result.registration?.status === 'cancelled' && result.registration.attendance === 'physical') {
    // Cancelled before, with a seat: publish again, in case the first request died before its event went
    // out (the seat would then stay empty). Promotion is idempotent, so a second event changes nothing.
    await publish({ event: RegistrationCancelled, detail: { version: 1, seminarId: r.seminar.id, registrationId: r.registration.id, freedSeat: true } });
  }
  return { ok: true, seminar: r.seminar, registration: result.registration ?? r.registration, cancelled: result.cancelled };
}

/** The link in emails from the seminar's start on: no more emails about it; the registration stays. */
export async function stopEmailsByToken(token: string | undefined): Promise<{ ok: true; seminar: Seminar; registration: Registration; stopped: boolean } | TokenProblem> {
  const r = await resolveToken(token, 'stop-seminar-emails');
  if (!r.ok) return r;
  const out = await stopSeminarEmails(r.seminar.id, r.registration.id, now().toISOString());
  if (!out.registration) return { ok: false, problem: 'not-found' };
  return { ok: true, seminar: r.seminar, registration: out.registration, stopped: out.stopped };
}
