/**
 * Local API Gateway (HTTP API): matches a request to a wiring route, throttles it per client address
 * (write routes) and then as the stage and its route settings do, checks the JWT on admin routes as the authorizer would, builds the payload-2.0
 * event and calls the handler in-process.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import type { RouteThrottle } from '../../shared/rate-limits.js';
import { allRoutes, routeKey, throttlingOf, type RouteSpec } from '../wiring.js';
import { readBody, send } from './http.js';
import type { LocalRuntime } from './runtime.js';

export interface CompiledRoute {
  spec: RouteSpec & { functionName: string };
  key: string;
  regex: RegExp;
  params: string[];
}

export function compileRoutes(functions: LocalRuntime['functions']): CompiledRoute[] {
  return allRoutes(functions).map((spec) => {
    const params: string[] = [];
    const pattern = spec.path
      .split('/')
      .map((seg) => {
        const m = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(seg);
        if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        params.push(m[1]);
        return m[2] ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return { spec, key: routeKey(spec), regex: new RegExp(`^${pattern}$`), params };
  });
}

/** Literal segments win over parameters, as in API Gateway. */
export function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  const candidates = routes
    .filter((r) => r.spec.method === method)
    .map((r) => ({ r, m: r.regex.exec(path) }))
    .filter((x) => x.m)
    .sort((a, b) => a.r.params.length - b.r.params.length);
  const hit = candidates[0];
  if (!hit) return undefined;
  const pathParameters: Record<string, string> = {};
  hit.r.params.forEach((p, i) => {
    try {
      pathParameters[p] = decodeURIComponent(hit.m![i + 1]);
    } catch {
      pathParameters[p] = hit.m![i + 1];
    }
  });
  return { route: hit.r, pathParameters };
}

export function buildEvent(args: {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  route: CompiledRoute;
  pathParameters: Record<string, string>;
  claims?: JWTPayload;
  sourceIp: string;
}) {
  const { req, url, body, route } = args;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const cookies = headers.cookie ? headers.cookie.split(/;\s*/) : undefined;
  const isText = /^(application\/(json|x-www-form-urlencoded|problem\+json)|text\/)/.test(headers['content-type'] ?? 'text/plain');
  const now = new Date();
  const claims = args.claims
    ? Object.fromEntries(
        Object.entries(args.claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)]),
      )
    : undefined;
  return {
    version: '2.0',
    routeKey: route.key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(args.pathParameters).length ? args.pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: args.sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: route.key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/**
 * The client's address, as API Gateway's `requestContext.http.sourceIp`: the peer of the TCP
 * connection, never a header (X-Forwarded-For and the like are the client's to write, so trusting them
 * would let a flooder pick a fresh address per request). IPv4 peers on a dual-stack socket are shown
 * as plain IPv4, as API Gateway does.
 */
export function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '127.0.0.1';
  return peer.startsWith('::ffff:') && peer.includes('.') ? peer.slice('::ffff:'.length) : peer;
}

/**
 * The answer of a throttled request. API Gateway answers `429 {"message":"Too Many Requests"}`; the
 * local gateway answers the same status as problem+json with a Retry-After, which clients should
 * handle the same way. `limit`: the route's shared bucket, or the client address's own.
 */
export function throttledResponse(retryAfterSeconds: number, limit: 'route' | 'ip' = 'route') {
  const what = limit === 'ip' ? 'This route is receiving more requests from your address than it accepts' : 'This route is receiving more requests than it accepts';
  return {
    status: 429,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'retry-after': String(retryAfterSeconds) },
    body: {
      type: 'about:blank',
      title: 'Too many requests',
      status: 429,
      detail: `${what}. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
      message: 'Too Many Requests',
    },
  };
}

export interface ApiGatewayOptions {
  runtime: LocalRuntime;
  /** API Gateway's stage and route throttling, with the numbers the stack uses. */
  throttle: RouteThrottle;
  /** The JWT authorizer: the token's claims, or undefined when it is missing or invalid. */
  verify: (authorization: string | undefined) => Promise<JWTPayload | undefined>;
  /** Requests under /_local/ (the local control API). */
  control: (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) => Promise<void>;
  /** Requests for /console and /console/* (the built console, infra/local/console.ts). */
  console?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  log: (line: string) => void;
}

export function createApiGateway(o: ApiGatewayOptions): Server {
  const routes = compileRoutes(o.runtime.functions);
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req, 10 * 1024 * 1024);
      if (url.pathname.startsWith('/_local/')) return await o.control(req, res, url, body);
      if (o.console && (url.pathname === '/console' || url.pathname.startsWith('/console/'))) return await o.console(req, res, url);
      const hit = matchRoute(routes, req.method ?? 'GET', url.pathname);
      if (!hit) return send(res, 404, { message: 'Not Found' });
      const sourceIp = clientAddress(req);
      // The client address's bucket first: a request refused for its address takes nothing from the route's shared one.
      const gate = o.throttle.take(hit.route.key, throttlingOf(hit.route.spec), Date.now(), sourceIp);
      if (!gate.ok) {
        const t = throttledResponse(gate.retryAfterSeconds, gate.limit);
        return send(res, t.status, t.body, t.headers);
      }
      let claims;
      if (hit.route.spec.auth === 'admin') {
        claims = await o.verify(req.headers.authorization);
        if (!claims) return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      }
      const event = buildEvent({ req, url, body, route: hit.route, pathParameters: hit.pathParameters, claims, sourceIp });
      const result = (await o.runtime.invoke(o.runtime.spec(hit.route.spec.functionName), event)) as {
        statusCode?: number;
        headers?: Record<string, string>;
        body?: string;
        isBase64Encoded?: boolean;
        cookies?: string[];
      };
      const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
      if (result.cookies?.length) headers['set-cookie'] = result.cookies;
      res.writeHead(result.statusCode ?? 200, headers);
      res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
    } catch (err) {
      o.log(`[api] ${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) send(res, (err as { status?: number }).status ?? 500, { message: 'Internal Server Error' });
      else res.end();
    }
  });
}
