/**
 * The stand-in for Cognito's managed login, under /_local/auth on the API port: the same OAuth 2.0
 * endpoints (authorize with a sign-in page, token, logout), so the console's code is the same locally
 * and on AWS. Two local users, both with the password `local`: admin@local (in the admins group) and
 * viewer@local (in no group). ID tokens are signed with the local key the gateway trusts (auth.ts).
 *
 * As Cognito does: only the registered client and redirect URI (the local console), the authorization
 * code grant with PKCE (S256), codes single-use, short-lived and bound to client, redirect URI and
 * challenge; errors of the token endpoint as OAuth error JSON; a refresh grant; logout redirects to a
 * registered logout URI.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_GROUP } from '../wiring.js';
import { LOCAL_AUDIENCE, LOCAL_ID_TOKEN_SECONDS, mintToken } from './auth.js';

export const LOCAL_AUTH_PATH = '/_local/auth';
export const LOCAL_CLIENT_ID = LOCAL_AUDIENCE;
export const LOCAL_PASSWORD = 'local';
/** How long an authorization code may wait for its exchange (Cognito: 5 minutes). */
export const CODE_SECONDS = 300;
/** How long a refresh token lasts (the stack's refresh token validity). */
export const REFRESH_SECONDS = 12 * 3600;

export interface LocalUser {
  email: string;
  sub: string;
  groups: string[];
}
export const LOCAL_USERS: readonly LocalUser[] = [
  { email: 'admin@local', sub: 'local-admin', groups: [ADMIN_GROUP] },
  { email: 'viewer@local', sub: 'local-viewer', groups: [] },
];

/** The console's URL locally: the one registered callback and logout URI. */
export const localConsoleUrl = (apiUrl: string) => `${apiUrl}/console/`;
export const localAuthBaseUrl = (apiUrl: string) => `${apiUrl}${LOCAL_AUTH_PATH}`;

export interface LocalAuthOptions {
  dataDir: string;
  apiUrl: string;
  /** ID and access token lifetime; LOCAL_ID_TOKEN_SECONDS or 3600 by default. */
  idTokenSeconds?: number;
}

interface Grant {
  user: LocalUser;
  clientId: string;
  redirectUri?: string;
  challenge?: string;
  scope: string;
  expiresAt: number;
}

type Lang = 'nb' | 'en';
const TEXT = {
  nb: {
    title: 'Logg inn',
    lead: 'Lokal innlogging for konsollet. Brukere: admin@local (administrator) og viewer@local (ingen tilgang), passord «local».',
    email: 'E-postadresse',
    password: 'Passord',
    submit: 'Logg inn',
    summary: 'Rett opp dette før du logger inn:',
    noEmail: 'Skriv inn e-postadressen din.',
    unknown: 'Det finnes ingen lokal bruker med denne adressen.',
    noPassword: 'Skriv inn passordet.',
    wrong: 'Feil passord.',
    other: 'English',
    badRequest: 'Innloggingen kan ikke starte',
  },
  en: {
    title: 'Sign in',
    lead: 'Local sign-in for the console. Users: admin@local (administrator) and viewer@local (no access), password “local”.',
    email: 'Email address',
    password: 'Password',
    submit: 'Sign in',
    summary: 'Fix the following before signing in:',
    noEmail: 'Enter your email address.',
    unknown: 'There is no local user with this address.',
    noPassword: 'Enter the password.',
    wrong: 'Wrong password.',
    other: 'Norsk',
    badRequest: 'Sign-in cannot start',
  },
} as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;background:#fff;line-height:1.5}
label{display:block;font-weight:600;margin-top:1rem}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:2px solid #555;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1d4ed8;outline-offset:2px}[aria-invalid=true]{border-color:#b00020}
.error{color:#b00020;margin:.25rem 0 0}.summary{border:3px solid #b00020;padding:.5rem 1rem;margin:1rem 0}.summary a{color:#b00020}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px;cursor:pointer}a{color:#1d4ed8}`;

function page(lang: Lang, title: string, main: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – seminar-events (lokalt)</title><link rel="stylesheet" href="${LOCAL_AUTH_PATH}/signin.css"></head>
<body><main>${main}</main></body></html>`;
}

interface FieldErrors {
  email?: string;
  password?: string;
}

function signInPage(lang: Lang, params: URLSearchParams, email: string, errors: FieldErrors): string {
  const t = TEXT[lang];
  const hidden = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']
    .filter((k) => params.has(k))
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params.get(k)!)}">`)
    .join('');
  const other: Lang = lang === 'nb' ? 'en' : 'nb';
  const otherParams = new URLSearchParams(params);
  otherParams.set('lang', other);
  const listed = (Object.entries(errors) as Array<[keyof FieldErrors, string]>).filter(([, v]) => v);
  const summary = listed.length
    ? `<div class="summary" role="alert" tabindex="-1"><h2>${t.summary}</h2><ul>${listed.map(([f, m]) => `<li><a href="#${f}">${escapeHtml(m)}</a></li>`).join('')}</ul></div>`
    : '';
  const field = (name: keyof FieldErrors, type: string, label: string, autocomplete: string, value: string) => {
    const err = errors[name];
    return `<label for="${name}">${label}</label>${err ? `<p class="error" id="${name}-error">${escapeHtml(err)}</p>` : ''}<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" required value="${escapeHtml(value)}"${err ? ` aria-invalid="true" aria-describedby="${name}-error"` : ''}>`;
  };
  return page(
    lang,
    t.title,
    `<p><a href="${LOCAL_AUTH_PATH}/oauth2/authorize?${escapeHtml(otherParams.toString())}" lang="${other}" hreflang="${other}">${t.other}</a></p>
<h1>${t.title}</h1><p>${t.lead}</p>${summary}
<form method="post" action="${LOCAL_AUTH_PATH}/oauth2/authorize?lang=${lang}" novalidate>${hidden}<input type="hidden" name="lang" value="${lang}">
${field('email', 'email', t.email, 'username', email)}${field('password', 'password', t.password, 'current-password', '')}
<button type="submit">${t.submit}</button></form>`,
  );
}

/** base64url(SHA-256(verifier)) === challenge, in constant time; verifiers as RFC 7636 §4.1 has them. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

function oauthError(res: ServerResponse, status: number, error: string, description: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' });
  res.end(JSON.stringify({ error, error_description: description }));
}

export function createLocalAuth(o: LocalAuthOptions) {
  const consoleUrl = localConsoleUrl(o.apiUrl);
  const tokenSeconds = o.idTokenSeconds ?? (Number(process.env.LOCAL_ID_TOKEN_SECONDS) || LOCAL_ID_TOKEN_SECONDS);
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const now = () => Date.now();
  const sweep = () => {
    for (const store of [codes, refreshTokens]) for (const [k, g] of store) if (g.expiresAt <= now()) store.delete(k);
  };

  const langOf = (req: IncomingMessage, params: URLSearchParams): Lang => {
    const asked = params.get('lang') ?? '';
    if (asked === 'en' || asked === 'nb') return asked;
    return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'nb';
  };

  const html = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, PAGE_HEADERS);
    res.end(body);
  };

  /** Client and redirect URI first (never redirect to an unregistered URI), then the rest as redirect errors. */
  function checkAuthorize(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): boolean {
    const lang = langOf(req, params);
    const clientId = params.get('client_id');
    const redirectUri = params.get('redirect_uri');
    if (clientId !== LOCAL_CLIENT_ID || redirectUri !== consoleUrl) {
      const what = clientId !== LOCAL_CLIENT_ID ? `client_id ${JSON.stringify(clientId ?? '')}` : `redirect_uri ${JSON.stringify(redirectUri ?? '')}`;
      html(res, 400, page(lang, TEXT[lang].badRequest, `<h1>${TEXT[lang].badRequest}</h1><p>invalid_request: ${escapeHtml(what)} is not registered (registered: ${escapeHtml(consoleUrl)}).</p>`));
      return false;
    }
    const fail = (error: string, description: string) => {
      const back = new URL(redirectUri);
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      if (params.has('state')) back.searchParams.set('state', params.get('state')!);
      res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' });
      res.end();
      return false;
    };
    if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'only response_type=code');
    if (!params.get('code_challenge') || params.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
    const scopes = (params.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
    if (!scopes.includes('openid') || scopes.some((s) => !['openid', 'email', 'profile'].includes(s))) return fail('invalid_scope', 'scopes: openid, email, profile');
    return true;
  }

  async function issue(res: ServerResponse, grant: Grant, withRefresh: boolean) {
    const { user } = grant;
    const id_token = await mintToken(o.dataDir, { subject: user.sub, groups: user.groups, email: user.email, expiresInSeconds: tokenSeconds, claims: { 'cognito:username': user.email } });
    const access_token = await mintToken(o.dataDir, {
      subject: user.sub,
      groups: user.groups,
      tokenUse: 'access',
      audience: null,
      expiresInSeconds: tokenSeconds,
      claims: { client_id: grant.clientId, scope: grant.scope, username: user.email },
    });
    const body: Record<string, unknown> = { id_token, access_token, expires_in: tokenSeconds, token_type: 'Bearer' };
    if (withRefresh) {
      const refresh = randomBytes(32).toString('base64url');
      refreshTokens.set(refresh, { ...grant, expiresAt: now() + REFRESH_SECONDS * 1000 });
      body.refresh_token = refresh;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' });
    res.end(JSON.stringify(body));
  }

  async function token(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return oauthError(res, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(body.toString('utf8'));
    sweep();
    if (form.get('client_id') !== LOCAL_CLIENT_ID) return oauthError(res, 400, 'invalid_client', 'unknown client_id');
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code') ?? '';
        const grant = codes.get(code);
        codes.delete(code); // single use, whatever the outcome
        if (!grant || grant.expiresAt <= now()) return oauthError(res, 400, 'invalid_grant', 'the code is unknown, used or expired');
        if (grant.clientId !== form.get('client_id') || grant.redirectUri !== form.get('redirect_uri')) return oauthError(res, 400, 'invalid_grant', 'client_id or redirect_uri differ from the authorization request');
        if (!verifierMatches(form.get('code_verifier') ?? '', grant.challenge ?? '')) return oauthError(res, 400, 'invalid_grant', 'the code_verifier does not match the code_challenge');
        return issue(res, grant, true);
      }
      case 'refresh_token': {
        const grant = refreshTokens.get(form.get('refresh_token') ?? '');
        if (!grant || grant.expiresAt <= now() || grant.clientId !== form.get('client_id')) return oauthError(res, 400, 'invalid_grant', 'the refresh token is unknown, revoked or expired');
        return issue(res, grant, false);
      }
      default:
        return oauthError(res, 400, 'unsupported_grant_type', 'grant_type: authorization_code or refresh_token');
    }
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const form = new URLSearchParams(body.toString('utf8'));
    if (!checkAuthorize(req, res, form)) return;
    const lang = langOf(req, form);
    const t = TEXT[lang];
    const email = (form.get('email') ?? '').trim().toLowerCase();
    const password = form.get('password') ?? '';
    const user = LOCAL_USERS.find((u) => u.email === email);
    const errors: FieldErrors = {};
    if (!email) errors.email = t.noEmail;
    else if (!user) errors.email = t.unknown;
    if (!password) errors.password = t.noPassword;
    else if (user && password !== LOCAL_PASSWORD) errors.password = t.wrong;
    if (!user || errors.password) return html(res, 400, signInPage(lang, form, email, errors));
    sweep();
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      user,
      clientId: form.get('client_id')!,
      redirectUri: form.get('redirect_uri')!,
      challenge: form.get('code_challenge')!,
      scope: (form.get('scope') ?? '').split(/[\s+]+/).filter(Boolean).join(' '),
      expiresAt: now() + CODE_SECONDS * 1000,
    });
    const back = new URL(form.get('redirect_uri')!);
    back.searchParams.set('code', code);
    if (form.has('state')) back.searchParams.set('state', form.get('state')!);
    res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  /** Answers every request under /_local/auth/. */
  return async function localAuth(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const route = `${req.method} ${url.pathname.slice(LOCAL_AUTH_PATH.length)}`;
    switch (route) {
      case 'GET /oauth2/authorize':
        if (checkAuthorize(req, res, url.searchParams)) html(res, 200, signInPage(langOf(req, url.searchParams), url.searchParams, '', {}));
        return;
      case 'POST /oauth2/authorize':
        return signIn(req, res, body);
      case 'POST /oauth2/token':
        return token(req, res, body);
      case 'GET /logout': {
        const lang = langOf(req, url.searchParams);
        const logoutUri = url.searchParams.get('logout_uri');
        if (url.searchParams.get('client_id') !== LOCAL_CLIENT_ID || logoutUri !== consoleUrl) {
          return html(res, 400, page(lang, TEXT[lang].badRequest, `<h1>${TEXT[lang].badRequest}</h1><p>invalid_request: client_id or logout_uri is not registered (registered: ${escapeHtml(consoleUrl)}).</p>`));
        }
        res.writeHead(302, { location: logoutUri, 'cache-control': 'no-store' });
        return void res.end();
      }
      case 'GET /signin.css':
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' });
        return void res.end(STYLE);
      default:
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ message: 'Not Found' }));
    }
  };
}
