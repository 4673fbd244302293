/**
 * Public routes for seminars: the list (JSON, or the page of upcoming and past seminars for a browser
 * that asks for `text/html`) and one seminar, never the streaming URL.
 */
import { getSeminar, listSeminars } from '../store/seminars.js';
import { publicSeminar } from '../domain/seminar-rules.js';
import { registrationState, seminarPhase } from '../domain/registration-lifecycle.js';
import { now } from '../clock.js';
import { json, notFound } from '../http/responses.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { htmlResponse, pickLang } from '../pages/layout.js';
import { seminarsPage } from '../pages/seminars.js';

/** A browser asks for HTML; API clients (Accept: application/json, none, or curl's `*\/*`) get JSON. */
const wantsHtml = (ctx: RouteContext) => (ctx.event.headers?.accept ?? '').toLowerCase().includes('text/html');

/** How far back the page lists past seminars. */
const PAST_WINDOW_DAYS = 365;
/** How far back the JSON list looks for seminars that started and have not ended (it lists no past ones). */
const RUNNING_WINDOW_DAYS = 7;

/** Scheduled seminars that started at most `days` ago, by start. */
async function scheduledSeminars(at: Date, days: number) {
  return (await listSeminars(new Date(at.getTime() - days * 24 * 3600_000).toISOString())).filter((s) => s.status === 'scheduled');
}

export async function listPublicSeminarsRoute(ctx: RouteContext): Promise<HttpResult> {
  if (wantsHtml(ctx)) return seminarsPageRoute(ctx);
  const at = now();
  // Upcoming = not yet ended (registration-lifecycle.ts `seminarPhase`); list by start.
  const items = (await scheduledSeminars(at, RUNNING_WINDOW_DAYS))
    .filter((s) => seminarPhase(s, at) !== 'ended')
    .map((s) => {
      const { program: _p, speakers: _s, contacts: _c, description: _d, ...summary } = publicSeminar(s, at);
      return summary;
    });
  return json(200, { items }, { 'cache-control': 'public, max-age=10', vary: 'accept' });
}

/** The page: upcoming seminars (not yet ended, soonest first) and past ones (ended, newest first, a year back). */
async function seminarsPageRoute(ctx: RouteContext): Promise<HttpResult> {
  const lang = pickLang(ctx.query.lang);
  const at = now();
  const scheduled = await scheduledSeminars(at, PAST_WINDOW_DAYS);
  const upcoming = scheduled.filter((s) => seminarPhase(s, at) !== 'ended').map((seminar) => ({ seminar, state: registrationState(seminar, at) }));
  const past = scheduled.filter((s) => seminarPhase(s, at) === 'ended').reverse();
  return htmlResponse(200, seminarsPage({ lang, upcoming, past }), { vary: 'accept' });
}

export async function getPublicSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  const s = await getSeminar(ctx.params.seminarId ?? '');
  if (!s || s.status === 'draft') throw notFound(`No published seminar with id ${ctx.params.seminarId}`);
  return json(200, publicSeminar(s, now()), { 'cache-control': 'public, max-age=10' });
}
