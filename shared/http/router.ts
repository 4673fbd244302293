/**
 * The HTTP entry shared by the API functions: matches the payload-2.0 route key to a route handler,
 * parses the body (JSON or form post), checks the admins group on admin routes, counts submissions on
 * the rate-limited public write routes (per IP and per address, shared/rate-limits.ts), records admin
 * changes in the audit log, and maps errors to problem+json. Internals never leak: an unexpected error
 * is logged (email addresses masked) and answered with a plain 500.
 *
 * A route's auth and throttling are not written here or in the route table: `routeTable` takes them
 * from the route's declaration in the wiring (infra/wiring.ts), so an admin route cannot lose its
 * group check by drifting.
 */
import type { Context } from 'aws-lambda';
import { $ZodError } from 'zod/v4/core';
import { groupsOfClaim } from './groups.js';
import { ADMIN_GROUP, routeKey, throttlingOf, type RouteAuth, type RouteKeyOf, type RouteSpec, type RouteThrottling } from '../spec.js';
import { lambdaLogKeys, logger, withLogContext } from '../log.js';
import { recordAudit } from '../store/audit.js';
import { checkSubmission, submittedEmail } from '../store/rate-limits.js';
import { rateLimits } from '../rate-limits.js';
import { personHash } from '../person.js';
import { now, nowMs } from '../clock.js';
import { html, HttpProblem, problem, validationProblem } from './responses.js';
import type { Caller, HttpEvent, HttpResult, RouteContext, RouteHandler } from './types.js';
import { multipartBoundary, parseMultipartFields } from './multipart.js';
import { OutOfTime, withDeadline } from '../aws/deadline.js';
import { busyPage, htmlResponse, pickLang } from '../pages/layout.js';

export interface TableRoute {
  handler: RouteHandler;
  auth: RouteAuth;
  throttle: RouteThrottling;
}
export type RouteTable = Record<string, TableRoute>;

/**
 * The route table of a wired function: one handler for each of its routes in the wiring, keyed by
 * route key (a key missing or extra is a compile error), with the auth and throttling the wiring gives
 * each route.
 */
export function routeTable<const R extends readonly RouteSpec[]>(routes: R, handlers: { readonly [K in RouteKeyOf<R>]: RouteHandler }): RouteTable {
  const byKey = handlers as Record<string, RouteHandler>;
  const table: RouteTable = {};
  for (const r of routes) {
    const key = routeKey(r);
    if (typeof byKey[key] !== 'function') throw new Error(`No handler for ${key}`);
    table[key] = { handler: byKey[key], auth: r.auth, throttle: throttlingOf(r) };
  }
  const extra = Object.keys(byKey).filter((k) => !(k in table));
  if (extra.length) throw new Error(`Handlers for routes the wiring does not have: ${extra.join(', ')}`);
  return table;
}

const MAX_BODY_BYTES = 256 * 1024;

function parseBody(event: HttpEvent): { body: unknown; isForm: boolean } {
  if (event.body === undefined || event.body === null || event.body === '') return { body: {}, isForm: false };
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new HttpProblem(413, 'Payload too large', 'The body is larger than 256 KiB');
  const type = (event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(raw)) fields[k] = v;
    return { body: fields, isForm: true };
  }
  const boundary = type.startsWith('multipart/form-data') ? multipartBoundary(event.headers?.['content-type'] ?? event.headers?.['Content-Type'] ?? '') : undefined;
  if (boundary) return { body: parseMultipartFields(raw, boundary), isForm: true };
  try {
    return { body: JSON.parse(raw), isForm: false };
  } catch {
    throw new HttpProblem(400, 'Bad request', 'The body is not valid JSON', [{ field: '(body)', message: 'not valid JSON' }]);
  }
}

function callerOf(event: HttpEvent): Caller | undefined {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) return undefined;
  return { subject: String(claims.sub ?? 'unknown'), groups: groupsOfClaim(claims['cognito:groups']) };
}

/** Path parameters for the audit log; an email address is replaced by its anonymous hash. */
async function auditTargetOf(params: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v.includes('@')) out[`${k}Hash`] = await personHash(v);
    else out[k] = v;
  }
  return out;
}

/** Every admin action that changed something: who, what, when, and the event it published. */
async function audit(event: HttpEvent, caller: Caller, result: HttpResult, target?: Record<string, string>): Promise<void> {
  let eventId: string | undefined;
  try {
    eventId = typeof result.body === 'string' && result.body.startsWith('{') ? (JSON.parse(result.body) as { eventId?: string }).eventId : undefined;
  } catch {
    eventId = undefined;
  }
  await recordAudit({
    at: now().toISOString(),
    who: caller.subject,
    action: event.routeKey,
    target: target ?? (await auditTargetOf((event.pathParameters ?? {}) as Record<string, string>)),
    status: result.statusCode,
    eventId,
  });
}

/** 429 with Retry-After: problem+json, or a short page for a form post from the registration page. */
function tooManyRequests(limit: 'ip' | 'address', retryAfterSeconds: number, isForm: boolean): HttpResult {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const headers = { 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' };
  const detail =
    limit === 'address'
      ? `Too many submissions for this email address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
      : `Too many submissions from your network. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
  if (isForm) {
    const nb = `For mange innsendinger ${limit === 'address' ? 'for denne e-postadressen' : 'fra nettverket ditt'}. Prøv igjen om ${minutes} minutt${minutes === 1 ? '' : 'er'}.`;
    const page = `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>For mange forsøk / Too many requests</title></head><body><main><h1>For mange forsøk</h1><p>${nb}</p><p lang="en">${detail}</p></main></body></html>`;
    return html(429, page, headers);
  }
  const p = problem(new HttpProblem(429, 'Too many requests', detail));
  return { ...p, headers: { ...p.headers, ...headers } };
}

/**
 * 503 with Retry-After when a retry loop would have outlasted the invocation (shared/aws/deadline.ts):
 * a page (nb/en by `?lang`) for a browser, problem+json for an API client.
 */
function outOfTime(event: HttpEvent, err: OutOfTime): HttpResult {
  logger.warn('Out of time for this invocation; answered 503', { routeKey: event.routeKey, error: err });
  const headers = { 'retry-after': String(err.retryAfterSeconds), 'cache-control': 'no-store' };
  const accept = (event.headers?.accept ?? '').toLowerCase();
  if (accept.includes('text/html') || (!accept.includes('json') && event.requestContext.http?.method === 'GET')) {
    return htmlResponse(503, busyPage(pickLang(event.queryStringParameters?.lang), err.retryAfterSeconds), headers);
  }
  const p = problem(
    new HttpProblem(503, 'Service unavailable', `Too many requests are changing the same seminar at once; nothing was changed. Try again in ${err.retryAfterSeconds} seconds.`),
  );
  return { ...p, headers: { ...p.headers, ...headers } };
}

/** Every id we hand out matches this (see shared/ids.ts and events/define.ts `Id`). */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,100}$/;

export function createHttpHandler(routes: RouteTable) {
  const base = async (event: HttpEvent, _context?: Context): Promise<HttpResult> => {
    const route = routes[event.routeKey];
    if (!route) return problem(new HttpProblem(404, 'Not found', `No route ${event.routeKey}`));
    // An id that cannot exist (wrong characters, 5,000 characters) is simply not found; it never
    // reaches DynamoDB, whose key limits would answer with an error.
    const badId = Object.entries(event.pathParameters ?? {}).find(([k, v]) => k.endsWith('Id') && !ID_SHAPE.test(String(v)));
    if (badId) return problem(new HttpProblem(404, 'Not found', `No such ${badId[0].replace(/Id$/, '')}`));
    try {
      const caller = callerOf(event);
      if (route.auth === 'admin') {
        // The JWT authorizer (on AWS) or the local gateway has verified the token; the group is ours to check.
        if (!caller) return problem(new HttpProblem(401, 'Unauthorized', 'A bearer token is required'));
        if (!caller.groups.includes(ADMIN_GROUP)) {
          return problem(new HttpProblem(403, 'Forbidden', `Only members of the ${ADMIN_GROUP} group may do this`));
        }
      }
      const { body, isForm } = parseBody(event);
      if (route.throttle === 'write') {
        // Per client IP and per email address (shared/rate-limits.ts), before any email can go out.
        const sourceIp = event.requestContext.http?.sourceIp ?? 'unknown';
        const limited = await checkSubmission({ ip: sourceIp, email: submittedEmail(body) }, rateLimits(), nowMs());
        if (!limited.ok) return tooManyRequests(limited.limit, limited.retryAfterSeconds, isForm);
      }
      const ctx: RouteContext = {
        event,
        params: (event.pathParameters ?? {}) as Record<string, string>,
        query: (event.queryStringParameters ?? {}) as Record<string, string>,
        body,
        isForm,
        caller,
        sourceIp: event.requestContext.http?.sourceIp ?? 'unknown',
      };
      const result = await route.handler(ctx);
      if (route.auth === 'admin' && event.requestContext.http.method !== 'GET' && result.statusCode < 400) {
        await audit(event, caller!, result, ctx.auditTarget);
      }
      return result;
    } catch (err) {
      if (err instanceof HttpProblem) return problem(err);
      if (err instanceof OutOfTime) return outOfTime(event, err);
      if (err instanceof $ZodError) return problem(validationProblem(err));
      logger.error('Unhandled error', { routeKey: event.routeKey, error: err as Error });
      return problem(new HttpProblem(500, 'Internal error', 'Something went wrong on our side. Please try again later.'));
    }
  };
  // Every line logged while a request is handled names the function, the request and the route.
  return (event: HttpEvent, context?: Context): Promise<HttpResult> =>
    withLogContext({ ...lambdaLogKeys(context), correlation_id: event.requestContext?.requestId, route_key: event.routeKey }, () =>
      withDeadline(context, () => base(event, context)),
    );
}
