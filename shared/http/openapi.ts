/**
 * The OpenAPI 3.1 document, generated from the wiring's routes (handed in by the function that serves
 * it: `allRoutes()` of infra/wiring.ts) and the same zod schemas the handlers validate with. Add a
 * route's request schema to `requestBodies` and it appears here.
 */
import * as z from 'zod/mini';
import { routeKey, type RouteSpec } from '../spec.js';
import { catalog } from '../../events/index.js';
import { RegistrationInput, SubscriptionInput } from '../domain/public-inputs.js';
import { CancelInput, DeadlineInput, DeadlineUpdate, RecordingInput, REGISTRANT_COLUMNS, SchemeInput, SeminarInput } from '../domain/admin-inputs.js';

/**
 * A JSON merge patch (RFC 7396) of a body: every field optional, and `null` removes an optional field.
 * Only documentation: the route merges the patch into the record and validates the result with `body`.
 */
function mergePatchOf(body: { shape: Record<string, z.ZodMiniType> }): z.ZodMiniType {
  return z.object(Object.fromEntries(Object.entries(body.shape).map(([k, v]) => [k, z.optional(z.nullable(v))])));
}

/** Routes whose body is a merge patch: `application/merge-patch+json`, and `application/json` too. */
const mergePatchRoutes = new Set(['PATCH /admin/seminars/{seminarId}', 'PATCH /admin/schemes/{schemeId}', 'PATCH /admin/deadlines/{deadlineId}']);

const MERGE_PATCH_NOTE =
  ' JSON merge patch (RFC 7396), sent as `application/merge-patch+json` or `application/json`: only the fields to change; a field left out stays as it is, `null` removes an optional field (a required one then fails validation), an object (e.g. `venue`) is merged into the current one, an array replaces the current one. ' +
  'The merged result is validated as the full body of the PUT (errors name the field, 400 problem+json) and has the same effects and events.';

const requestBodies: Record<string, z.ZodMiniType> = {
  'POST /admin/seminars': SeminarInput,
  'PUT /admin/seminars/{seminarId}': SeminarInput,
  'POST /seminars/{seminarId}/registrations': RegistrationInput,
  'POST /admin/events': z.object({ detailType: z.enum(Object.values(catalog).filter((e) => e.ours).map((e) => e.detailType) as [string, ...string[]]), detail: z.record(z.string(), z.unknown()) }),
  'POST /admin/seminars/{seminarId}/recording': RecordingInput,
  'POST /admin/seminars/{seminarId}/cancel': CancelInput,
  'POST /admin/schemes': SchemeInput,
  'PUT /admin/schemes/{schemeId}': SchemeInput,
  'POST /admin/schemes/{schemeId}/deadlines': DeadlineInput,
  'PUT /admin/deadlines/{deadlineId}': DeadlineUpdate,
  'PATCH /admin/seminars/{seminarId}': mergePatchOf(SeminarInput),
  'PATCH /admin/schemes/{schemeId}': mergePatchOf(SchemeInput),
  'PATCH /admin/deadlines/{deadlineId}': mergePatchOf(DeadlineInput),
  'POST /schemes/{schemeId}/subscriptions': SubscriptionInput,
  'POST /series/{seriesId}/subscriptions': SubscriptionInput,
};

/** Longer descriptions where the summary is not enough. */
const descriptions: Record<string, string> = {
  'GET /seminars':
    'JSON `{ items }` by default (also for `Accept: */*` or no Accept): the published seminars that have not ended, by start, cached 10 s. ' +
    'A browser that sends `Accept: text/html` gets the HTML page instead: the upcoming seminars (kind, Oslo time, venue, seats left while seats are on offer, what registration is open for, a link to each registration page) ' +
    'and the past ones of the last 365 days, newest first, with the recording link once published; `?lang=nb` (default) or `en`. Both answers carry `Vary: Accept`.',
  'GET /admin/seminars/{seminarId}/registrations':
    'JSON by default. With `Accept: text/csv` (or `?format=csv`): UTF-8 with a byte-order mark, comma-separated, or semicolon-separated (for Norwegian Excel) with `Accept: text/csv; delimiter=semicolon` or `?sep=semicolon` (`?sep=comma` the default; another name answers 400), CRLF, one row per registration, times in Oslo time with the offset (`2026-12-04T12:00:00+01:00`), columns in this order: ' +
    REGISTRANT_COLUMNS.map(([name, meaning]) => `\`${name}\` (${meaning})`).join(', ') +
    '. Cells that start with = + - @ are prefixed with an apostrophe so spreadsheets do not run them as formulas. ' +
    'Paged (a Lambda answer may not pass 6 MB): JSON `{ seminarId, capacity, seatsTaken, counts, total, items, next? }` holds `limit` registrants (1–1000, default 200) in submission order, from `cursor` (the `next` of the page before) on; `counts`, `total` and each `waitlistPosition` are the whole seminar\'s. ' +
    'The CSV is whole unless `limit` or `cursor` is given (then that page, the next one in `Link: <…>; rel="next"`); a whole export larger than 5 MB answers 400 naming `limit`.',
  'PATCH /admin/seminars/{seminarId}':
    'Moving a seminar is `{ "start": …, "end": … }`.' + MERGE_PATCH_NOTE + ' A scheduled seminar publishes `SeminarUpdated` (a moved start moves every schedule and tells registrants).',
  'PATCH /admin/schemes/{schemeId}': 'Changes a funding scheme.' + MERGE_PATCH_NOTE,
  'PATCH /admin/deadlines/{deadlineId}':
    'Moving a deadline is `{ "deadline": "2027-01-24" }`.' + MERGE_PATCH_NOTE + ' Publishes `ApplicationDeadlineChanged` (`moved` says whether the deadline moved); a closed round answers 409.',
  'GET /admin/people/{email}':
    'Everything stored about an address, found through the person index: `registrations` (seminarId, title, start, end, seminarStatus, status, requestedMode, attendance, `waitlistPlace` now for a waitlisted one, submittedAt, confirmedAt, cancelledAt), `subscriptions` (kind `scheme` or `series`, id, name, status, requestedAt, confirmedAt, unsubscribedAt), `deliveries` (the emails sent: subject, kind, status, sentAt, error) and `suppressed`. 404 when nothing is stored about it.',
  'GET /admin/seminars':
    'Every seminar, drafts and past ones included, by start, each with what a list shows: `status`, `phase` (upcoming, running, ended), `capacity`, `seatsTaken`, `seatsLeft`, `waitlistLength` (from the seminar\'s counters, no query per seminar), `livestream`, `physicalDeadline`, `digitalDeadline`, `seriesId`.',
  'GET /admin/deliveries':
    'The delivery log of a seminar or deadline (`subject`): `summary` (per email kind, the count of each status) and `total` for the whole log, and one page of `items` (by kind, then address; each with `suppressed`, whether its address is suppressed now). `limit` (1–1000, default 1000); `cursor`, the `next` of the page before. `next` while more entries follow.',
  'GET /admin/audit':
    'The audit log of the admin actions that changed something, newest first. Query: `from` (or `since`) and `to`, ISO times (default the last 90 days up to now); `actor` (the JWT subject); `action` (a route key such as `PATCH /admin/seminars/{seminarId}`, or its start, e.g. `PATCH`); `limit` (1–1000, default 200); `cursor`, the `next` of the page before. Answers `{ from, to, items, next? }`, `next` while more entries match.',
  'DELETE /admin/people/{email}':
    'Cancels the person\'s registrations (freeing seats and moving the waitlist up), deletes registrations, subscriptions, suppressions and rate-limit counters, and anonymises delivery-log entries (the address is replaced by a keyed hash). Answers a receipt `{ receiptId, emailHash, erasedAt, counts, total }`; erasing again answers zero counts. The audit log names the person by the hash only.',
  'POST /seminars/{seminarId}/registrations':
    'Rate-limited per client IP and per email address (429 with Retry-After when exceeded), besides the route throttle.',
  'POST /schemes/{schemeId}/subscriptions':
    'Rate-limited per client IP and per email address (429 with Retry-After when exceeded), besides the route throttle.',
  'POST /series/{seriesId}/subscriptions':
    "Double opt-in: 202 `{ status: \"pending_confirmation\" }` and a confirm-your-address email, the same answer for an address that already subscribes. Confirmed subscribers get an email with the registration link when a seminar of the series is scheduled, and the recording link when it is published. The series' name is the `seriesTitle` of its seminars (else the seriesId humanised). 404 unless a seminar of the series is published. Also accepts the form on the registration page (`email`, `language`, `seminarId`), answered with 303 See Other to that page (`?seriesSent=1`) or, without a `seminarId`, to `GET /series/{seriesId}/subscriptions?sent=1`, which say \"check your email\". Rate-limited per client IP and per email address (429 with Retry-After when exceeded), besides the route throttle.",
};

/** Query parameters, where a route takes them in the typed client. */
const queryParameters: Record<string, Array<{ name: string; description: string; schema: Record<string, unknown>; required?: boolean }>> = {
  'GET /admin/deliveries': [
    { name: 'subject', description: 'The seminar id or deadline id', schema: { type: 'string' }, required: true },
    { name: 'limit', description: 'Entries per page (default 1000)', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
    { name: 'cursor', description: 'The `next` of the page before', schema: { type: 'string' } },
  ],
  'GET /admin/seminars/{seminarId}/registrations': [
    { name: 'limit', description: 'Registrants per page (JSON default 200; the CSV is whole without it)', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
    { name: 'cursor', description: 'The `next` of the page before', schema: { type: 'string' } },
    { name: 'format', description: '`csv` for the CSV export', schema: { type: 'string' } },
    { name: 'sep', description: 'CSV separator: `comma` (default) or `semicolon`', schema: { type: 'string', enum: ['comma', 'semicolon'] } },
  ],
};

/** Success responses with their media types, where a route answers more than one. */
const successResponses: Record<string, Record<string, unknown>> = {
  'GET /seminars': {
    '200': {
      description: 'The seminars: JSON for API clients, the HTML list page for `Accept: text/html`',
      headers: { Vary: { description: 'Accept: the answer depends on the Accept header', schema: { type: 'string' } } },
      content: {
        'application/json': { schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object' } } } } },
        'text/html': { schema: { type: 'string' } },
      },
    },
  },
};

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

let cached: unknown;

export function openApiDocument(routes: readonly RouteSpec[]): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [
      ...[...r.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(queryParameters[routeKey(r)] ?? []).map((p) => ({ ...p, in: 'query', required: p.required ?? false })),
    ];
    const body = requestBodies[routeKey(r)];
    paths[r.path] ??= {};
    paths[r.path][r.method.toLowerCase()] = {
      summary: r.summary,
      ...(descriptions[routeKey(r)] ? { description: descriptions[routeKey(r)] } : {}),
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      tags: [r.auth === 'admin' ? 'admin' : 'public'],
      ...(params.length ? { parameters: params } : {}),
      ...(r.auth === 'admin' ? { security: [{ bearer: [] }] } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                (mergePatchRoutes.has(routeKey(r)) ? ['application/merge-patch+json', 'application/json'] : ['application/json']).map((t) => [
                  t,
                  { schema: z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) },
                ]),
              ),
            },
          }
        : {}),
      responses: {
        default: { description: 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        ...(successResponses[routeKey(r)] ?? { '2XX': { description: 'Success' } }),
        ...(r.auth === 'admin' ? { '401': { description: 'No, expired or forged token' }, '403': { description: 'Not in the admins group' } } : {}),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'seminar-events',
      version: '1.0.0',
      description: 'Registrations, notifications and application deadlines for seminars and funding schemes. Times are ISO 8601 with offset, shown in Europe/Oslo.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problem },
    },
    paths,
  };
  return cached;
}
