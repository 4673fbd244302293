/**
 * What the public routes (registration, schemes, series) share: problem+json answers, reading the fields
 * of a JSON or form body, and the token and language of a confirm / cancel / unsubscribe link, which may
 * come in the query (the link itself) or in the body (the page's button posts them).
 */
import type { HttpResult, RouteContext } from './types.js';
import type { FieldError } from './responses.js';
import { pickLang } from '../pages/layout.js';
import type { Lang } from '../domain/primitives.js';

const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/** problem+json with extension members (RFC 9457 §3.2), never cached. */
export function problemJson(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', 'cache-control': 'no-store', ...security },
    body: JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }),
  };
}

/** 400 for a body whose fields did not validate, naming each field once. */
export function invalidBodyProblem(errors: FieldError[]): HttpResult {
  const names = [...new Set(errors.map((e) => e.field))];
  return problemJson(400, 'Invalid input', `The body has ${names.length} invalid field${names.length === 1 ? '' : 's'}: ${names.join(', ')}`, { errors });
}

/** A value if it is a string (form and JSON bodies may hold anything). */
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The fields of a body that is an object; anything else has none. */
export function bodyFields(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** A link's token: posted by the page's button, or in the link's query. */
export function tokenOf(ctx: RouteContext): string | undefined {
  const fromBody = str(bodyFields(ctx.body).token);
  return (fromBody && fromBody.trim()) || ctx.query.token || undefined;
}

/** The language a link's page asks for (body, then query), else `fallback`, else Norwegian. */
export function langOf(ctx: RouteContext, fallback?: Lang): Lang {
  const given = str(bodyFields(ctx.body).lang) ?? ctx.query.lang;
  return given ? pickLang(given) : (fallback ?? 'nb');
}
