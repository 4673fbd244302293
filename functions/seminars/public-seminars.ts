/** Public routes for seminars: the list and one seminar, never the streaming URL. */
import { getSeminar, listSeminars } from '../../shared/store/seminars.js';
import { publicSeminar } from '../../shared/domain/seminar-rules.js';
import { now } from '../../shared/clock.js';
import { json, notFound } from '../../shared/http/responses.js';
import type { HttpResult, RouteContext } from '../../shared/http/types.js';

export async function listPublicSeminarsRoute(): Promise<HttpResult> {
  const at = now();
  // Upcoming = not yet ended; list by start.
  const all = await listSeminars(new Date(at.getTime() - 7 * 24 * 3600_000).toISOString());
  const items = all
    .filter((s) => s.status === 'scheduled' && Date.parse(s.end) > at.getTime())
    .map((s) => {
      const { program: _p, speakers: _s, contacts: _c, description: _d, ...summary } = publicSeminar(s, at);
      return summary;
    });
  return json(200, { items }, { 'cache-control': 'public, max-age=10' });
}

export async function getPublicSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  const s = await getSeminar(ctx.params.seminarId ?? '');
  if (!s || s.status === 'draft') throw notFound(`No published seminar with id ${ctx.params.seminarId}`);
  return json(200, publicSeminar(s, now()), { 'cache-control': 'public, max-age=10' });
}
