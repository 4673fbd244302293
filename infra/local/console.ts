/**
 * The console locally: the built files of console/dist at ${API}/console/, same origin as the API, with
 * the headers CloudFront sends on AWS (the CSP and security headers of infra/console-headers.ts) and a
 * generated config.json pointing at the stand-in sign-in (infra/local/oauth.ts). Until the console is
 * built, a 503 page says how (npm start builds it first: infra/console-build.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { CONSOLE_DIST } from '../console-build.js';
import { CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy, type ConsoleConfig } from '../console-headers.js';
import { LOCAL_CLIENT_ID, localAuthBaseUrl, localConsoleUrl } from './oauth.js';

export const CONSOLE_PATH = '/console';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function localConsoleConfig(apiUrl: string): ConsoleConfig {
  return { apiBaseUrl: '', authBaseUrl: localAuthBaseUrl(apiUrl), clientId: LOCAL_CLIENT_ID, redirectUri: localConsoleUrl(apiUrl), logoutUri: localConsoleUrl(apiUrl) };
}

function headers(apiUrl: string, type: string): Record<string, string> {
  return {
    'content-type': type,
    'content-security-policy': consoleContentSecurityPolicy(new URL(localAuthBaseUrl(apiUrl)).origin),
    ...CONSOLE_SECURITY_HEADERS,
  };
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console not built</title></head>
<body><main><h1>The console has not been built</h1><p>Run <code>npm run console:build</code> (or restart <code>npm start</code>, which builds it), then reload this page.</p>
<p lang="nb">Konsollet er ikke bygget: kjør <code>npm run console:build</code> og last siden på nytt.</p></main></body></html>`;

export interface ConsoleHostOptions {
  apiUrl: string;
  /** console/dist by default. */
  root?: string;
}

/** Answers every request for /console and /console/*. */
export function createConsoleHost(o: ConsoleHostOptions) {
  const root = resolve(o.root ?? CONSOLE_DIST);
  return async function consoleHost(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { ...headers(o.apiUrl, 'text/plain; charset=utf-8'), allow: 'GET, HEAD' });
      return void res.end('Method Not Allowed');
    }
    if (url.pathname === CONSOLE_PATH) {
      res.writeHead(301, { location: `${CONSOLE_PATH}/${url.search}` });
      return void res.end();
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice(CONSOLE_PATH.length + 1)) || 'index.html';
    } catch {
      rel = '\0';
    }
    const reply = (status: number, type: string, body: Buffer | string, extra: Record<string, string>) => {
      res.writeHead(status, { ...headers(o.apiUrl, type), ...extra });
      res.end(method === 'HEAD' ? undefined : body);
    };
    // Generated per cloud: the API's own URL and the stand-in sign-in (the built one, if any, is ignored).
    if (rel === 'config.json') return reply(200, TYPES['.json'], JSON.stringify(localConsoleConfig(o.apiUrl)), { 'cache-control': 'no-store' });
    if (!existsSync(join(root, 'index.html'))) return reply(503, TYPES['.html'], NOT_BUILT, { 'cache-control': 'no-store', 'retry-after': '10' });
    const file = resolve(root, rel);
    if (rel.includes('\0') || !file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return reply(404, 'text/plain; charset=utf-8', 'Not Found', { 'cache-control': 'no-store' });
    }
    const st = statSync(file);
    const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    // The file names carry no hash, so every file is revalidated (a 304 costs one round trip).
    const cache = { 'cache-control': 'no-cache', etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ...headers(o.apiUrl, TYPES[extname(file)] ?? 'application/octet-stream'), ...cache });
      return void res.end();
    }
    return reply(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file), cache);
  };
}
