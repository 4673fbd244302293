/**
 * The local cloud: DynamoDB Local, the SES v2 mailbox, our EventBridge and Scheduler endpoints, the
 * API Gateway emulation and a controllable clock, wired from infra/wiring.ts like the CDK stack.
 * Handlers run in this process (infra/local/runtime.ts), each with the environment the stack gives it,
 * and reach everything through AWS_ENDPOINT_URL_* like on AWS.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, leanDynamoClient } from '../../shared/aws/clients.js';
import { setClockOffset, nowMs } from '../../shared/clock.js';
import { Env, type EnvName } from '../../shared/env-names.js';
import { redactEmails } from '../../shared/log.js';
import { rateLimitEnvironment, rateLimitsFrom, RouteThrottle } from '../../shared/rate-limits.js';
import { functions, ruleFor } from '../wiring.js';
import { createVerifier } from './auth.js';
import { createAwsEndpoint } from './aws-endpoint.js';
import { LocalBus, sleep, type BusEvent } from './bus.js';
import { noChaos, throttleHook, throttleMiddleware, type Chaos } from './chaos.js';
import { createConsoleHost } from './console.js';
import { createControl } from './control.js';
import { ensureTable, startDynamoLocal } from './dynamo.js';
import { createApiGateway } from './gateway.js';
import { close, listen } from './http.js';
import { ACCOUNT, functionQueues, NAMES, REGION } from './names.js';
import { createLocalAuth, LOCAL_AUTH_PATH } from './oauth.js';
import { functionTimeoutSeconds, LocalRuntime } from './runtime.js';
import { LocalScheduler } from './scheduler.js';
import { startSesServer } from './ses.js';
import { localServiceKey } from './service-key.js';
import { LocalSqs } from './sqs.js';
import { SqsPoller } from './sqs-poller.js';
import type { SQSBatchResponse } from 'aws-lambda';
import type { FunctionSpec, QueueSpec } from '../../shared/spec.js';
import { senderInstances } from '../../shared/email/rate.js';

/** The local cloud's SES send rate unless SES_SEND_RATE_PER_SECOND says otherwise (the local SES has no quota). */
const LOCAL_SEND_RATE = 200;

export { ACCOUNT, NAMES, REGION } from './names.js';

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

export interface LocalCloud {
  urls: LocalUrls;
  bus: LocalBus;
  scheduler: LocalScheduler;
  /** SQS on the AWS endpoint (infra/local/sqs.ts); event-source pollers: infra/local/sqs-poller.ts. */
  sqs: LocalSqs;
  chaos: Chaos;
  stop(): Promise<void>;
}

type LocalUrls = { api: string; aws: string; mailbox: string; dynamodb: string };
type Stoppers = Array<() => Promise<void> | void>;

function localUrls(o: LocalCloudOptions): LocalUrls {
  const base = `http://localhost`;
  return {
    api: `${base}:${o.apiPort}`,
    aws: `${base}:${o.awsPort}`,
    mailbox: process.env.LOCAL_SES_URL ?? `${base}:${o.sesPort}`,
    dynamodb: process.env.LOCAL_DYNAMODB_URL ?? `${base}:${o.dynamoPort}`,
  };
}

/** The link-signing secret of the local cloud whose data is in `dataDir` (created on first use). */
export function localTokenSecret(dataDir: string): string {
  const file = join(dataDir, 'token-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** What every function shares, as the Lambda runtime sets it: the region, credentials, and our endpoints. */
function setRuntimeEnvironment(urls: LocalUrls): void {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.aws,
    AWS_ENDPOINT_URL_SCHEDULER: urls.aws,
    AWS_ENDPOINT_URL_SESV2: urls.aws,
    AWS_ENDPOINT_URL_SQS: urls.aws,
  });
}

/**
 * Every variable's value in the local cloud, as the stack has them on AWS; each function gets those its
 * wiring entry needs (`functionEnvironment`, which tests that run store or mail code in their own process
 * call with these values too). Variables set in this process's environment (RETENTION_DAYS, LOG_LEVEL,
 * the sender, RATE_LIMIT_* …) are passed on. `apiUrl`: the local API, the base of the links.
 */
export function localEnvironmentValues(dataDir: string, apiUrl: string, awsUrl?: string): Partial<Record<EnvName, string>> {
  const given = Object.fromEntries(Object.values(Env).flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])));
  return {
    ...given,
    [Env.tableName]: NAMES.table,
    [Env.busName]: NAMES.bus,
    [Env.busArn]: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${NAMES.bus}`,
    [Env.scheduleGroup]: NAMES.group,
    [Env.schedulerRoleArn]: `arn:aws:iam::${ACCOUNT}:role/local-scheduler`,
    [Env.senderEmail]: given[Env.senderEmail] ?? 'seminarer@example.no',
    [Env.senderName]: given[Env.senderName] ?? 'Seminarer (lokalt)',
    [Env.publicBaseUrl]: given[Env.publicBaseUrl] ?? apiUrl,
    [Env.tokenSecret]: localTokenSecret(dataDir),
    [Env.sesSendRate]: given[Env.sesSendRate] ?? String(LOCAL_SEND_RATE),
    // Emails name a configuration set, so the local SES publishes `Email Sent` events as AWS does.
    [Env.sesConfigurationSet]: given[Env.sesConfigurationSet] ?? NAMES.configurationSet,
    ...rateLimitEnvironment(rateLimitsFrom(process.env)),
    // The queue of the function that drains the send queue, on the local SQS (where the SDK's endpoint is).
    ...(awsUrl && SENDER ? { [Env.sendQueueUrl]: `${awsUrl}/${ACCOUNT}/${functionQueues(SENDER.name).queue}` } : {}),
  };
}

/** The function that drains the send queue (`drains: 'notices'`). */
const SENDER = functions.find((f) => f.drains === 'notices');

/**
 * DynamoDB Local, and the table as the stack defines it; fails fast if DynamoDB Local exits. With
 * LOCAL_DYNAMODB_URL, DynamoDB Local runs as its own process (the crash tests: like DynamoDB on AWS, it
 * outlives a crash of our functions) and only the table is made sure of.
 */
async function startDynamo(o: LocalCloudOptions, urls: LocalUrls, stoppers: Stoppers): Promise<void> {
  if (process.env.LOCAL_DYNAMODB_URL) return void (await ensureTable(new DynamoDBClient({ endpoint: urls.dynamodb }), NAMES.table));
  const ddb = startDynamoLocal({ port: o.dynamoPort, dataDir: o.inMemory ? undefined : join(o.dataDir, 'dynamodb') });
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
}

/**
 * SES v2 local server (and its mailbox page), unless SES runs as its own process (LOCAL_SES_URL,
 * infra/local/ses.ts), which then publishes its `Email Sent` events to our bus itself.
 */
async function startSes(o: LocalCloudOptions, host: string, stoppers: Stoppers) {
  const external = process.env.LOCAL_SES_URL;
  if (!external) {
    const server = await startSesServer(host, o.sesPort);
    stoppers.push(() => close(server));
  }
  return { base: external ?? `http://${host}:${o.sesPort}`, external: Boolean(external) };
}

/**
 * A queued function's queue (`queue` in the wiring), with its dead-letter queue, and the event source
 * mapping that drains it into the function, as the stack makes them (infra/constructs/wired-function.ts).
 * Returns where the bus sends its rules' events: the queue, with the event as the message body, as
 * EventBridge's SQS target does.
 */
function queueFor(f: FunctionSpec, q: QueueSpec, sqs: LocalSqs, runtime: LocalRuntime, log: (l: string) => void, stoppers: Stoppers): (event: BusEvent) => Promise<void> {
  const names = functionQueues(f.name);
  const dlq = sqs.createQueue(names.deadLetter, { MessageRetentionPeriod: String(14 * 86400) });
  const timeout = functionTimeoutSeconds(f);
  const queue = sqs.createQueue(names.queue, {
    VisibilityTimeout: String(6 * timeout + q.maxBatchingWindowSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: q.maxReceiveCount }),
  });
  const poller = new SqsPoller({
    sqs,
    queue: queue.name,
    region: REGION,
    batchSize: q.batchSize,
    // LOCAL_BATCHING_WINDOW_SECONDS shortens the window (the test cloud's 0.1 s), as LOCAL_LAMBDA_TIMEOUT_SECONDS shortens timeouts.
    maxBatchingWindowSeconds: Math.min(q.maxBatchingWindowSeconds, Number(process.env.LOCAL_BATCHING_WINDOW_SECONDS ?? Infinity)),
    // The sender's concurrency follows from the send rate, as the stack sets it (infra/constructs/wired-function.ts).
    maxConcurrency: f.drains === 'notices' ? senderInstances(runtime.sendRatePerSecond) : q.maxConcurrency,
    reportBatchItemFailures: true,
    log,
    target: async (event) => (await runtime.invoke(f, event)) as SQSBatchResponse,
  }).start();
  stoppers.push(() => poller.stop());
  return async (event) => void sqs.send(queue, { MessageBody: JSON.stringify(event) });
}

/** The bus, with every rule of the wiring targeting its function (or a queued function's queue). */
function createBus(o: LocalCloudOptions, runtime: LocalRuntime, chaos: Chaos, log: (l: string) => void, sqs: LocalSqs, stoppers: Stoppers): LocalBus {
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
  for (const f of runtime.functions) {
    // The sender's queue is fed by the fan-outs (SendMessageBatch on the local SQS), not by rules.
    if (f.drains === 'notices' && f.queue) queueFor(f, f.queue, sqs, runtime, log, stoppers);
    const target = f.queue && f.rules?.length ? queueFor(f, f.queue, sqs, runtime, log, stoppers) : (event: BusEvent) => runtime.invoke(f, event);
    for (const rule of f.rules ?? []) bus.addRule({ name: rule.name, pattern: ruleFor(rule), targetName: f.name, target });
  }
  return bus;
}

/** Nothing in flight anywhere: no bus delivery, no queued message or batch (each may cause the other). */
async function cloudIdle(bus: LocalBus, sqs: LocalSqs): Promise<void> {
  for (;;) {
    await bus.idle();
    await sqs.idle();
    if (bus.inFlight === 0 && sqs.idleNow) return;
  }
}

/** The scheduler, whose due schedules put their events on the bus; checked every second. */
function createScheduler(o: LocalCloudOptions, bus: LocalBus, log: (l: string) => void, stoppers: Stoppers): LocalScheduler {
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
  const tick = setInterval(() => void scheduler.fireDue(), 1000);
  stoppers.push(() => clearInterval(tick));
  return scheduler;
}

async function serve(server: Server, port: number, host: string, stoppers: Stoppers): Promise<void> {
  await listen(server, port, host);
  stoppers.push(() => close(server));
}

export async function startLocalCloud(o: LocalCloudOptions): Promise<LocalCloud> {
  // Request paths and error messages may carry email addresses: logs never show them in clear.
  const sink = o.log ?? ((l: string) => console.log(l));
  const log = (l: string) => sink(redactEmails(l));
  const host = o.host ?? '127.0.0.1';
  mkdirSync(o.dataDir, { recursive: true });
  const urls = localUrls(o);
  setRuntimeEnvironment(urls);

  const stoppers: Stoppers = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s();
  };

  try {
    await startDynamo(o, urls, stoppers);
    const ses = await startSes(o, host, stoppers);
    /** When each accepted SendEmail arrived (epoch ms), for GET /_local/ses/sends: the send rate as SES sees it. */
    const sesAccepted: number[] = [];

    const runtime = new LocalRuntime(resolve(import.meta.dirname, '../..'), functions, localEnvironmentValues(o.dataDir, urls.api, urls.aws));
    stoppers.push(() => runtime.close());
    const chaos = noChaos();
    // Throttling chaos: the handlers' DynamoDB client gets ThrottlingException responses as AWS sends them
    // (isolated, each instance's client: the runtime passes the switches on).
    runtime.useChaos(chaos);
    if (runtime.isolation === 'none') {
      documentClient().middlewareStack.add(throttleMiddleware(chaos), { step: 'deserialize', priority: 'low', name: 'localChaosThrottle' });
      leanDynamoClient().intercept(throttleHook(chaos));
    }
    // With persistent data, accepted messages survive a crash (SQS is durable) and come back on start.
    const sqs = new LocalSqs({ baseUrl: urls.aws, account: ACCOUNT, region: REGION, journal: o.inMemory ? undefined : join(o.dataDir, 'sqs-journal.ndjson') });
    stoppers.push(() => sqs.close());
    const bus = createBus(o, runtime, chaos, log, sqs, stoppers);
    const idle = () => cloudIdle(bus, sqs);
    const scheduler = createScheduler(o, bus, log, stoppers);
    const clockFile = join(o.dataDir, 'clock.json');
    if (existsSync(clockFile)) setClockOffset(Number(JSON.parse(readFileSync(clockFile, 'utf8')).offsetMs) || 0);

    const serviceKey = localServiceKey(o.dataDir);
    await serve(createAwsEndpoint({ bus, scheduler, chaos, sesBase: ses.base, externalSes: ses.external, sesAccepted, serviceKey, sqs }), o.awsPort, host, stoppers);
    const control = createControl({ urls, dataDir: o.dataDir, inMemory: o.inMemory, runtime, bus, sqs, idle, scheduler, chaos, clockFile, sesAccepted, externalSes: ses.external });
    // API Gateway's stage and route throttling, with the numbers the stack uses, and the per-client-address bucket taken before them (shared/rate-limits.ts; RATE_LIMIT_* raise them).
    const throttle = new RouteThrottle(rateLimitsFrom(process.env));
    // The stand-in for Cognito's managed login (/_local/auth/…), beside the control API; the console at /console/.
    const localAuth = createLocalAuth({ dataDir: o.dataDir, apiUrl: urls.api });
    const local: typeof control = (req, res, url, body) => (url.pathname.startsWith(`${LOCAL_AUTH_PATH}/`) ? localAuth(req, res, url, body) : control(req, res, url, body));
    const consoleHost = createConsoleHost({ apiUrl: urls.api });
    await serve(createApiGateway({ runtime, throttle, verify: await createVerifier(o.dataDir), control: local, console: consoleHost, log }), o.apiPort, host, stoppers);
    stoppers.push(async () => {
      await idle();
      await sleep(10);
      bus.close();
    });
    bus.recover();
    sqs.recover();

    return { urls, bus, scheduler, sqs, chaos, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
