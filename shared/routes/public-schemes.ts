/**
 * The public funding-scheme routes: the schemes (JSON, or the page with `Accept: text/html`), subscribe
 * (JSON: 202; a form post: 303 to the scheme's page saying "check your email"; either way a
 * confirm-your-address email, the same answer whether or not the address already subscribes), and the confirm and unsubscribe links: a GET shows a page with a button and
 * changes nothing (mail scanners open links); a POST acts. `POST /unsubscribe?token=…` with the body
 * `List-Unsubscribe=One-Click` is the RFC 8058 one-click unsubscribe and needs no page. The confirm and
 * unsubscribe links serve subscriptions to seminar series as well (shared/routes/public-series.ts).
 */
import { SubscriptionConfirmed } from '../../events/index.js';
import { parseSubscriptionSub, roundSessionWords, roundStatus, subscriptionSub, type Scheme, type Subscription } from '../domain/funding.js';
import { SubscriptionInput } from '../domain/public-inputs.js';
import type { Seminar } from '../domain/model.js';
import { Id } from '../domain/primitives.js';
import { verifyToken, type TokenPurpose } from '../domain/tokens.js';
import { tokenSecret } from '../aws/secret.js';
import { publish } from '../aws/publisher.js';
import { getSchemeWithRounds, listSchemes } from '../store/schemes.js';
import { confirmSubscription, getSubscription, unsubscribe } from '../store/subscriptions.js';
import { config } from '../config.js';
import { now } from '../clock.js';
import { registerPageUrl, tokenFor } from '../links.js';
import { fieldErrors, json } from '../http/responses.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { htmlResponse, pickLang, seeOther, withLang, type PageError } from '../pages/layout.js';
import type { Lang } from '../domain/primitives.js';
import {
  confirmSubscriptionPage,
  schemeNotFoundPage,
  schemePage,
  schemePaths,
  schemesPage,
  subscriptionConfirmedPage,
  subscriptionEndedPage,
  subscriptionLinkProblemPage,
  unsubscribedPage,
  unsubscribePage,
  type SchemeView,
  type SubscriptionLinkProblem,
} from '../pages/schemes.js';
import { schemePromisedSessions, sessionsForRound, upcomingGuidanceSessions } from '../app/scheme-sessions.js';
import { requestSubscription, targetInfo, type TargetInfo } from '../app/subscriptions.js';
import { invalidBodyProblem, problemJson, str, bodyFields, tokenOf, langOf } from '../http/public-route.js';

const acceptOf = (ctx: RouteContext) => (ctx.event.headers?.accept ?? '').toLowerCase();
/** A browser asks for HTML; API clients (and curl's `*\/*`) get JSON. */
const wantsHtml = (ctx: RouteContext) => acceptOf(ctx).includes('text/html') || ctx.query.format === 'html';
/** On the link routes pages are the default; API clients that ask for JSON get JSON. */
const wantsJson = (ctx: RouteContext) => acceptOf(ctx).includes('application/json') && !acceptOf(ctx).includes('text/html');

// ---------------------------------------------------------------------------------------------
// The schemes

async function view(scheme: Scheme, upcoming: Seminar[], at: Date): Promise<SchemeView | undefined> {
  const found = await getSchemeWithRounds(scheme.id);
  if (!found) return undefined;
  const rounds = found.rounds.map((round) => ({ round, status: roundStatus(round, at), sessions: sessionsForRound(round, upcoming) }));
  // Open rounds first, soonest deadline first; then closed ones, latest first.
  rounds.sort((a, b) =>
    a.status !== b.status ? (a.status === 'open' ? -1 : 1) : (a.status === 'open' ? 1 : -1) * (Date.parse(a.round.deadline) - Date.parse(b.round.deadline)),
  );
  return { scheme: found.scheme, rounds };
}

/** A round's session as JSON: its kind, and what it is called in `lang` (roundSessionWords). */
function sessionJson(g: Seminar, label: string, lang: Lang) {
  return { id: g.id, kind: g.kind, label, title: g.title, start: g.start, end: g.end, venue: g.venue, registerUrl: registerPageUrl(g.id, lang) };
}

function schemeJson(v: SchemeView, lang: Lang) {
  const s = v.scheme;
  const base = config().publicBaseUrl;
  const roundSessions = (sessions: Seminar[]) =>
    roundSessionWords(sessions, lang).groups.flatMap((group) => group.sessions.map((g) => sessionJson(g, group.label, lang))).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return {
    id: s.id,
    name: s.name,
    nameEn: s.nameEn,
    description: s.description,
    budgetNok: s.budgetNok,
    maxSharePercent: s.maxSharePercent,
    url: s.url,
    organiser: s.organiser,
    contacts: s.contacts,
    pageUrl: `${base}${schemePaths.one(s.id)}`,
    subscribeUrl: `${base}${schemePaths.subscribe(s.id)}`,
    rounds: v.rounds.map((r) => ({
      id: r.round.id,
      round: r.round.round,
      deadline: r.round.deadline,
      endOfDay: r.round.endOfDay,
      status: r.status,
      /** Every coming session of the round (guidance sessions, pitch days), each with its kind and label. */
      sessions: roundSessions(r.sessions),
      /** As before: the guidance sessions only. */
      guidanceSessions: r.sessions
        .filter((g) => g.kind === 'guidance-session')
        .map((g) => ({ id: g.id, title: g.title, start: g.start, end: g.end, venue: g.venue, registerUrl: registerPageUrl(g.id, lang) })),
    })),
  };
}

async function publishedViews(): Promise<SchemeView[]> {
  const at = now();
  const [schemes, upcoming] = await Promise.all([listSchemes(), upcomingGuidanceSessions(at)]);
  const views = await Promise.all(schemes.filter((s) => s.published).map((s) => view(s, upcoming, at)));
  return views.filter((v): v is SchemeView => v !== undefined);
}

async function publishedView(schemeId: string | undefined): Promise<SchemeView | undefined> {
  const id = Id.safeParse(schemeId ?? '');
  if (!id.success) return undefined;
  const at = now();
  const [found, upcoming] = await Promise.all([getSchemeWithRounds(id.data, true), upcomingGuidanceSessions(at)]);
  if (!found || !found.scheme.published) return undefined;
  return view(found.scheme, upcoming, at);
}

const listHeaders = { 'cache-control': 'public, max-age=10', vary: 'accept' };

export async function listSchemesRoute(ctx: RouteContext): Promise<HttpResult> {
  const lang = pickLang(ctx.query.lang);
  const views = await publishedViews();
  if (wantsHtml(ctx)) return htmlResponse(200, schemesPage({ lang, schemes: views }), { vary: 'accept' });
  return json(200, { items: views.map((v) => schemeJson(v, lang)) }, listHeaders);
}

export async function getSchemeRoute(ctx: RouteContext): Promise<HttpResult> {
  const lang = pickLang(ctx.query.lang);
  const v = await publishedView(ctx.params.schemeId);
  if (wantsHtml(ctx)) {
    if (!v) return htmlResponse(404, schemeNotFoundPage(lang));
    // `?sent=1`: where a form post lands (303): "check your email" in place of the form. Changes nothing.
    const sentFor = ctx.query.sent === '1' ? v.scheme.id : undefined;
    return htmlResponse(200, schemePage({ lang, scheme: v, sentFor }), { vary: 'accept' });
  }
  if (!v) return problemJson(404, 'Not found', `No published scheme with id ${ctx.params.schemeId}`);
  return json(200, schemeJson(v, lang), listHeaders);
}

// ---------------------------------------------------------------------------------------------
// Subscribe

const emailMessage = (lang: Lang) =>
  lang === 'nb' ? 'Skriv inn en gyldig e-postadresse, for eksempel navn@example.no.' : 'Enter a valid email address, such as name@example.com.';

export async function subscribeRoute(ctx: RouteContext): Promise<HttpResult> {
  const fields = bodyFields(ctx.body);
  const lang = pickLang(str(fields.language) ?? ctx.query.lang);
  const v = await publishedView(ctx.params.schemeId);
  if (!v) {
    return ctx.isForm ? htmlResponse(404, schemeNotFoundPage(lang)) : problemJson(404, 'Not found', `No published scheme with id ${ctx.params.schemeId}`);
  }
  const body = ctx.isForm && fields.language === '' ? { ...fields, language: undefined } : fields;
  const parsed = SubscriptionInput.safeParse(body);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    if (ctx.isForm) {
      const pageErrors: PageError[] = errors.some((e) => e.field === 'email') ? [{ field: 'email', message: emailMessage(lang) }] : [{ field: '', message: emailMessage(lang) }];
      return htmlResponse(400, schemePage({ lang, scheme: v, form: { schemeId: v.scheme.id, email: str(fields.email), errors: pageErrors } }));
    }
    return invalidBodyProblem(errors);
  }
  await requestSubscription({ kind: 'scheme', id: v.scheme.id }, parsed.data);
  // A form post is answered with a redirect to a page that says "check your email" (Post/Redirect/Get), so a reload does not post again.
  if (ctx.isForm) return seeOther(withLang(schemePaths.one(v.scheme.id), { sent: '1' }, lang));
  return json(202, { status: 'pending_confirmation' }, { 'cache-control': 'no-store' });
}

// ---------------------------------------------------------------------------------------------
// Confirm and unsubscribe links

/** A subscription link's subscription, and what it is to (a scheme or a series), by name. */
type Resolved = { ok: true; subscription: Subscription; target: TargetInfo; token: string } | { ok: false; problem: SubscriptionLinkProblem };

async function resolve(ctx: RouteContext, purpose: TokenPurpose): Promise<Resolved> {
  const token = tokenOf(ctx);
  if (!token) return { ok: false, problem: 'malformed' };
  const v = verifyToken(await tokenSecret(), token, purpose, Math.floor(now().getTime() / 1000));
  if (!v.ok) return { ok: false, problem: v.reason };
  const ref = parseSubscriptionSub(v.payload.sub);
  if (!ref) return { ok: false, problem: 'malformed' };
  const [subscription, target] = await Promise.all([getSubscription(ref.target, ref.id), targetInfo(ref.target)]);
  if (!subscription || !target) return { ok: false, problem: 'not-found' };
  return { ok: true, subscription, target, token };
}

function linkProblem(ctx: RouteContext, problem: SubscriptionLinkProblem): HttpResult {
  const status = problem === 'not-found' ? 404 : 400;
  if (wantsJson(ctx)) {
    const detail = problem === 'expired' ? 'The link has expired' : problem === 'not-found' ? 'The subscription no longer exists' : 'The link is not valid';
    return problemJson(status, status === 404 ? 'Not found' : 'Bad link', detail, { reason: problem });
  }
  return htmlResponse(status, subscriptionLinkProblemPage(langOf(ctx), problem));
}

const unsubscribeTokenFor = (s: Subscription) => tokenFor('unsubscribe', subscriptionSub(s));
/** For a scheme: the sessions its confirmation page promises news of (none for a series). */
const promisedFor = (s: Subscription) => (s.target.kind === 'scheme' ? schemePromisedSessions(s.target.id, now()) : Promise.resolve([]));

export async function confirmPageRoute(ctx: RouteContext): Promise<HttpResult> {
  const r = await resolve(ctx, 'confirm-subscription');
  if (!r.ok) return linkProblem(ctx, r.problem);
  const s = r.subscription;
  const lang = langOf(ctx, s.language);
  const name = r.target.name(lang);
  if (s.status === 'confirmed') return htmlResponse(200, subscriptionConfirmedPage(lang, name, true, await unsubscribeTokenFor(s), r.target.kind, await promisedFor(s)));
  if (s.status === 'unsubscribed') return htmlResponse(200, subscriptionEndedPage(lang, name));
  return htmlResponse(200, confirmSubscriptionPage(lang, name, s.email, r.token));
}

export async function confirmRoute(ctx: RouteContext): Promise<HttpResult> {
  const r = await resolve(ctx, 'confirm-subscription');
  if (!r.ok) return linkProblem(ctx, r.problem);
  const outcome = await confirmSubscription(r.subscription.target, r.subscription.id, now().toISOString());
  if (outcome.result === 'not-found') return linkProblem(ctx, 'not-found');
  const s = outcome.subscription ?? r.subscription;
  if (outcome.result === 'confirmed') {
    await publish({ event: SubscriptionConfirmed, detail: { version: 1, subscriptionId: s.id, target: s.target } });
  }
  const lang = langOf(ctx, s.language);
  const name = r.target.name(lang);
  if (wantsJson(ctx)) {
    const status = outcome.result === 'unsubscribed' ? 409 : 200;
    return json(status, { status: outcome.result === 'unsubscribed' ? 'unsubscribed' : 'confirmed', alreadyConfirmed: outcome.result === 'already-confirmed' }, { 'cache-control': 'no-store' });
  }
  if (outcome.result === 'unsubscribed') return htmlResponse(409, subscriptionEndedPage(lang, name));
  const page = subscriptionConfirmedPage(lang, name, outcome.result === 'already-confirmed', await unsubscribeTokenFor(s), r.target.kind, await promisedFor(s));
  return htmlResponse(200, page);
}

export async function unsubscribePageRoute(ctx: RouteContext): Promise<HttpResult> {
  const r = await resolve(ctx, 'unsubscribe');
  if (!r.ok) return linkProblem(ctx, r.problem);
  const s = r.subscription;
  const lang = langOf(ctx, s.language);
  return htmlResponse(200, unsubscribePage(lang, r.target.name(lang), s.email, r.token, s.status === 'unsubscribed'));
}

/** The page's button and the RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) both land here. */
export async function unsubscribeRoute(ctx: RouteContext): Promise<HttpResult> {
  const r = await resolve(ctx, 'unsubscribe');
  if (!r.ok) return linkProblem(ctx, r.problem);
  const out = await unsubscribe(r.subscription.target, r.subscription.id, now().toISOString());
  const lang = langOf(ctx, r.subscription.language);
  if (wantsJson(ctx)) return json(200, { status: 'unsubscribed', alreadyUnsubscribed: !out.changed }, { 'cache-control': 'no-store' });
  return htmlResponse(200, unsubscribedPage(lang, r.target.name(lang), !out.changed));
}
