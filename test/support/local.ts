/** What integration tests use to talk to the local cloud: the API, the admin token, the mailbox, the clock. */
import { inject } from 'vitest';
import { mintToken, type MintOptions } from '../../infra/local/auth.js';

export const apiUrl = () => inject('apiUrl');

let adminTokenCache: string | undefined;
export async function adminToken(o?: MintOptions): Promise<string> {
  if (o) return mintToken(inject('dataDir'), o);
  adminTokenCache ??= await mintToken(inject('dataDir'), { subject: 'test-admin' });
  return adminTokenCache;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = any>(method: string, path: string, opts: { body?: unknown; token?: string | null; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.form).toString();
  } else if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  if (opts.token !== null && path.startsWith('/admin')) headers.authorization ??= `Bearer ${opts.token ?? (await adminToken())}`;
  const res = await fetch(`${apiUrl()}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** Moves the local clock and waits until every schedule that fell due has been delivered. */
export async function setClock(iso: string) {
  return (await api('POST', '/_local/clock', { body: { set: iso } })).body as { now: string; fired: number };
}
export async function advanceClock(seconds: number) {
  return (await api('POST', '/_local/clock', { body: { advanceSeconds: seconds } })).body as { now: string; fired: number };
}
export async function resetClock() {
  return api('POST', '/_local/clock', { body: { reset: true } });
}
export async function idle() {
  await api('POST', '/_local/idle');
}

export interface Mail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
  headers?: Array<{ name: string; value: string }>;
  at: number;
}

export async function mailbox(to?: string): Promise<Mail[]> {
  const res = await fetch(`${inject('mailboxUrl')}/store`);
  const { emails } = (await res.json()) as { emails: Mail[] };
  return to ? emails.filter((m) => m.destination.to.some((t) => t.toLowerCase() === to.toLowerCase())) : emails;
}

/** A unique address per test so tests sharing the cloud never see each other's mail. */
export function uniqueEmail(tag = 'person', domain = 'example.no'): string {
  return `${tag}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@${domain}`;
}

/** An ISO time `days` from now (local clock not considered), at the given UTC hour. */
export function daysFromNow(days: number, hourUtc = 11): string {
  const d = new Date(Date.now() + days * 86400_000);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}
