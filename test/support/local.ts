/** What integration tests use to talk to the local cloud: the API, the admin token, the mailbox, the clock, the chaos switches, the bus. */
import { expect, inject } from 'vitest';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { mintToken, type MintOptions } from '../../infra/local/auth.js';
import { NAMES, REGION } from '../../infra/local/cloud.js';
import type { Feedback } from '../../infra/local/ses.js';

export { daysFromNow } from './bodies.js';

/** JSON as the tests read it from the API: untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export const apiUrl = () => inject('apiUrl');

let adminTokenCache: string | undefined;
export async function adminToken(o?: MintOptions): Promise<string> {
  if (o) return mintToken(inject('dataDir'), o);
  adminTokenCache ??= await mintToken(inject('dataDir'), { subject: 'test-admin' });
  return adminTokenCache;
}

export interface ApiResponse<T = AnyJson> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = AnyJson>(method: string, path: string, opts: { body?: unknown; token?: string | null; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
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

/** Emails to `to` whose subject matches. */
export async function mails(to: string, subject?: RegExp): Promise<Mail[]> {
  const all = await mailbox(to);
  return subject ? all.filter((m) => subject.test(m.subject)) : all;
}

export const header = (m: Mail, name: string) => m.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** The local clock's now, in ms. */
export async function localNow(): Promise<number> {
  return Date.parse((await api('GET', '/_local/status')).body.now);
}

export interface ChaosSwitches {
  duplicateDeliveries: boolean;
  sesFailureRate: number;
  dynamoThrottleRate: number;
  deliveryDelayMs: number;
}

/** Sets chaos switches of the local cloud (`POST /_local/chaos`); returns all of them. */
export async function chaos(switches: Partial<ChaosSwitches>): Promise<ChaosSwitches> {
  const res = await api('POST', '/_local/chaos', { body: switches });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject(switches);
  return res.body;
}

/** What the bus gave up on (`GET /_local/dead-letters`). */
export async function deadLetters(): Promise<AnyJson[]> {
  return (await api('GET', '/_local/dead-letters')).body.items;
}

let bus: EventBridgeClient | undefined;

/**
 * PutEvents on the local bus through its EventBridge endpoint, as any client (a function, an intruder)
 * calls it: entries with an `aws.*` source fail, as on AWS. Returns EventBridge's answer.
 */
export async function putEvents(entries: Array<{ source: string; detailType: string; detail: unknown }>): Promise<PutEventsCommandOutput> {
  bus ??= new EventBridgeClient({ endpoint: inject('awsUrl'), region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return bus.send(new PutEventsCommand({ Entries: entries.map((e) => ({ EventBusName: NAMES.bus, Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) })) }));
}

/** The recipient's side reports a bounce or a complaint to the local SES, which publishes it as SES does. */
async function sesFeedback(feedback: Feedback): Promise<void> {
  const res = await api('POST', '/_local/ses/feedback', { body: feedback });
  expect(res.status).toBe(200);
}

/** SES reports a bounce of `email` (permanent unless said otherwise). */
export function bounce(email: string, o: { type?: 'Permanent' | 'Transient'; messageId?: string; recipient?: string } = {}): Promise<void> {
  return sesFeedback({ type: 'Bounce', email, bounceType: o.type, messageId: o.messageId, recipient: o.recipient });
}

/** SES reports a complaint about an email to `email`. */
export function complain(email: string, o: { messageId?: string } = {}): Promise<void> {
  return sesFeedback({ type: 'Complaint', email, messageId: o.messageId });
}

/** The environment for code run in the test process against the test cloud's DynamoDB (the names the local cloud gives its table and bus). */
export function inProcessEnvironment(): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoUrl'),
    TABLE_NAME: NAMES.table,
    EVENT_BUS_NAME: NAMES.bus,
  };
}
