/**
 * The local console host (infra/local/console.ts) on a built directory of its own: content types, the
 * CSP and security headers, revalidation, the generated config.json, no escape from the directory, and
 * the 503 page while nothing is built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleHost } from '../../infra/local/console.js';
import { close, listen } from '../../infra/local/http.js';
import { consoleContentSecurityPolicy } from '../../infra/console-headers.js';

const API = 'http://localhost:3999';
let dir: string;
let servers: Server[] = [];

async function host(root: string): Promise<string> {
  const serve = createConsoleHost({ apiUrl: API, root });
  const server = createServer((req, res) => void serve(req, res, new URL(req.url ?? '/', 'http://localhost')));
  await listen(server, 0, '127.0.0.1');
  servers.push(server);
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'console-host-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist/index.html'), '<!doctype html><title>Konsoll</title>');
  writeFileSync(join(dir, 'dist/app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'dist/app.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
});
afterAll(async () => {
  for (const s of servers) await close(s);
  servers = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('local console host', () => {
  it('serves index.html, app.js and app.css with their types, the CSP and no-cache with an ETag', async () => {
    const base = await host(join(dir, 'dist'));
    for (const [path, type] of [
      ['/console/', 'text/html; charset=utf-8'],
      ['/console/app.js', 'text/javascript; charset=utf-8'],
      ['/console/app.css', 'text/css; charset=utf-8'],
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('content-security-policy'), path).toBe(consoleContentSecurityPolicy('http://localhost:3999'));
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      const again = await fetch(`${base}${path}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status, path).toBe(304);
    }
  });

  it('generates config.json for this cloud', async () => {
    const base = await host(join(dir, 'dist'));
    const config = await (await fetch(`${base}/console/config.json`)).json();
    expect(config).toEqual({
      apiBaseUrl: '',
      authBaseUrl: `${API}/_local/auth`,
      clientId: 'seminar-events-local',
      redirectUri: `${API}/console/`,
      logoutUri: `${API}/console/`,
    });
  });

  it('never serves a file outside the directory, and refuses writes', async () => {
    const base = await host(join(dir, 'dist'));
    expect((await fetch(`${base}/console/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${base}/console/nothing.js`)).status).toBe(404);
    expect((await fetch(`${base}/console/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 503 with the build command while console/dist is missing', async () => {
    const base = await host(join(dir, 'not-built'));
    const res = await fetch(`${base}/console/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run console:build');
  });
});
