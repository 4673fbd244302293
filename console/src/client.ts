/** The typed admin API client (openapi-fetch over the generated api.d.ts), and problem+json errors. */
import createClient from 'openapi-fetch';
import type { paths } from './api.js';
import { authFetch } from './auth.js';
import { cfg } from './config.js';

export type Api = ReturnType<typeof createClient<paths>>;
let client: Api | undefined;

export function api(): Api {
  client ??= createClient<paths>({ baseUrl: cfg().apiBaseUrl || location.origin, fetch: authFetch });
  return client;
}

export interface FieldError {
  field: string;
  message: string;
}
export interface Problem {
  title: string;
  detail?: string;
  status?: number;
  errors?: FieldError[];
}

/** Any JSON the admin API answers (its success bodies are not described in the OpenAPI document). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** Unwraps an openapi-fetch answer: the data, or throws a ProblemError. */
export function ok<T = Json>(r: { data?: unknown; error?: unknown; response: Response }): T {
  if (r.response.ok) return r.data as T;
  const e = (r.error ?? {}) as Partial<Problem>;
  throw new ProblemError({ title: e.title ?? `HTTP ${r.response.status}`, detail: e.detail, status: r.response.status, errors: e.errors });
}

/** A raw request to the admin API (for routes or query parameters the document does not type yet). */
export async function raw(method: string, path: string, init: { body?: unknown; accept?: string } = {}): Promise<Response> {
  const headers = new Headers();
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  if (init.accept) headers.set('accept', init.accept);
  return authFetch(new Request(`${cfg().apiBaseUrl || location.origin}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }));
}

export async function rawJson<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await raw(method, path, { body });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) return ok({ error: data, response: res });
  return data as T;
}
