/**
 * OAuth 2.0 authorization code with PKCE (S256) against Cognito's managed-login endpoints (locally the
 * stand-in at /_local/auth). Tokens live in memory only; sessionStorage holds the PKCE verifier and state
 * for the round trip, and the route to come back to.
 */
import { cfg } from './config.js';

export const ADMIN_GROUP = 'admins';

interface Tokens {
  idToken: string;
  refreshToken?: string;
  expiresAt: number;
}
export interface User {
  email: string;
  groups: string[];
}

let tokens: Tokens | undefined;
let user: User | undefined;

const PKCE_KEY = 'console.pkce';

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(n = 32): string {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}

async function challenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return b64url(new Uint8Array(digest));
}

export function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

function userOf(idToken: string): User {
  const claims = decodeJwt(idToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  return { email: String(claims.email ?? claims['cognito:username'] ?? claims.sub ?? ''), groups };
}

/** Goes to the sign-in page; comes back to `returnTo` (a hash route). */
export async function signIn(returnTo = location.hash || '#/'): Promise<never> {
  const c = cfg();
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: 'openid email profile',
    state,
    code_challenge: await challenge(verifier),
    code_challenge_method: 'S256',
  });
  // The managed login's language follows the console's (Cognito and the local stand-in read `lang`).
  if (sessionStorage.getItem('console.lang') === 'en') q.set('lang', 'en');
  location.assign(`${c.authBaseUrl}/oauth2/authorize?${q.toString().replace(/%20/g, '+')}`);
  return new Promise<never>(() => undefined);
}

async function tokenRequest(form: Record<string, string>): Promise<Tokens> {
  const res = await fetch(`${cfg().authBaseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  if (!res.ok) throw new Error(`token endpoint: HTTP ${res.status}`);
  const t = (await res.json()) as { id_token: string; refresh_token?: string; expires_in: number };
  return { idToken: t.id_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000 };
}

export type Start = { kind: 'signed-in'; user: User; returnTo: string } | { kind: 'refused'; user: User } | { kind: 'signed-out' } | { kind: 'error'; message: string };

/** At start: finishes a redirect back with ?code=…&state=…, else reports signed out. */
export async function completeSignIn(): Promise<Start> {
  const url = new URL(location.href);
  const code = url.searchParams.get('code');
  const state = url.searchParams.get('state');
  if (!code) return { kind: 'signed-out' };
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', url.pathname + (saved?.returnTo ?? '#/'));
  if (!saved || saved.state !== state) return { kind: 'signed-out' };
  const c = cfg();
  try {
    const t = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: c.redirectUri, client_id: c.clientId, code_verifier: saved.verifier });
    const u = userOf(t.idToken);
    if (!u.groups.includes(ADMIN_GROUP)) return { kind: 'refused', user: u };
    tokens = t;
    user = u;
    return { kind: 'signed-in', user: u, returnTo: saved.returnTo };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
}

export function idToken(): string | undefined {
  return tokens?.idToken;
}
export function currentUser(): User | undefined {
  return user;
}

/** Renews the ID token with the refresh token; false when there is none or it is refused. */
export async function refresh(): Promise<boolean> {
  if (!tokens?.refreshToken) return false;
  try {
    const t = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: cfg().clientId });
    const u = userOf(t.idToken);
    if (!u.groups.includes(ADMIN_GROUP)) return false;
    tokens = { ...t, refreshToken: t.refreshToken ?? tokens.refreshToken };
    user = u;
    return true;
  } catch {
    return false;
  }
}

export function signOut(): void {
  tokens = undefined;
  user = undefined;
  const c = cfg();
  location.assign(`${c.authBaseUrl}/logout?${new URLSearchParams({ client_id: c.clientId, logout_uri: c.logoutUri })}`);
}

/**
 * fetch for the admin API: adds the bearer token; on 401 renews once and retries, and when that fails
 * goes to sign in again (drafts are already in sessionStorage), never an error screen.
 */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const send = (r: Request) => {
    const h = new Headers(r.headers);
    if (tokens) h.set('authorization', `Bearer ${tokens.idToken}`);
    return fetch(new Request(r, { headers: h }));
  };
  if (tokens && tokens.expiresAt - Date.now() < 30_000) await refresh();
  const res = await send(input);
  if (res.status !== 401) return res;
  if (await refresh()) {
    const again = await send(retry);
    if (again.status !== 401) return again;
  }
  tokens = undefined;
  return signIn();
}
