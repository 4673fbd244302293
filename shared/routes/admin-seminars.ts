/** Admin routes for seminars: create, list, update, schedule. Thin: parse, call the store/bus, map. */
import type { Registration, Seminar } from '../domain/model.js';
import { registrationPages } from '../store/registrations.js';
import { toCsv } from '../csv.js';
import { seminarListing } from '../domain/seminar-listing.js';
import { exportDelimiter, registrantRow, wantsCsv } from '../domain/registrant-export.js';
import { createSeminar, getSeminar, listSeminars, replaceSeminar } from '../store/seminars.js';
import { publish } from '../aws/publisher.js';
import { SeminarCancelled, SeminarRecordingPublished, SeminarScheduled, SeminarUpdated } from '../../events/index.js';
import { newId } from '../ids.js';
import { now } from '../clock.js';
import { badRequest, conflict, json, notFound, validationProblem } from '../http/responses.js';
import { applyPatch, pickFields, withoutFields } from '../domain/merge-patch.js';
import type { RouteContext, HttpResult } from '../http/types.js';
import { JOINED_SERIES_FIELD, sameInstant } from '../domain/seminar-rules.js';
import { waitlistPlaces } from '../domain/registration-lifecycle.js';
import { CancelInput, RecordingInput, REGISTRANTS_PAGE, registrantColumnNames, SeminarInput } from '../domain/admin-inputs.js';
import { countSubscriptions } from '../store/subscriptions.js';
import * as z from 'zod/mini';
import { pageAfter, timeIdCursorKey } from '../domain/cursor.js';

export async function createSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  const parsed = SeminarInput.safeParse(ctx.body);
  if (!parsed.success) throw validationProblem(parsed.error);
  const at = now().toISOString();
  const seminar: Seminar = { ...parsed.data, id: newId(), status: 'draft', seatsTaken: 0, sequence: 0, createdAt: at, updatedAt: at };
  await createSeminar(seminar);
  return json(201, seminar, { location: `/admin/seminars/${seminar.id}` });
}

export async function listSeminarsAdminRoute(): Promise<HttpResult> {
  const at = now();
  return json(200, { items: (await listSeminars()).map((s) => seminarListing(s, at)) });
}

async function load(ctx: RouteContext): Promise<Seminar> {
  const s = await getSeminar(ctx.params.seminarId ?? '', true);
  if (!s) throw notFound(`No seminar with id ${ctx.params.seminarId}`);
  return s;
}

/** One seminar, all fields; for a seminar in a series also the series' subscriber counts by status. */
export async function getSeminarAdminRoute(ctx: RouteContext): Promise<HttpResult> {
  const s = await load(ctx);
  const seriesSubscribers = s.seriesId ? await countSubscriptions({ kind: 'series', id: s.seriesId }) : undefined;
  return json(200, { ...s, seriesSubscribers });
}

/** Fields whose change registrants should hear about. */
const visibleFields = ['title', 'start', 'end', 'venue', 'doorsOpen'] as const;

/** JSON with object keys sorted: DynamoDB does not keep a map's key order, so a stored venue compares equal. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );

export async function updateSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  return applySeminarBody(await load(ctx), ctx.body);
}

/** `PATCH`: the changed fields only (RFC 7396), merged into the seminar's editable fields, then as the PUT. */
export async function patchSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  const current = await load(ctx);
  const patched = applyPatch(pickFields(current, Object.keys(SeminarInput.shape)), ctx.body);
  if (!patched.ok) throw badRequest('The body is not a merge patch', [{ field: '(body)', message: patched.message }]);
  return applySeminarBody(current, patched.merged, patched.removed);
}

/** A full body replaces the seminar's editable fields: validated, stored if unchanged meanwhile, SeminarUpdated if scheduled. */
async function applySeminarBody(current: Seminar, body: unknown, removed: readonly string[] = []): Promise<HttpResult> {
  if (current.status === 'cancelled') throw conflict('The seminar is cancelled and cannot be changed');
  const parsed = SeminarInput.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error);
  const input = parsed.data;
  if (input.capacity < current.seatsTaken) {
    throw validationProblem(
      { issues: [{ path: ['capacity'], message: `must be at least the ${current.seatsTaken} seats already taken` }] },
    );
  }
  const changed = visibleFields.filter((f) => canonical(input[f]) !== canonical(current[f]) && !(f === 'start' || f === 'end' ? sameInstant(String(input[f]), String(current[f])) : false));
  const updated: Seminar = {
    ...withoutFields(current, removed),
    ...input,
    sequence: current.sequence + (changed.length > 0 ? 1 : 0),
    updatedAt: now().toISOString(),
  };
  // The stored truth of a move, which the handlers read (never the event's previousStart).
  if (!sameInstant(updated.start, current.start)) updated.lastMove = { from: current.start, sequence: updated.sequence };
  if (!(await replaceSeminar(updated, current.updatedAt))) throw conflict('The seminar was changed by someone else; read it again and retry');
  let eventId: string | undefined;
  if (current.status === 'scheduled') {
    // Joining a series (or moving to another) is no news for registrants, but the series' subscribers
    // hear of the seminar as new (notify-series-subscribers).
    const joinedSeries = Boolean(updated.seriesId) && updated.seriesId !== current.seriesId;
    [eventId] = await publish({
      event: SeminarUpdated,
      detail: { version: 1, seminarId: updated.id, start: updated.start, previousStart: current.start, changedFields: [...changed, ...(joinedSeries ? [JOINED_SERIES_FIELD] : [])] },
    });
  }
  return json(200, { ...updated, eventId });
}

export async function scheduleSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  const s = await load(ctx);
  if (s.status === 'cancelled') throw conflict('The seminar is cancelled');
  if (Date.parse(s.end) <= now().getTime()) throw conflict('The seminar has already ended');
  const [eventId] = await publish({
    event: SeminarScheduled,
    detail: { version: 1, seminarId: s.id, start: s.start, seriesId: s.seriesId },
  });
  return json(202, { status: 'scheduling', seminarId: s.id, eventId });
}

export async function cancelSeminarRoute(ctx: RouteContext): Promise<HttpResult> {
  const s = await load(ctx);
  const body = CancelInput.safeParse(ctx.body ?? {});
  if (!body.success) throw validationProblem(body.error);
  if (s.status === 'cancelled') throw conflict('The seminar is already cancelled');
  const reason = body.data.reason?.trim();
  const updated: Seminar = { ...s, status: 'cancelled', sequence: s.sequence + 1, ...(reason ? { cancellationReason: reason } : {}), updatedAt: now().toISOString() };
  if (!(await replaceSeminar(updated, s.updatedAt))) throw conflict('The seminar was changed by someone else; retry');
  const [eventId] = await publish({ event: SeminarCancelled, detail: { version: 1, seminarId: s.id, reason: updated.cancellationReason } });
  return json(202, { status: 'cancelled', seminarId: s.id, eventId });
}

export async function publishRecordingRoute(ctx: RouteContext): Promise<HttpResult> {
  const s = await load(ctx);
  const body = RecordingInput.safeParse(ctx.body);
  if (!body.success) throw validationProblem(body.error);
  if (s.status !== 'scheduled') throw conflict('Only a scheduled seminar can get a recording');
  // A different URL corrects the one published before: its emails say so (and go out under the new URL's kind).
  const corrected = s.recordingUrl && s.recordingUrl !== body.data.url ? s.recordingUrl : s.correctedRecordingUrl;
  const updated: Seminar = { ...s, recordingUrl: body.data.url, ...(corrected ? { correctedRecordingUrl: corrected } : {}), updatedAt: now().toISOString() };
  if (!(await replaceSeminar(updated, s.updatedAt))) throw conflict('The seminar was changed by someone else; retry');
  const [eventId] = await publish({ event: SeminarRecordingPublished, detail: { version: 1, seminarId: s.id, url: body.data.url } });
  return json(202, { status: 'recording-published', seminarId: s.id, eventId });
}

/** Columns of the registrant export, in order (described in shared/domain/admin-inputs.ts and the OpenAPI document). */
export const registrantColumns = registrantColumnNames;

/**
 * Page sizes of the registrant list. A Lambda response may not pass 6 MB (about 15,000 registrants at
 * ~380 B each in one JSON answer): JSON comes in pages of `limit` (default 200, at most 1,000 ≈ 400 kB)
 * with a `next` cursor; the CSV (~150 B a row) comes whole while it fits in `CSV_MAX_BYTES`, else it is
 * refused with a 400 that says to page it with the same `limit` and `cursor` (`Link: <…>; rel="next"`).
 */
export const CSV_MAX_BYTES = 5_000_000;

const RegistrantsQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(REGISTRANTS_PAGE.max))),
  cursor: z.optional(z.string().check(z.refine((c) => timeIdCursorKey(c) !== undefined, 'the next of the page before'))),
});

/** The answer's size as Lambda counts it: the JSON of the whole response, body escaped. */
const responseBytes = (body: string) => Buffer.byteLength(JSON.stringify(body), 'utf8') + 512;

export async function listRegistrationsRoute(ctx: RouteContext): Promise<HttpResult> {
  const q = RegistrantsQuery.safeParse({ limit: ctx.query.limit, cursor: ctx.query.cursor });
  if (!q.success) throw validationProblem(q.error, 'query');
  const s = await load(ctx);
  const all: Array<Registration & { waitlistPosition?: number }> = [];
  for await (const page of registrationPages(s.id)) all.push(...page);
  // Places in the waitlist's own order (registration-lifecycle.ts), as the registrants were told them.
  const places = waitlistPlaces(all);
  for (const r of all) if (places.has(r.id)) r.waitlistPosition = places.get(r.id);
  const waitlist = all.filter((r) => places.has(r.id));
  // Every page reads the whole list (counts and waitlist places are the seminar's, not the page's) and
  // answers its slice in submission order; the cursor is the last one's place in that order.
  const after = q.data.cursor ? timeIdCursorKey(q.data.cursor) : undefined;
  const placeOf = (r: Registration) => ({ at: r.submittedAt, id: r.id });
  const accept = ctx.event.headers?.accept ?? ctx.event.headers?.Accept ?? '';
  if (wantsCsv(accept, ctx.query.format)) {
    const sep = exportDelimiter(accept, ctx.query.sep);
    if (!sep.ok) throw badRequest('Unknown CSV separator', [{ field: sep.field, message: sep.message }]);
    const paged = q.data.limit !== undefined || after !== undefined;
    const page = pageAfter(all, placeOf, paged ? (q.data.limit ?? REGISTRANTS_PAGE.default) : all.length, after);
    const body = toCsv(registrantColumns, page.items.map(registrantRow), sep.delimiter);
    if (responseBytes(body) > CSV_MAX_BYTES) {
      throw badRequest(`The export of ${page.items.length} registrants is larger than one answer may be (${CSV_MAX_BYTES / 1e6} MB); fetch it in pages`, [
        { field: 'limit', message: `ask for at most ${REGISTRANTS_PAGE.max} rows at a time (?limit=), then follow the Link header's next page (?cursor=)` },
      ]);
    }
    const next = page.next ? `<?${new URLSearchParams({ ...ctx.query, limit: String(q.data.limit ?? REGISTRANTS_PAGE.default), cursor: page.next }).toString()}>; rel="next"` : undefined;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="registrations-${s.id}.csv"`,
        vary: 'Accept',
        ...(next ? { link: next } : {}),
      },
      body,
    };
  }
  const counts = {
    physical: all.filter((r) => r.status === 'confirmed' && r.attendance === 'physical').length,
    digital: all.filter((r) => r.status === 'confirmed' && r.attendance === 'digital').length,
    waitlisted: waitlist.length,
    pending: all.filter((r) => r.status === 'pending').length,
    cancelled: all.filter((r) => r.status === 'cancelled').length,
  };
  const page = pageAfter(all, placeOf, q.data.limit ?? REGISTRANTS_PAGE.default, after);
  return json(200, { seminarId: s.id, capacity: s.capacity, seatsTaken: s.seatsTaken, counts, total: all.length, items: page.items, ...(page.next ? { next: page.next } : {}) });
}
