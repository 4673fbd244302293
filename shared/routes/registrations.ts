/**
 * The public registration routes: the registration page, the form/JSON post, and the confirm and
 * cancel pages with their buttons. Thin: parse, call a use-case, map the result to a page or to JSON.
 * A GET never changes state (mail scanners open links); a bad or expired link gets a clear 400 page.
 */
import { Id } from '../domain/primitives.js';
import { registrationState } from '../domain/registration-lifecycle.js';
import { getSeminar } from '../store/seminars.js';
import { waitlistPosition } from '../store/registrations.js';
import { now } from '../clock.js';
import { tokenFor, registrationSub } from '../links.js';
import { fieldErrors, json, type FieldError } from '../http/responses.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { htmlResponse, pickLang, seeOther, withLang, type PageError } from '../pages/layout.js';
import type { Lang } from '../domain/primitives.js';
import {
  cancelPage,
  cancelledPage,
  cannotCancelPage,
  emailsStoppedPage,
  stopEmailsPage,
  confirmedPage,
  confirmPage,
  fieldMessage,
  linkProblemPage,
  modeClosedText,
  paths,
  registerPage,
  seminarNotFoundPage,
  type ConfirmOutcomeView,
  type FormValues,
  type LinkProblem,
} from '../pages/registration.js';
import { cancelByToken, confirmByToken, inspect, stopEmailsByToken, submit, type SubmitResult } from '../app/registrations.js';
import { attendsOnline, decideCancel } from '../domain/registration-lifecycle.js';
import { seriesFormOf } from '../app/series.js';
import { problemJson, str, bodyFields, tokenOf, langOf } from '../http/public-route.js';

/** Whether the caller wants JSON rather than a page (API clients on the confirm/cancel routes). */
function wantsJson(ctx: RouteContext): boolean {
  const accept = (ctx.event.headers?.accept ?? '').toLowerCase();
  return accept.includes('application/json') && !accept.includes('text/html');
}

async function loadPublished(seminarId: string | undefined) {
  const id = Id.safeParse(seminarId ?? '');
  if (!id.success) return undefined;
  const s = await getSeminar(id.data, true);
  return s && s.status !== 'draft' ? s : undefined;
}

// ---------------------------------------------------------------------------------------------
// GET /seminars/{seminarId}/register

export async function registerPageRoute(ctx: RouteContext): Promise<HttpResult> {
  const lang = pickLang(ctx.query.lang);
  const s = await loadPublished(ctx.params.seminarId);
  if (!s) return htmlResponse(404, seminarNotFoundPage(lang));
  const sent = ctx.query.sent === '1';
  const form = sent ? undefined : await seriesFormOf(s, lang);
  // After the series form's post (303 here): "check your email" in the series block.
  const series = form && ctx.query.seriesSent === '1' ? { ...form, sent: true } : form;
  return htmlResponse(200, registerPage({ lang, seminar: s, state: registrationState(s, now()), sent, series }));
}

// ---------------------------------------------------------------------------------------------
// POST /seminars/{seminarId}/registrations

type ConflictReason = Extract<SubmitResult, { status: 409 }>['reason'];

const conflictText: Record<ConflictReason, { nb: string; en: string }> = {
  closed: { nb: 'Påmeldingen er stengt.', en: 'Registration is closed.' },
  'digital-closed': { nb: 'Påmeldingen til digital deltakelse er stengt.', en: 'Registration to attend online has closed.' },
  'physical-closed': {
    nb: 'Det er ikke lenger mulig å melde seg på for fysisk deltakelse, du kan kun delta digitalt.',
    en: 'It is no longer possible to register to attend in person; you can only attend online.',
  },
  'physical-full': {
    nb: 'Arrangementet er fulltegnet. Velg digital deltakelse, eller kryss av for å delta digitalt eller stå på venteliste.',
    en: 'The event is fully booked. Choose to attend online, or tick to attend online or join the waiting list.',
  },
};

/** Why a registration was refused, in words that offer only what the seminar has. */
function refusalText(reason: ConflictReason, digitalOpen: boolean, lang: Lang): string {
  if (reason === 'physical-full' && !digitalOpen) {
    return lang === 'nb' ? 'Arrangementet er fulltegnet. Kryss av for å sette deg på venteliste.' : 'The event is fully booked. Tick the box to join the waiting list.';
  }
  return conflictText[reason][lang];
}

export async function submitRegistrationRoute(ctx: RouteContext): Promise<HttpResult> {
  const fields = bodyFields(ctx.body);
  const lang: Lang = ctx.isForm ? pickLang(str(fields.language) ?? ctx.query.lang) : pickLang(str(fields.language));
  // A form sends unticked boxes as nothing: that means false, and the page shows them unticked.
  const body = ctx.isForm
    ? { ...fields, digitalIfFull: fields.digitalIfFull !== undefined && fields.digitalIfFull !== '', joinWaitlist: fields.joinWaitlist !== undefined && fields.joinWaitlist !== '' }
    : ctx.body;
  // An id that cannot exist (too long for a key, odd characters) is an unknown seminar, not a fault.
  const result: SubmitResult = Id.safeParse(ctx.params.seminarId ?? '').success
    ? await submit(ctx.params.seminarId ?? '', body, (e) => fieldErrors(e))
    : { ok: false, status: 404 };
  return ctx.isForm ? formAnswer(ctx, lang, fields, result) : jsonAnswer(lang, result);
}

function jsonAnswer(lang: Lang, r: SubmitResult): HttpResult {
  if (r.ok) return json(202, { status: 'pending_confirmation' }, { 'cache-control': 'no-store' });
  switch (r.status) {
    case 404:
      return problemJson(404, 'Not found', 'No published seminar with this id');
    case 400:
      return problemJson(400, 'Invalid input', `The body has ${r.errors.length} invalid field${r.errors.length === 1 ? '' : 's'}: ${[...new Set(r.errors.map((e) => e.field))].join(', ')}`, {
        errors: r.errors,
      });
    case 403:
      return problemJson(403, 'Not eligible', r.rule[lang], { rule: r.rule });
    case 409:
      return problemJson(409, 'Registration closed', refusalText(r.reason, r.digitalOpen, lang), {
        reason: r.reason,
        digitalRegistrationOpen: r.digitalOpen,
      });
  }
}

function formValues(fields: Record<string, unknown>): FormValues {
  return {
    name: str(fields.name),
    email: str(fields.email),
    organisation: str(fields.organisation),
    mode: str(fields.mode),
    digitalIfFull: fields.digitalIfFull !== undefined && fields.digitalIfFull !== '',
    joinWaitlist: fields.joinWaitlist !== undefined && fields.joinWaitlist !== '',
  };
}

async function formAnswer(ctx: RouteContext, lang: Lang, fields: Record<string, unknown>, r: SubmitResult): Promise<HttpResult> {
  const seminarId = ctx.params.seminarId ?? '';
  if (r.ok) return seeOther(withLang(paths.register(r.seminar.id), { sent: '1' }, lang));
  if (r.status === 404) return htmlResponse(404, seminarNotFoundPage(lang));
  const s = r.status === 409 ? r.seminar : await loadPublished(seminarId);
  if (!s) return htmlResponse(404, seminarNotFoundPage(lang));
  const state = registrationState(s, now());
  let errors: PageError[];
  if (r.status === 400) errors = pageErrors(r.errors, lang);
  else if (r.status === 403) errors = [{ field: 'email', message: r.rule[lang] }];
  else
    errors = [
      {
        field: r.reason === 'closed' ? '' : 'mode',
        message: r.reason === 'physical-closed' ? modeClosedText('physical', state, lang) || conflictText[r.reason][lang] : refusalText(r.reason, r.digitalOpen, lang),
      },
    ];
  return htmlResponse(r.status, registerPage({ lang, seminar: s, state, values: formValues(fields), errors, series: await seriesFormOf(s, lang) }));
}

/** Zod's field errors → one message per field, in the visitor's language. */
function pageErrors(errors: FieldError[], lang: Lang): PageError[] {
  const known = ['name', 'email', 'organisation', 'mode'];
  const seen = new Set<string>();
  const out: PageError[] = [];
  for (const e of errors) {
    const field = known.includes(e.field) ? e.field : '';
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: fieldMessage(field || 'other', lang) });
  }
  const order = (f: string) => (f === '' ? 99 : known.indexOf(f));
  return out.sort((a, b) => order(a.field) - order(b.field));
}

// ---------------------------------------------------------------------------------------------
// Confirm and cancel

function linkProblem(ctx: RouteContext, lang: Lang, problem: LinkProblem): HttpResult {
  const status = problem === 'not-found' ? 404 : 400;
  if (wantsJson(ctx)) {
    return problemJson(status, status === 404 ? 'Not found' : 'Bad link', problem === 'expired' ? 'The link has expired' : problem === 'not-found' ? 'The registration no longer exists' : 'The link is not valid', {
      reason: problem,
    });
  }
  return htmlResponse(status, linkProblemPage(lang, problem));
}

export async function confirmPageRoute(ctx: RouteContext): Promise<HttpResult> {
  const token = tokenOf(ctx);
  const r = await inspect(token, 'confirm-registration');
  if (!r.ok) return linkProblem(ctx, langOf(ctx), r.problem);
  const lang = langOf(ctx, r.registration.language);
  const position = r.registration.attendance === 'waitlisted' ? await waitlistPosition(r.registration) : undefined;
  return htmlResponse(200, confirmPage({ lang, seminar: r.seminar, registration: r.registration, token: token!, position }));
}

export async function confirmRoute(ctx: RouteContext): Promise<HttpResult> {
  const token = tokenOf(ctx);
  const r = await confirmByToken(token);
  if (!r.ok) {
    if (r.problem === 'seminar-cancelled') {
      const seen = await inspect(token, 'confirm-registration');
      if (wantsJson(ctx)) return problemJson(409, 'Cancelled', 'The event has been cancelled', { reason: 'seminar-cancelled' });
      if (seen.ok) return htmlResponse(409, confirmedPage({ lang: langOf(ctx, seen.registration.language), seminar: seen.seminar, view: { outcome: 'seminar-cancelled' } }));
      return linkProblem(ctx, langOf(ctx), 'not-found');
    }
    return linkProblem(ctx, langOf(ctx), r.problem);
  }
  const lang = langOf(ctx, r.registration.language);
  const view: ConfirmOutcomeView =
    r.outcome === 'waitlisted'
      ? { outcome: 'waitlisted', position: r.position, online: attendsOnline(r.registration) }
      : r.outcome === 'digital'
        ? { outcome: 'digital', because: r.digitalBecause }
        : { outcome: r.outcome };
  const status = r.outcome === 'full' || r.outcome === 'closed' || r.outcome === 'cancelled' ? 409 : 200;
  if (wantsJson(ctx)) {
    return json(status, { outcome: r.outcome, ...(r.outcome === 'waitlisted' ? { waitlistPosition: r.position } : {}) }, { 'cache-control': 'no-store' });
  }
  const cancelHref =
    status === 200 ? withLang(paths.cancel, { token: await tokenFor('cancel-registration', registrationSub(r.seminar.id, r.registration.id)) }, lang) : undefined;
  // The switch opens the confirm link's page (a GET: it shows the confirmed state, and changes nothing).
  const switchHref = withLang(paths.confirm, { token }, lang === 'nb' ? 'en' : 'nb');
  return htmlResponse(status, confirmedPage({ lang, seminar: r.seminar, view, cancelHref, switchHref }));
}

export async function cancelPageRoute(ctx: RouteContext): Promise<HttpResult> {
  const token = tokenOf(ctx);
  const r = await inspect(token, 'cancel-registration');
  if (!r.ok) return linkProblem(ctx, langOf(ctx), r.problem);
  const lang = langOf(ctx, r.registration.language);
  const decision = decideCancel(r.seminar, r.registration, now());
  if (!decision.ok && decision.reason === 'started') return htmlResponse(200, cannotCancelPage(lang, r.seminar, await stopEmailsHref(r.seminar.id, r.registration.id, lang)));
  const position = r.registration.attendance === 'waitlisted' ? await waitlistPosition(r.registration) : undefined;
  return htmlResponse(200, cancelPage({ lang, seminar: r.seminar, registration: r.registration, token: token!, position }));
}

export async function cancelRoute(ctx: RouteContext): Promise<HttpResult> {
  const r = await cancelByToken(tokenOf(ctx));
  if (!r.ok) {
    if (r.problem !== 'started') return linkProblem(ctx, langOf(ctx), r.problem);
    if (wantsJson(ctx)) return problemJson(409, 'Started', 'The event has started: the registration can no longer be cancelled', { reason: 'started' });
    const lang = langOf(ctx, r.registration.language);
    return htmlResponse(409, cannotCancelPage(lang, r.seminar, await stopEmailsHref(r.seminar.id, r.registration.id, lang)));
  }
  if (wantsJson(ctx)) return json(200, { status: 'cancelled', alreadyCancelled: !r.cancelled }, { 'cache-control': 'no-store' });
  const lang = langOf(ctx, r.registration.language);
  // The switch opens the cancel link's page (a GET: it shows the cancelled state, and changes nothing).
  return htmlResponse(200, cancelledPage(lang, r.seminar, !r.cancelled, withLang(paths.cancel, { token: tokenOf(ctx) }, lang === 'nb' ? 'en' : 'nb')));
}

const stopEmailsHref = async (seminarId: string, registrationId: string, lang: Lang) =>
  withLang(paths.stopEmails, { token: await tokenFor('stop-seminar-emails', registrationSub(seminarId, registrationId)) }, lang);

// ---------------------------------------------------------------------------------------------
// Stop emails about a seminar (the link in emails from its start on): the registration stays as it is

export async function stopEmailsPageRoute(ctx: RouteContext): Promise<HttpResult> {
  const token = tokenOf(ctx);
  const r = await inspect(token, 'stop-seminar-emails');
  if (!r.ok) return linkProblem(ctx, langOf(ctx), r.problem);
  const lang = langOf(ctx, r.registration.language);
  return htmlResponse(200, stopEmailsPage({ lang, seminar: r.seminar, token: token!, stopped: Boolean(r.registration.emailsStoppedAt) }));
}

/** The page's button and the RFC 8058 one-click POST both land here. */
export async function stopEmailsRoute(ctx: RouteContext): Promise<HttpResult> {
  const r = await stopEmailsByToken(tokenOf(ctx));
  if (!r.ok) return linkProblem(ctx, langOf(ctx), r.problem);
  if (wantsJson(ctx)) return json(200, { status: 'stopped', alreadyStopped: !r.stopped }, { 'cache-control': 'no-store' });
  return htmlResponse(200, emailsStoppedPage(langOf(ctx, r.registration.language), r.seminar, !r.stopped));
}
