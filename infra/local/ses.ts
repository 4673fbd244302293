/**
 * The local SES v2: `aws-ses-v2-local` (the mailbox page, JSON at /store) plus what a configuration set
 * with an EventBridge destination does on AWS: every email sent with a configuration set produces an
 * `Email Sent` event (detail-type and shape as SES publishes them), delivered to the bus with retries
 * until the bus takes it; a bounce or complaint reported to it becomes `Email Bounced` or `Email Complaint
 * Received`. SES delivers these as an AWS service: the bus refuses `aws.*` sources from anyone else. The mailer's ledger uses those events to learn that an email went out even
 * when the sender died before it could record it, so a crash never leads to a second copy.
 *
 * Two ways to run it:
 * - inside the local cloud (`npm start`): the cloud's SES pass-through builds the event and puts it on
 *   its bus directly;
 * - as its own process (`tsx infra/local/ses-service.ts`, used by bench/crash.ts): SES then outlives a crash
 *   of the local cloud, like the real service, and publishes through the cloud's EventBridge endpoint
 *   (SES_EVENTS_ENDPOINT), retrying while the cloud is down.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EmailBounced, EmailComplaintReceived, EmailSent } from '../../events/index.js';
import { fromAddressProblem } from '../../shared/email/mailbox-address.js';
import { jsonObjectBody } from './http.js';
import { SERVICE_KEY_HEADER } from './service-key.js';

/** Starts aws-ses-v2-local on host:port (port 0: a free one). */
export async function startSesServer(host: string, port: number): Promise<Server> {
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: unknown };
  const start = ((mod.default as { default?: unknown }).default ?? mod.default) as (c: { host: string; port: number }) => Promise<Server>;
  return start({ host, port });
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 256 });
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'proxy-connection', 'upgrade']);

export interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Forwards a request (method, path, headers incl. the SigV4 authorization, body) to `base` over a kept-alive connection. */
export function forward(base: string, method: string, pathAndQuery: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Forwarded> {
  const target = new URL(pathAndQuery, base);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  if (body.length) out['content-length'] = String(body.length);
  return new Promise((ok, fail) => {
    const req = request(
      { agent: keepAlive, host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers: out },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) h[k] = Array.isArray(v) ? v.join(', ') : v;
          ok({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body.length ? body : undefined);
  });
}

interface SendEmailBody {
  ConfigurationSetName?: string;
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  EmailTags?: Array<{ Name: string; Value: string }>;
  Content?: { Simple?: { Subject?: { Data?: string }; Headers?: Array<{ Name: string; Value: string }> } };
}

/** SES publishes its events a moment after the send (on AWS typically within seconds). */
export const SES_EVENT_DELAY_MS = Number(process.env.LOCAL_SES_EVENT_DELAY_MS ?? 500);

export const isSendEmail = (method: string, path: string) => method === 'POST' && path === '/v2/email/outbound-emails';

/**
 * What SES itself refuses before sending, as SES answers it (400 BadRequestException): a
 * `FromEmailAddress` with raw characters outside 7-bit ASCII (a display name must be a MIME encoded-word).
 * Undefined when the request may go on to the mailbox.
 */
export function sendEmailRefusal(method: string, path: string, requestBody: Buffer): Forwarded | undefined {
  if (!isSendEmail(method, path)) return undefined;
  let from: unknown;
  try {
    from = (JSON.parse(requestBody.toString('utf8')) as SendEmailBody).FromEmailAddress;
  } catch {
    return undefined;
  }
  const problem = typeof from === 'string' ? fromAddressProblem(from) : undefined;
  if (!problem) return undefined;
  return {
    status: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'BadRequestException' },
    body: Buffer.from(JSON.stringify({ message: problem })),
  };
}

/**
 * The `Email Sent` event SES publishes for an accepted SendEmail with a configuration set, or undefined
 * when the request named none (SES publishes events only for emails sent with a configuration set).
 */
export function sentEventEntry(requestBody: Buffer, responseBody: Buffer, busName: string, account: string, now = new Date()): PutEventsRequestEntry | undefined {
  let req: SendEmailBody;
  let messageId: string | undefined;
  try {
    req = JSON.parse(requestBody.toString('utf8')) as SendEmailBody;
    messageId = (JSON.parse(responseBody.toString('utf8')) as { MessageId?: string }).MessageId;
  } catch {
    return undefined;
  }
  if (!req.ConfigurationSetName || !messageId) return undefined;
  const destination = [...(req.Destination?.ToAddresses ?? []), ...(req.Destination?.CcAddresses ?? []), ...(req.Destination?.BccAddresses ?? [])];
  const tags: Record<string, string[]> = { 'ses:configuration-set': [req.ConfigurationSetName], 'ses:source-ip': ['127.0.0.1'] };
  for (const t of req.EmailTags ?? []) tags[t.Name] = [t.Value];
  const detail = {
    eventType: 'Send',
    mail: {
      timestamp: now.toISOString(),
      source: req.FromEmailAddress ?? '',
      sendingAccountId: account,
      messageId,
      destination,
      headersTruncated: false,
      commonHeaders: { from: [req.FromEmailAddress ?? ''], to: req.Destination?.ToAddresses ?? [], messageId, subject: req.Content?.Simple?.Subject?.Data ?? '' },
      tags,
    },
    send: {},
  };
  return { Source: EmailSent.source, DetailType: EmailSent.detailType, Detail: JSON.stringify(detail), EventBusName: busName, Time: now };
}

/** Every recipient of a SendEmail request (To, Cc, Bcc), lower-cased; none when the body is no JSON. */
function destinationOf(requestBody: Buffer): string[] {
  try {
    const d = (JSON.parse(requestBody.toString('utf8')) as SendEmailBody).Destination;
    return [...(d?.ToAddresses ?? []), ...(d?.CcAddresses ?? []), ...(d?.BccAddresses ?? [])].map((a) => a.toLowerCase());
  } catch {
    return [];
  }
}

/** What the recipient's side reports to SES (the local stand-in for a bounce or a complaint). */
export interface Feedback {
  type: 'Bounce' | 'Complaint';
  /** The address the email went to. */
  email: string;
  /** Bounces only: `Permanent` (suppressed) unless said otherwise. */
  bounceType?: 'Permanent' | 'Transient';
  messageId?: string;
  /** The address as the recipient's server names it (by default `email`). */
  recipient?: string;
}

/**
 * The `Email Bounced` or `Email Complaint Received` event SES publishes when the recipient's side reports
 * a bounce or a complaint, or why the feedback is refused. Only the local SES puts it on the bus (as an
 * AWS service: `POST /_local/ses/feedback`, or the SES process's `POST /_local/feedback`).
 */
export function feedbackEventEntry(input: unknown, busName: string, now = new Date()): PutEventsRequestEntry | string {
  const f = (input ?? {}) as Partial<Feedback>;
  if (f.type !== 'Bounce' && f.type !== 'Complaint') return 'type must be "Bounce" or "Complaint"';
  if (typeof f.email !== 'string' || !f.email.includes('@')) return 'email must be an email address';
  if (f.bounceType !== undefined && f.bounceType !== 'Permanent' && f.bounceType !== 'Transient') return 'bounceType must be "Permanent" or "Transient"';
  const mail = { timestamp: now.toISOString(), ...(typeof f.messageId === 'string' ? { messageId: f.messageId } : {}), destination: [f.email] };
  const recipient = { emailAddress: typeof f.recipient === 'string' ? f.recipient : f.email };
  const [event, detail] =
    f.type === 'Bounce'
      ? [EmailBounced, { eventType: 'Bounce', mail, bounce: { bounceType: f.bounceType ?? 'Permanent', bouncedRecipients: [recipient], timestamp: now.toISOString() } }]
      : [EmailComplaintReceived, { eventType: 'Complaint', mail, complaint: { complainedRecipients: [recipient], timestamp: now.toISOString() } }];
  return { Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(detail), EventBusName: busName, Time: now };
}

/**
 * Delivers entries to EventBridge in order, retrying (with backoff up to 1 s) until they are taken, as
 * SES does for its event destinations. `idle()` resolves when the queue is empty.
 */
export class EventForwarder {
  private queue: PutEventsRequestEntry[] = [];
  private running = false;
  private waiters: Array<() => void> = [];
  private delayed = 0;
  delivered = 0;

  constructor(private readonly put: (entries: PutEventsRequestEntry[]) => Promise<number>) {}

  enqueueAfter(entry: PutEventsRequestEntry, delayMs: number): void {
    this.delayed++;
    setTimeout(() => {
      this.delayed--;
      this.enqueue(entry);
    }, delayMs);
  }

  enqueue(entry: PutEventsRequestEntry): void {
    this.queue.push(entry);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    let delay = 100;
    while (this.queue.length) {
      const batch = this.queue.slice(0, 10);
      try {
        const failed = await this.put(batch);
        if (failed > 0) throw new Error(`${failed} entries failed`);
        this.queue.splice(0, batch.length);
        this.delivered += batch.length;
        delay = 100;
      } catch {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(1000, delay * 2);
      }
    }
    this.running = false;
    this.waiters.splice(0).forEach((w) => w());
  }

  idle(): Promise<void> {
    return this.queue.length === 0 && !this.running ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  get pending(): number {
    return this.queue.length + this.delayed;
  }
}

export interface SesServiceOptions {
  host: string;
  port: number;
  /** The local cloud's EventBridge endpoint (its AWS port). */
  eventsEndpoint: string;
  busName: string;
  account: string;
  region: string;
  /** The local cloud's service key (infra/local/service-key.ts): SES's events carry `aws.*` sources. */
  serviceKey: string;
}

/**
 * SES as its own service: the mailbox behind a front that publishes `Email Sent` events, and the bounces
 * and complaints reported to it (`POST /_local/feedback`, a {@link Feedback}).
 */
export async function startSesService(o: SesServiceOptions): Promise<{ url: string; forwarder: EventForwarder; stop(): Promise<void> }> {
  const inner = await startSesServer('127.0.0.1', 0);
  const innerPort = (inner.address() as { port: number }).port;
  const innerBase = `http://127.0.0.1:${innerPort}`;
  const events = new EventBridgeClient({
    endpoint: o.eventsEndpoint,
    region: o.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  // SES delivers as an AWS service, not as a PutEvents caller: the request carries the service key.
  events.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers[SERVICE_KEY_HEADER] = o.serviceKey;
      return next(args);
    },
    { step: 'build', name: 'localAwsServiceKey' },
  );
  const forwarder = new EventForwarder(async (entries) => (await events.send(new PutEventsCommand({ Entries: entries }))).FailedEntryCount ?? 0);
  let accepted = 0;
  /**
   * How many accepted SendEmails each recipient (lower-cased To, Cc and Bcc address) got since start: a
   * count per address that stays small when the mailbox does not (bench/scale.ts counts 100,000 emails
   * with it, clearing the mailbox's stored bodies as it goes). GET /_local/recipients?prefix=… answers it.
   */
  const recipients = new Map<string, number>();
  const front = createServer(async (req: IncomingMessage, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const url = req.url ?? '/';
      if (url === '/_local/sends') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ accepted, eventsPending: forwarder.pending, eventsDelivered: forwarder.delivered }));
      }
      if (url.startsWith('/_local/recipients')) {
        const prefix = (new URL(url, innerBase).searchParams.get('prefix') ?? '').toLowerCase();
        const counts = Object.fromEntries([...recipients].filter(([address]) => address.startsWith(prefix)));
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ counts }));
      }
      if (url === '/_local/feedback' && req.method === 'POST') {
        const input = jsonObjectBody(body);
        const entry = typeof input === 'string' ? input : feedbackEventEntry(input, o.busName);
        res.writeHead(typeof entry === 'string' ? 400 : 202, { 'content-type': 'application/json' });
        if (typeof entry !== 'string') forwarder.enqueue(entry);
        return void res.end(JSON.stringify(typeof entry === 'string' ? { message: entry } : { queued: true }));
      }
      const out = sendEmailRefusal(req.method ?? 'GET', new URL(url, innerBase).pathname, body) ?? (await forward(innerBase, req.method ?? 'GET', url, req.headers, body));
      if (out.status === 200 && isSendEmail(req.method ?? '', new URL(url, innerBase).pathname)) {
        accepted++;
        for (const address of destinationOf(body)) recipients.set(address, (recipients.get(address) ?? 0) + 1);
        const entry = sentEventEntry(body, out.body, o.busName, o.account);
        if (entry) forwarder.enqueueAfter(entry, SES_EVENT_DELAY_MS);
      }
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    } catch (err) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `local SES: ${(err as Error).message}` }));
    }
  });
  front.keepAliveTimeout = 60_000;
  await new Promise<void>((ok, fail) => {
    front.once('error', fail);
    front.listen(o.port, o.host, () => ok());
  });
  const port = (front.address() as { port: number }).port;
  return {
    url: `http://localhost:${port}`,
    forwarder,
    async stop() {
      front.closeAllConnections();
      inner.closeAllConnections?.();
      await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => inner.close(r))]);
      events.destroy();
    },
  };
}
