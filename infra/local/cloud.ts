/**
 * The local cloud: DynamoDB Local, the SES v2 mailbox, our EventBridge and Scheduler endpoints, the
 * API Gateway emulation and a controllable clock, wired from infra/wiring.ts like the CDK stack.
 * Handlers run in this process and reach everything through AWS_ENDPOINT_URL_* like on AWS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsCallCounts } from '../../shared/aws/clients.js';
import { functions, ruleFor, type FunctionSpec } from '../wiring.js';
import { Env } from '../../shared/env-names.js';
import { setClockOffset, clockOffset, nowMs } from '../../shared/clock.js';
import { LocalBus, sleep, type BusEvent } from './bus.js';
import { LocalScheduler } from './scheduler.js';
import { buildEvent, compileRoutes, matchRoute, throttledResponse } from './gateway.js';
import { createVerifier } from './auth.js';
import { redactEmails } from '../../shared/log.js';
import { rateLimitsFrom, RouteThrottle } from '../../shared/rate-limits.js';
import { ensureTable, startDynamoLocal } from './dynamo.js';
import { chaosEffects, noChaos, throttleMiddleware, type Chaos } from './chaos.js';
import { forward, isSendEmail, sentEventEntry, SES_EVENT_DELAY_MS, startSesServer } from './ses.js';
import { documentClient } from '../../shared/aws/clients.js';
import { createRequire } from 'node:module';

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  at: number;
}
/** The mailbox of the in-process aws-ses-v2-local (the module the server itself uses). */
const sesStore = () => (createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as { getStoreReadonly(): { emails: StoredEmail[] } }).getStoreReadonly();

export interface LocalCloudOptions {
  apiPort: number;
  awsPort: number;
  sesPort: number;
  dynamoPort: number;
  dataDir: string;
  /** DynamoDB in memory (tests) instead of under dataDir/dynamodb. */
  inMemory: boolean;
  host?: string;
  log?: (line: string) => void;
}

export const REGION = 'eu-north-1';
export const ACCOUNT = '000000000000';
export const NAMES = { table: 'seminar-events', bus: 'seminar-events', group: 'seminar-events', configurationSet: 'seminar-events' } as const;

export function defaultOptions(): LocalCloudOptions {
  const n = (v: string | undefined, d: number) => (v ? Number(v) : d);
  return {
    apiPort: n(process.env.API_PORT, 3000),
    awsPort: n(process.env.AWS_PORT, 4010),
    sesPort: n(process.env.SES_PORT, 8005),
    dynamoPort: n(process.env.DYNAMODB_PORT, 8000),
    dataDir: resolve(process.env.LOCAL_DATA_DIR ?? '.data'),
    inMemory: process.env.LOCAL_IN_MEMORY === '1',
  };
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface LocalCloud {
  urls: { api: string; aws: string; mailbox: string; dynamodb: string };
  bus: LocalBus;
  scheduler: LocalScheduler;
  chaos: Chaos;
  stop(): Promise<void>;
}

/**
 * The Lambda context, with the function's own timeout and memory from the wiring (as the stack sets
 * them). `LOCAL_LAMBDA_TIMEOUT_SECONDS` shortens every timeout, so that tests can see a long fan-out
 * hand over to its continuation.
 */
function lambdaContext(f: FunctionSpec) {
  const name = f.name;
  const cap = Number(process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS);
  const timeoutSeconds = Math.min(f.timeoutSeconds ?? 10, Number.isFinite(cap) && cap > 0 ? cap : Infinity);
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    functionName: name,
    functionVersion: '$LATEST',
    awsRequestId: randomBytes(16).toString('hex'),
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    memoryLimitInMB: String(f.memoryMb ?? 256),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
}

function secretFile(dataDir: string): string {
  const file = join(dataDir, 'token-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export async function startLocalCloud(o: LocalCloudOptions): Promise<LocalCloud> {
  // Request paths and error messages may carry email addresses: logs never show them in clear.
  const sink = o.log ?? ((l: string) => console.log(l));
  const log = (l: string) => sink(redactEmails(l));
  const host = o.host ?? '127.0.0.1';
  mkdirSync(o.dataDir, { recursive: true });
  const base = `http://localhost`;
  const urls = {
    api: `${base}:${o.apiPort}`,
    aws: `${base}:${o.awsPort}`,
    mailbox: process.env.LOCAL_SES_URL ?? `${base}:${o.sesPort}`,
    dynamodb: `${base}:${o.dynamoPort}`,
  };

  // The environment the functions read, exactly as the stack sets it on AWS.
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.aws,
    AWS_ENDPOINT_URL_SCHEDULER: urls.aws,
    AWS_ENDPOINT_URL_SESV2: urls.aws,
    [Env.tableName]: NAMES.table,
    [Env.busName]: NAMES.bus,
    [Env.busArn]: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${NAMES.bus}`,
    [Env.scheduleGroup]: NAMES.group,
    [Env.schedulerRoleArn]: `arn:aws:iam::${ACCOUNT}:role/local-scheduler`,
    [Env.senderEmail]: process.env[Env.senderEmail] ?? 'seminarer@example.no',
    [Env.senderName]: process.env[Env.senderName] ?? 'Seminarer (lokalt)',
    [Env.publicBaseUrl]: process.env[Env.publicBaseUrl] ?? urls.api,
    [Env.tokenSecret]: secretFile(o.dataDir),
    [Env.sesSendRate]: process.env[Env.sesSendRate] ?? '200',
    // Emails name a configuration set, so the local SES publishes `Email Sent` events as AWS does.
    [Env.sesConfigurationSet]: process.env[Env.sesConfigurationSet] ?? NAMES.configurationSet,
  });

  const stoppers: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s();
  };

  try {
    // DynamoDB Local
    const ddb: ChildProcess = startDynamoLocal({ port: o.dynamoPort, dataDir: o.inMemory ? undefined : join(o.dataDir, 'dynamodb') });
    let ddbErr = '';
    ddb.stderr?.on('data', (d) => (ddbErr += String(d)).slice(-2000));
    stoppers.push(
      () =>
        new Promise<void>((r) => {
          if (ddb.exitCode !== null) return r();
          ddb.once('exit', () => r());
          ddb.kill('SIGTERM');
          setTimeout(() => ddb.kill('SIGKILL'), 3000).unref();
        }),
    );
    const ddbExit = new Promise<never>((_, fail) =>
      ddb.once('exit', (code) => fail(new Error(`DynamoDB Local exited (${code}) on port ${o.dynamoPort}: ${ddbErr.trim().split('\n').slice(-3).join(' ')}`))),
    );
    ddbExit.catch(() => undefined);
    await Promise.race([ensureTable(new DynamoDBClient({ endpoint: urls.dynamodb }), NAMES.table), ddbExit]);

    // SES v2 local server (and its mailbox page), unless SES runs as its own process (LOCAL_SES_URL,
    // infra/local/ses.ts), which then publishes its `Email Sent` events to our bus itself.
    const externalSes = process.env.LOCAL_SES_URL;
    /** When each accepted SendEmail arrived (epoch ms), for GET /_local/ses/sends: the send rate as SES sees it. */
    const sesAccepted: number[] = [];
    const sesBase = externalSes ?? `http://${host}:${o.sesPort}`;
    if (!externalSes) {
      const sesServer = await startSesServer(host, o.sesPort);
      stoppers.push(() => new Promise<void>((r) => { sesServer.closeAllConnections?.(); sesServer.close(() => r()); }));
    }

    // Handlers, loaded once (a warm Lambda)
    const root = resolve(import.meta.dirname, '../..');
    const loaded = new Map<string, Promise<Handler>>();
    const invocations = new Map<string, number>();
    const handlerOf = (f: FunctionSpec) => {
      invocations.set(f.name, (invocations.get(f.name) ?? 0) + 1);
      let h = loaded.get(f.name);
      if (!h) {
        h = import(pathToFileURL(join(root, f.entry)).href).then((m: { handler?: Handler }) => {
          if (typeof m.handler !== 'function') throw new Error(`${f.entry} does not export a handler`);
          return m.handler;
        });
        loaded.set(f.name, h);
      }
      return h;
    };

    const chaos = noChaos();
    // Throttling chaos: the handlers' DynamoDB client gets ThrottlingException responses as AWS sends them.
    documentClient().middlewareStack.add(throttleMiddleware(chaos), { step: 'deserialize', priority: 'low', name: 'localChaosThrottle' });
    const bus = new LocalBus({
      account: ACCOUNT,
      region: REGION,
      busName: NAMES.bus,
      now: () => new Date(nowMs()),
      chaos,
      log,
      concurrency: Number(process.env.LOCAL_CONCURRENCY ?? 16),
      // With persistent data, deliveries in flight survive a crash and are delivered again on start.
      journal: o.inMemory ? undefined : join(o.dataDir, 'bus-journal.ndjson'),
    });
    for (const f of functions) {
      for (const rule of f.rules ?? []) {
        bus.addRule({
          name: rule.name,
          pattern: ruleFor(rule),
          targetName: f.name,
          target: async (event: BusEvent) => (await handlerOf(f))(event, lambdaContext(f)),
        });
      }
    }

    const scheduler = new LocalScheduler({
      account: ACCOUNT,
      region: REGION,
      file: join(o.dataDir, 'schedules.json'),
      now: nowMs,
      log,
      fire: async (s) => {
        const p = s.Target.EventBridgeParameters;
        if (!p) throw new Error('only EventBridge targets are supported locally');
        const out = bus.putEvents([{ Source: p.Source, DetailType: p.DetailType, Detail: s.Target.Input ?? '{}', EventBusName: s.Target.Arn }]);
        if (out.FailedEntryCount) throw new Error(out.Entries[0].ErrorMessage);
      },
    });
    const clockFile = join(o.dataDir, 'clock.json');
    if (existsSync(clockFile)) setClockOffset(Number(JSON.parse(readFileSync(clockFile, 'utf8')).offsetMs) || 0);
    const tick = setInterval(() => void scheduler.fireDue(), 1000);
    stoppers.push(() => clearInterval(tick));

    // Our AWS endpoint: EventBridge (JSON 1.1), Scheduler (REST JSON), and SES v2 passed through.
    const awsServer = createServer(async (req, res) => {
      const arrived = Date.now();
      try {
        const body = await readBody(req);
        const url = new URL(req.url ?? '/', 'http://localhost');
        const target = String(req.headers['x-amz-target'] ?? '');
        if (target.startsWith('AWSEvents.')) {
          const out = bus.handleRequest(target, body.length ? JSON.parse(body.toString('utf8')) : {});
          return send(res, out.status, out.body, { 'content-type': 'application/x-amz-json-1.1' });
        }
        if (url.pathname.startsWith('/schedules')) {
          const out = scheduler.handleRequest(req.method ?? 'GET', url.pathname, url.searchParams, body.length ? JSON.parse(body.toString('utf8')) : {});
          const errType = (out.body as { __type?: string }).__type;
          return send(res, out.status, out.body, errType ? { 'x-amzn-errortype': errType } : {});
        }
        if (url.pathname.startsWith('/v2/email')) {
          if (chaos.sesFailureRate > 0 && isSendEmail(req.method ?? '', url.pathname) && Math.random() < chaos.sesFailureRate) {
            chaosEffects.sesFailures++;
            return send(res, 500, { message: 'chaos: injected SES failure' }, { 'x-amzn-errortype': 'InternalFailure' });
          }
          const out = await forward(sesBase, req.method ?? 'GET', `${url.pathname}${url.search}`, req.headers, body);
          if (out.status === 200 && isSendEmail(req.method ?? '', url.pathname)) {
            if (sesAccepted.length < 1_000_000) sesAccepted.push(arrived);
          }
          if (!externalSes && out.status === 200 && isSendEmail(req.method ?? '', url.pathname)) {
            const entry = sentEventEntry(body, out.body, NAMES.bus, ACCOUNT, new Date(nowMs()));
            if (entry) bus.putEventsAfter([entry as Record<string, unknown>], SES_EVENT_DELAY_MS);
          }
          res.writeHead(out.status, out.headers);
          return res.end(out.body);
        }
        send(res, 404, { __type: 'UnknownOperationException', message: `No local service at ${url.pathname}` });
      } catch (err) {
        send(res, 500, { __type: 'InternalFailure', message: (err as Error).message });
      }
    });
    awsServer.keepAliveTimeout = 60_000;
    await listen(awsServer, o.awsPort, host);
    stoppers.push(() => new Promise<void>((r) => { awsServer.closeAllConnections(); awsServer.close(() => r()); }));

    // API Gateway emulation + the local control API
    const routes = compileRoutes();
    // API Gateway's stage and route throttling, with the numbers the stack uses (shared/rate-limits.ts; RATE_LIMIT_* raise them).
    const throttle = new RouteThrottle(rateLimitsFrom(process.env));
    const verify = await createVerifier(o.dataDir);
    const fnByName = new Map(functions.map((f) => [f.name, f]));
    const started = Date.now();
    const apiServer = createServer(async (req, res) => {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const body = await readBody(req, 10 * 1024 * 1024);
        if (url.pathname.startsWith('/_local/')) return await control(req, res, url, body);
        const hit = matchRoute(routes, req.method ?? 'GET', url.pathname);
        if (!hit) return send(res, 404, { message: 'Not Found' });
        const gate = throttle.take(hit.route.key);
        if (!gate.ok) {
          const t = throttledResponse(gate.retryAfterSeconds);
          return send(res, t.status, t.body, t.headers);
        }
        let claims;
        if (hit.route.spec.auth === 'admin') {
          claims = await verify(req.headers.authorization);
          if (!claims) return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
        }
        const event = buildEvent({ req, url, body, route: hit.route, pathParameters: hit.pathParameters, claims, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' });
        const f = fnByName.get(hit.route.spec.functionName)!;
        const result = (await (await handlerOf(f))(event, lambdaContext(f))) as {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: string;
          isBase64Encoded?: boolean;
          cookies?: string[];
        };
        const headers: Record<string, string | string[]> = { ...(result.headers ?? {}) };
        if (result.cookies?.length) headers['set-cookie'] = result.cookies;
        res.writeHead(result.statusCode ?? 200, headers);
        res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
      } catch (err) {
        log(`[api] ${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
        if (!res.headersSent) send(res, (err as { status?: number }).status ?? 500, { message: 'Internal Server Error' });
        else res.end();
      }
    });

    async function control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) {
      const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /_local/status':
          return send(res, 200, {
            status: 'ok',
            uptimeSeconds: Math.round((Date.now() - started) / 1000),
            now: new Date(nowMs()).toISOString(),
            clockOffsetMs: clockOffset(),
            urls,
            dataDir: o.inMemory ? `${o.dataDir} (DynamoDB in memory)` : o.dataDir,
            bus: { rules: bus.rules.map((r) => ({ name: r.name, target: r.targetName, pattern: r.pattern })), inFlight: bus.inFlight, deadLetters: bus.deadLetters.length, stats: bus.stats },
            scheduler: { schedules: scheduler.list().length, stats: scheduler.stats },
            chaos,
            chaosEffects,
          });
        case 'POST /_local/clock': {
          if (typeof input.set === 'string') {
            const t = Date.parse(input.set);
            if (Number.isNaN(t)) return send(res, 400, { message: 'set must be an ISO time' });
            setClockOffset(t - Date.now());
          } else if (typeof input.advanceSeconds === 'number' && Number.isFinite(input.advanceSeconds)) {
            setClockOffset(clockOffset() + input.advanceSeconds * 1000);
          } else if (input.reset === true) {
            setClockOffset(0);
          } else return send(res, 400, { message: 'body must be { "set": "<ISO time>" } or { "advanceSeconds": n } or { "reset": true }' });
          writeFileSync(clockFile, JSON.stringify({ offsetMs: clockOffset() }));
          const firedBefore = scheduler.stats.fired;
          await scheduler.fireDue();
          await bus.idle();
          return send(res, 200, { now: new Date(nowMs()).toISOString(), fired: scheduler.stats.fired - firedBefore });
        }
        case 'GET /_local/metrics':
          // What the cost benchmark counts: AWS calls made by the functions, Lambda invocations, events.
          return send(res, 200, {
            awsCalls: Object.fromEntries([...awsCallCounts].sort()),
            lambdaInvocations: Object.fromEntries([...invocations].sort()),
            bus: bus.stats,
            scheduler: scheduler.stats,
          });
        case 'GET /_local/function-env': {
          // The environment the functions run with here, so that a benchmark can run one in its own process.
          const names = new Set<string>(Object.values(Env));
          return send(res, 200, Object.fromEntries(Object.entries(process.env).filter(([k]) => names.has(k) || k.startsWith('AWS_'))));
        }
        case 'POST /_local/metrics/reset':
          awsCallCounts.clear();
          invocations.clear();
          return send(res, 200, { reset: true });
        case 'POST /_local/idle':
          await bus.idle();
          return send(res, 200, { inFlight: bus.inFlight });
        case 'GET /_local/schedules':
          return send(res, 200, { items: scheduler.list() });
        case 'POST /_local/bench/ses-loop': {
          // A raw SendEmail loop run inside this process (the handlers' process), for the fan-out
          // benchmark's same-process baseline: same SDK, same endpoint, no ledger, no templates.
          const count = Math.min(100_000, Math.max(1, Number(input.count) || 1000));
          const concurrency = Math.min(256, Math.max(1, Number(input.concurrency) || 32));
          return send(res, 200, await rawSesLoop(urls.aws, count, concurrency, String(input.html ?? ''), String(input.text ?? '')));
        }
        case 'GET /_local/ses/sends': {
          const since = Number(url.searchParams.get('since') ?? 0) || 0;
          const times = sesAccepted.filter((t) => t >= since);
          return send(res, 200, { count: times.length, times });
        }
        case 'GET /_local/mailbox': {
          // New mail after a cursor, lean (no HTML, no attachments): for clients that wait for their mail
          // (the registration benchmark) without re-reading the mailbox's whole current second each time.
          if (externalSes) return send(res, 404, { message: 'SES runs as its own process (LOCAL_SES_URL): read its /store' });
          const stored = sesStore().emails;
          let after = Number(url.searchParams.get('after') ?? 0);
          if (!Number.isInteger(after) || after < 0 || after > stored.length) after = 0; // a cleared mailbox starts over
          const emails = stored.slice(after).map((m) => ({ messageId: m.messageId, to: m.destination.to, subject: m.subject, text: m.body.text ?? '', at: m.at }));
          return send(res, 200, { emails, next: stored.length });
        }
        case 'GET /_local/dead-letters':
          return send(res, 200, { items: bus.deadLetters });
        case 'POST /_local/chaos':
          Object.assign(chaos, pick(input, chaos));
          return send(res, 200, chaos);
        default:
          return send(res, 404, { message: `No local control route ${req.method} ${url.pathname}` });
      }
    }

    apiServer.keepAliveTimeout = 60_000;
    await listen(apiServer, o.apiPort, host);
    stoppers.push(() => new Promise<void>((r) => { apiServer.closeAllConnections(); apiServer.close(() => r()); }));
    stoppers.push(async () => {
      await bus.idle();
      await sleep(10);
      bus.close();
    });
    bus.recover();

    return { urls, bus, scheduler, chaos, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function rawSesLoop(endpoint: string, count: number, concurrency: number, html: string, text: string) {
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  const ses = new SESv2Client({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: '"Seminarer" <seminarer@example.no>',
          Destination: { ToAddresses: [`raw.${i}@bench.example.no`] },
          Content: { Simple: { Subject: { Data: `Raw ${i}` }, Body: { Text: { Data: text || `Raw ${i}` }, Html: { Data: html || `<p>Raw ${i}</p>` } } } },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  ses.destroy();
  return { count, concurrency, seconds, rate: count / seconds };
}

function pick(input: Record<string, unknown>, shape: Chaos): Partial<Chaos> {
  const out: Partial<Chaos> = {};
  for (const k of Object.keys(shape) as Array<keyof Chaos>) {
    if (k in input && typeof input[k] === typeof shape[k]) (out as Record<string, unknown>)[k] = input[k];
  }
  return out;
}
