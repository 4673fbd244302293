/**
 * The stand-in for Cognito's managed login (infra/local/oauth.ts) with fetch, as the console uses it:
 * the authorization code flow with PKCE from the sign-in page to a working ID token on the admin API;
 * the refusals (wrong verifier, reused code, foreign redirect URI or client, no PKCE); the viewer's 403;
 * refresh; logout; an expired token's 401; and the console's hosting at /console/ with its headers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeJwt } from 'jose';
import { apiUrl } from '../support/local.js';
import { createLocalAuth, LOCAL_CLIENT_ID } from '../../infra/local/oauth.js';
import { listen, close, readBody } from '../../infra/local/http.js';
import { ADMIN_GROUP } from '../../infra/wiring.js';

const consoleUrl = () => `${apiUrl()}/console/`;
const authBase = () => `${apiUrl()}/_local/auth`;

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(base: string, o: { challenge: string; state?: string; redirectUri?: string; clientId?: string; method?: string; lang?: string }) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: o.clientId ?? LOCAL_CLIENT_ID,
    redirect_uri: o.redirectUri ?? consoleUrl(),
    scope: 'openid email profile',
    state: o.state ?? 'st-1',
    code_challenge: o.challenge,
    code_challenge_method: o.method ?? 'S256',
  });
  if (o.lang) q.set('lang', o.lang);
  return `${base}/oauth2/authorize?${q}`;
}

/** What a browser posts: the page's form (action and hidden fields) with the typed credentials. */
async function postSignIn(base: string, pageHtml: string, email: string, password: string) {
  const origin = new URL(base).origin;
  const action = /<form method="post" action="([^"]+)"/.exec(pageHtml)![1].replace(/&amp;/g, '&');
  const form = new URLSearchParams();
  for (const m of pageHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1], m[2].replace(/&#38;/g, '&').replace(/&#34;/g, '"'));
  form.set('email', email);
  form.set('password', password);
  return fetch(`${origin}${action}`, { method: 'POST', body: form, redirect: 'manual' });
}

/** The sign-in up to the redirect: returns the code and state on the redirect URI. */
async function signIn(o: { base?: string; email?: string; password?: string; challenge: string; state?: string }) {
  const base = o.base ?? authBase();
  const page = await fetch(authorizeUrl(base, o));
  expect(page.status).toBe(200);
  const res = await postSignIn(base, await page.text(), o.email ?? 'admin@local', o.password ?? 'local');
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(`${back.origin}${back.pathname}`).toBe(consoleUrl());
  return { code: back.searchParams.get('code')!, state: back.searchParams.get('state') };
}

async function token(form: Record<string, string>, base = authBase()) {
  const res = await fetch(`${base}/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, string | number> };
}

const exchange = (code: string, verifier: string, over: Record<string, string> = {}, base?: string) =>
  token({ grant_type: 'authorization_code', code, redirect_uri: consoleUrl(), client_id: LOCAL_CLIENT_ID, code_verifier: verifier, ...over }, base);

const seminars = (idToken: string) => fetch(`${apiUrl()}/admin/seminars`, { headers: { authorization: `Bearer ${idToken}` } });

describe('sign-in page', () => {
  it('is Norwegian by default and English on request, with labelled fields and a strict CSP', async () => {
    const { challenge } = pkce();
    const nb = await fetch(authorizeUrl(authBase(), { challenge }));
    const html = await nb.text();
    expect(nb.headers.get('content-type')).toMatch(/^text\/html/);
    expect(nb.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<html lang="nb">');
    expect(html).toMatch(/<label for="email">E-postadresse<\/label>/);
    expect(html).toMatch(/<label for="password">Passord<\/label>/);
    expect(html).toMatch(/<input id="email" name="email" type="email" autocomplete="username"/);
    expect(html).not.toMatch(/<script|style=/);
    const en = await (await fetch(authorizeUrl(authBase(), { challenge, lang: 'en' }))).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<label for="email">Email address</label>');
  });

  it('a wrong password or an unknown address answers the page again, the error beside the field and summarised', async () => {
    const { challenge } = pkce();
    const page = await (await fetch(authorizeUrl(authBase(), { challenge }))).text();
    const wrong = await postSignIn(authBase(), page, 'admin@local', 'nope');
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain('<p class="error" id="password-error">Feil passord.</p>');
    expect(html).toMatch(/id="password"[^>]*aria-invalid="true" aria-describedby="password-error"/);
    expect(html).toMatch(/class="summary" role="alert"[\s\S]*<a href="#password">Feil passord\.<\/a>/);
    expect(html).toContain('value="admin@local"');
    const unknown = await (await postSignIn(authBase(), page, 'nobody@local', 'local')).text();
    expect(unknown).toMatch(/id="email-error">Det finnes ingen lokal bruker/);
  });
});

describe('authorization code with PKCE', () => {
  it('sign-in, code, token exchange: the ID token works on GET /admin/seminars', async () => {
    const { verifier, challenge } = pkce();
    const { code, state } = await signIn({ challenge, state: 'xyz' });
    expect(state).toBe('xyz');
    const out = await exchange(code, verifier);
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = decodeJwt(String(out.body.id_token));
    expect(claims).toMatchObject({ email: 'admin@local', token_use: 'id', aud: LOCAL_CLIENT_ID, 'cognito:groups': [ADMIN_GROUP] });
    expect(decodeJwt(String(out.body.access_token))).toMatchObject({ token_use: 'access', client_id: LOCAL_CLIENT_ID, scope: 'openid email profile' });
    expect((await seminars(String(out.body.id_token))).status).toBe(200);
  });

  it('a wrong verifier is refused, and the code is spent by the attempt', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn({ challenge });
    const bad = await exchange(code, pkce().verifier);
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await exchange(code, verifier)).body.error).toBe('invalid_grant');
  });

  it('a code works once', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn({ challenge });
    expect((await exchange(code, verifier)).status).toBe(200);
    expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('the code is bound to its redirect URI and client', async () => {
    const a = pkce();
    const first = await signIn({ challenge: a.challenge });
    expect(await exchange(first.code, a.verifier, { redirect_uri: 'http://localhost:1/console/' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const b = pkce();
    const second = await signIn({ challenge: b.challenge });
    expect(await exchange(second.code, b.verifier, { client_id: 'someone-else' })).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });

  it('a foreign redirect URI or client is refused at authorize, without a redirect', async () => {
    const { challenge } = pkce();
    for (const over of [{ redirectUri: 'https://evil.example/console/' }, { clientId: 'someone-else' }]) {
      const res = await fetch(authorizeUrl(authBase(), { challenge, ...over }), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('without PKCE (or with plain) the redirect carries invalid_request', async () => {
    const res = await fetch(authorizeUrl(authBase(), { challenge: 'abc', method: 'plain', state: 's9' }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('s9');
  });

  it('the token endpoint answers OAuth errors as JSON for unknown grants and codes', async () => {
    expect(await token({ grant_type: 'password', client_id: LOCAL_CLIENT_ID })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await exchange('no-such-code', pkce().verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it("viewer@local signs in, but the API answers the viewer's token 403", async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn({ challenge, email: 'viewer@local' });
    const out = await exchange(code, verifier);
    expect(out.status).toBe(200);
    expect(decodeJwt(String(out.body.id_token))['cognito:groups']).toEqual([]);
    expect((await seminars(String(out.body.id_token))).status).toBe(403);
  });

  it('the refresh grant gives a new ID token; an unknown refresh token is invalid_grant', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn({ challenge });
    const first = await exchange(code, verifier);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token), client_id: LOCAL_CLIENT_ID });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect((await seminars(String(refreshed.body.id_token))).status).toBe(200);
    expect(await token({ grant_type: 'refresh_token', refresh_token: 'forged', client_id: LOCAL_CLIENT_ID })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('logout redirects to the registered logout URI only', async () => {
    const ok = await fetch(`${authBase()}/logout?${new URLSearchParams({ client_id: LOCAL_CLIENT_ID, logout_uri: consoleUrl() })}`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe(consoleUrl());
    const foreign = await fetch(`${authBase()}/logout?${new URLSearchParams({ client_id: LOCAL_CLIENT_ID, logout_uri: 'https://evil.example/' })}`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
  });
});

describe('an expired ID token', () => {
  // The same stand-in with one-second tokens, signing with the test cloud's key (its data directory).
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const auth = createLocalAuth({ dataDir: inject('dataDir'), apiUrl: apiUrl(), idTokenSeconds: 3 });
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      await auth(req, res, url, await readBody(req));
    });
    await listen(server, 0, '127.0.0.1');
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/_local/auth`;
  });
  afterAll(() => close(server));

  it('works until it expires, then gets 401; the refresh token renews it', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await signIn({ base, challenge });
    const out = await exchange(code, verifier, {}, base);
    // Three seconds: expiry is counted in whole seconds from the issue, so one second may be almost none.
    expect(out.body.expires_in).toBe(3);
    expect((await seminars(String(out.body.id_token))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 4100));
    const expired = await seminars(String(out.body.id_token));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer');
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: String(out.body.refresh_token), client_id: LOCAL_CLIENT_ID }, base);
    expect((await seminars(String(renewed.body.id_token))).status).toBe(200);
  });
});

describe('the console at /console/', () => {
  it('config.json points at the stand-in sign-in, same origin as the API', async () => {
    const res = await fetch(`${apiUrl()}/console/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ apiBaseUrl: '', authBaseUrl: authBase(), clientId: LOCAL_CLIENT_ID, redirectUri: consoleUrl(), logoutUri: consoleUrl() });
  });

  it('the page comes with the CSP of the contract (or a 503 saying how to build it)', async () => {
    const res = await fetch(consoleUrl());
    const csp = res.headers.get('content-security-policy') ?? '';
    const origin = new URL(apiUrl()).origin;
    expect(csp).toBe(`default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${origin}; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self' ${origin}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    if (res.status === 503) expect(await res.text()).toContain('npm run console:build');
    else expect(res.status).toBe(200);
  });

  it('/console redirects to /console/; paths outside console/dist are not served', async () => {
    const bare = await fetch(`${apiUrl()}/console`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
    const escape = await fetch(`${apiUrl()}/console/..%2F..%2Fpackage.json`);
    expect([404, 503]).toContain(escape.status);
    expect(await escape.text()).not.toContain('"seminar-events"');
  });
});
