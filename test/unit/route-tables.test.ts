/**
 * The HTTP route tables (functions/http/*-api.ts) against the wiring: every route of a wired function
 * is in its function's table with the auth and throttling the wiring declares, and nothing else is; an
 * admin route refuses a caller without a token or outside the admins group in the function itself (the
 * JWT authorizer cannot check the group). The tables are typed against the wiring, so a key missing or
 * extra does not compile (the `@ts-expect-error` lines below fail the type check if it would).
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions, routeKey, throttlingOf, wired } from '../../infra/wiring.js';
import { ADMIN_GROUP, type RouteKeyOf } from '../../shared/spec.js';
import { routeTable, type RouteTable } from '../../shared/http/router.js';
import type { HttpEvent, HttpResult, RouteHandler } from '../../shared/http/types.js';

const ROOT = resolve(import.meta.dirname, '../..');
const http = functions.filter((f) => f.routes?.length);

interface HttpEntry {
  routes: RouteTable;
  handler: (event: HttpEvent, context: unknown) => Promise<HttpResult>;
}
const entryOf = async (entry: string) => (await import(join(ROOT, entry))) as HttpEntry;

/** A payload-2.0 event for a route, with the claims of a caller in `groups` (none: no token). */
function eventFor(method: string, path: string, groups?: string[]): HttpEvent {
  const key = `${method} ${path}`;
  const pathParameters = Object.fromEntries([...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => [m[1], m[1] === 'email' ? 'a@example.no' : 'abc123']));
  return {
    version: '2.0',
    routeKey: key,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    pathParameters,
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'test',
      routeKey: key,
      stage: '$default',
      timeEpoch: Date.now(),
      ...(groups ? { authorizer: { jwt: { claims: { sub: 'tester', 'cognito:groups': `[${groups.join(' ')}]` }, scopes: [] } } } : {}),
    },
  } as unknown as HttpEvent;
}

describe('route tables and the wiring', () => {
  it('each HTTP function’s table has exactly its wiring routes, each with the wiring’s auth and throttling', async () => {
    expect(http.map((f) => f.name).sort()).toEqual(['admin-api', 'public-api']);
    for (const f of http) {
      const { routes } = await entryOf(f.entry);
      expect(Object.keys(routes).sort(), f.name).toEqual(f.routes!.map(routeKey).sort());
      for (const r of f.routes!) {
        const entry = routes[routeKey(r)];
        expect({ auth: entry.auth, throttle: entry.throttle }, `${f.name} ${routeKey(r)}`).toEqual({ auth: r.auth, throttle: throttlingOf(r) });
        expect(typeof entry.handler, routeKey(r)).toBe('function');
      }
    }
  });

  it('every admin route is refused by its function without a token (401) and outside the admins group (403), a comma-named group included', async () => {
    let checked = 0;
    for (const f of http) {
      const { handler } = await entryOf(f.entry);
      for (const r of f.routes!.filter((x) => x.auth === 'admin')) {
        const anonymous = await handler(eventFor(r.method, r.path), {});
        expect(anonymous.statusCode, `${routeKey(r)} without a token`).toBe(401);
        const comma = await handler(eventFor(r.method, r.path, ['readers,admins']), {});
        expect(comma.statusCode, `${routeKey(r)} in the group "readers,admins"`).toBe(403);
        const outsider = await handler(eventFor(r.method, r.path, ['editors']), {});
        expect(outsider.statusCode, `${routeKey(r)} outside ${ADMIN_GROUP}`).toBe(403);
        expect(JSON.parse(String(outsider.body)).detail).toContain(ADMIN_GROUP);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(19);
  });

  it('a table takes auth and throttling from the routes it is built for, and refuses handlers for routes they lack', () => {
    const handler: RouteHandler = async () => ({ statusCode: 204 });
    const routes = [
      { method: 'POST', path: '/forms/{formId}/answers', auth: 'public', throttle: 'write', summary: 'Answer' },
      { method: 'GET', path: '/admin/forms', auth: 'admin', summary: 'Forms' },
    ] as const;
    expect(routeTable(routes, { 'POST /forms/{formId}/answers': handler, 'GET /admin/forms': handler })).toEqual({
      'POST /forms/{formId}/answers': { handler, auth: 'public', throttle: 'write' },
      'GET /admin/forms': { handler, auth: 'admin', throttle: 'stage' },
    });
    const loose: Record<string, RouteHandler> = { 'GET /admin/forms': handler, 'POST /forms/{formId}/answers': handler, 'GET /elsewhere': handler };
    expect(() => routeTable(routes, loose as never)).toThrow(/GET \/elsewhere/);
    expect(() => routeTable(routes, { 'GET /admin/forms': handler } as never)).toThrow(/POST \/forms\/\{formId\}\/answers/);
  });
});

/** Compile-time checks only (never called): a table must name every route of its wiring entry and no other. */
export function typeChecks(handler: RouteHandler): void {
  const adminRoutes = wired('admin-api').routes;
  const everyAdminRoute = {} as Record<RouteKeyOf<typeof adminRoutes>, RouteHandler>;
  routeTable(adminRoutes, everyAdminRoute);
  // @ts-expect-error a route of the wiring without a handler
  routeTable(adminRoutes, { 'GET /openapi.json': handler });
  // @ts-expect-error a handler for a route the wiring does not have
  routeTable(adminRoutes, { ...everyAdminRoute, 'GET /admin/unwired': handler });
}
