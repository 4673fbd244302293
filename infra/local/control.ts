/**
 * The local control API under /_local/ on the API port: status, the clock, metrics, the functions'
 * environments (without secrets), idle, schedules, mailbox, SES send times, SES feedback (bounces and
 * complaints), dead letters, chaos switches, and a raw SES loop for the fan-out benchmark's baseline.
 * A body that is not a JSON object is answered 400.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { awsCallCounts, awsItemCounts } from '../../shared/aws/clients.js';
import { clockOffset, nowMs, setClockOffset } from '../../shared/clock.js';
import { Env } from '../../shared/env-names.js';
import type { LocalBus } from './bus.js';
import { chaosEffects, type Chaos } from './chaos.js';
import { jsonObjectBody, send } from './http.js';
import { isDeadLetterQueue, NAMES, REGION } from './names.js';
import type { LocalRuntime } from './runtime.js';
import type { LocalScheduler } from './scheduler.js';
import type { LocalSqs } from './sqs.js';
import { feedbackEventEntry } from './ses.js';

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  at: number;
}
/** The mailbox of the in-process aws-ses-v2-local (the module the server itself uses). */
const sesStore = () => (createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as { getStoreReadonly(): { emails: StoredEmail[] } }).getStoreReadonly();

export interface ControlOptions {
  urls: { api: string; aws: string; mailbox: string; dynamodb: string };
  dataDir: string;
  inMemory: boolean;
  runtime: LocalRuntime;
  bus: LocalBus;
  /** The queues (infra/local/sqs.ts): a queued function's dead-letter queue is listed with the bus's dead letters. */
  sqs: LocalSqs;
  /** Resolves when nothing is in flight: the bus and every queue poller. */
  idle: () => Promise<void>;
  scheduler: LocalScheduler;
  chaos: Chaos;
  /** Where the clock offset is kept across restarts. */
  clockFile: string;
  /** When each accepted SendEmail arrived (epoch ms). */
  sesAccepted: number[];
  /** SES runs as its own process (LOCAL_SES_URL): its mailbox is not in this process. */
  externalSes: boolean;
}

export function createControl(o: ControlOptions) {
  const { bus, scheduler, chaos, runtime } = o;
  const started = Date.now();
  return async function control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const input = jsonObjectBody(body);
    if (typeof input === 'string') return send(res, 400, { message: input });
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /_local/status':
        return send(res, 200, {
          status: 'ok',
          uptimeSeconds: Math.round((Date.now() - started) / 1000),
          now: new Date(nowMs()).toISOString(),
          clockOffsetMs: clockOffset(),
          urls: o.urls,
          dataDir: o.inMemory ? `${o.dataDir} (DynamoDB in memory)` : o.dataDir,
          bus: { rules: bus.rules.map((r) => ({ name: r.name, target: r.targetName, pattern: r.pattern })), inFlight: bus.inFlight, deadLetters: bus.deadLetters.length, stats: bus.stats },
          scheduler: { schedules: scheduler.list().length, stats: scheduler.stats },
          chaos,
          chaosEffects,
          // LOCAL_ISOLATION: each function's live instances and cold starts (infra/local/runtime.ts).
          lambda: { isolation: runtime.isolation, instances: runtime.instanceStats() },
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
        writeFileSync(o.clockFile, JSON.stringify({ offsetMs: clockOffset() }));
        const firedBefore = scheduler.stats.fired;
        await scheduler.fireDue();
        await o.idle();
        return send(res, 200, { now: new Date(nowMs()).toISOString(), fired: scheduler.stats.fired - firedBefore });
      }
      case 'GET /_local/metrics':
        // What the cost benchmark (bench/cost.ts) bills: AWS calls made by the functions and DynamoDB's
        // items in them, Lambda invocations and what they used per function (duration, CPU, heap, the
        // configured memory) and the instances' inits, the event source pollers' SQS requests and the
        // messages each queue got, events.
        return send(res, 200, {
          awsCalls: Object.fromEntries([...awsCallCounts].sort()),
          dynamoItems: Object.fromEntries([...awsItemCounts].sort()),
          lambdaInvocations: Object.fromEntries([...runtime.invocations].sort()),
          functions: runtime.metrics(),
          lambdaInits: runtime.initMetrics(),
          isolation: runtime.isolation,
          sqsPollerRequests: Object.fromEntries([...o.sqs.pollerRequests].sort(([a], [b]) => a.localeCompare(b)).map(([q, byAction]) => [q, Object.fromEntries(byAction)])),
          sqsMessagesSent: Object.fromEntries([...o.sqs.messagesSent].sort()),
          bus: bus.stats,
          scheduler: scheduler.stats,
        });
      case 'GET /_local/function-env': {
        // The environment a function runs with here (`?function=<name>`; by default every function's
        // variables together), so that a benchmark can run one in its own process. Without the
        // link-signing secret: on AWS it lives in Secrets Manager, not in a function's environment, and no
        // one reads it from a function's configuration; locally it is the file `<dataDir>/token-secret`
        // (`localTokenSecret`), which a benchmark running a function reads itself.
        const name = url.searchParams.get('function');
        const names = name ? [name] : runtime.functions.map((f) => f.name);
        if (name && !runtime.functions.some((f) => f.name === name)) return send(res, 404, { message: `No wired function ${name}` });
        const aws = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_')));
        const env: Record<string, string> = Object.assign(aws, ...names.map((n) => runtime.environmentOf(n)));
        for (const secret of SECRET_VARIABLES) delete env[secret];
        return send(res, 200, env);
      }
      case 'POST /_local/metrics/reset':
        awsCallCounts.clear();
        awsItemCounts.clear();
        runtime.resetMetrics();
        o.sqs.resetBilling();
        return send(res, 200, { reset: true });
      case 'POST /_local/idle':
        await o.idle();
        return send(res, 200, { inFlight: bus.inFlight });
      case 'GET /_local/schedules':
        return send(res, 200, { items: scheduler.list() });
      case 'POST /_local/bench/ses-loop': {
        // A raw SendEmail loop run inside this process (the handlers' process), for the fan-out
        // benchmark's same-process baseline: same SDK, same endpoint, no ledger, no templates.
        const count = Math.min(100_000, Math.max(1, Number(input.count) || 1000));
        const concurrency = Math.min(256, Math.max(1, Number(input.concurrency) || 32));
        return send(res, 200, await rawSesLoop(o.urls.aws, count, concurrency, String(input.html ?? ''), String(input.text ?? '')));
      }
      case 'GET /_local/ses/sends': {
        const since = Number(url.searchParams.get('since') ?? 0) || 0;
        const times = o.sesAccepted.filter((t) => t >= since);
        return send(res, 200, { count: times.length, times });
      }
      case 'GET /_local/mailbox': {
        // New mail after a cursor, lean (no HTML, no attachments): for clients that wait for their mail
        // (the registration benchmark) without re-reading the mailbox's whole current second each time.
        if (o.externalSes) return send(res, 404, { message: 'SES runs as its own process (LOCAL_SES_URL): read its /store' });
        const stored = sesStore().emails;
        let after = Number(url.searchParams.get('after') ?? 0);
        if (!Number.isInteger(after) || after < 0 || after > stored.length) after = 0; // a cleared mailbox starts over
        const emails = stored.slice(after).map((m) => ({ messageId: m.messageId, to: m.destination.to, subject: m.subject, text: m.body.text ?? '', at: m.at }));
        return send(res, 200, { emails, next: stored.length });
      }
      case 'POST /_local/ses/feedback': {
        // The recipient's side reports a bounce or a complaint to the local SES, which publishes it as SES
        // does (source aws.ses); nobody else can put that source on the bus.
        if (o.externalSes) return send(res, 404, { message: 'SES runs as its own process (LOCAL_SES_URL): POST its /_local/feedback' });
        const entry = feedbackEventEntry(input, NAMES.bus, new Date(nowMs()));
        if (typeof entry === 'string') return send(res, 400, { message: entry });
        const out = bus.putEvents([entry as Record<string, unknown>], { awsService: true });
        return out.FailedEntryCount ? send(res, 400, { message: out.Entries[0].ErrorMessage }) : send(res, 200, { eventId: out.Entries[0].EventId });
      }
      case 'GET /_local/dead-letters':
        return send(res, 200, { items: [...bus.deadLetters, ...queueDeadLetters(o.sqs)] });
      case 'POST /_local/chaos':
        Object.assign(chaos, pick(input, chaos));
        return send(res, 200, chaos);
      default:
        return send(res, 404, { message: `No local control route ${req.method} ${url.pathname}` });
    }
  };
}

/** Messages waiting in the dead-letter queues of queued functions (`<function>-dlq`), as the bus lists its own. */
function queueDeadLetters(sqs: LocalSqs) {
  return sqs
    .list()
    .filter((q) => isDeadLetterQueue(q.name))
    .flatMap((q) => [...q.messages.values()].map((m) => ({ queue: q.name, messageId: m.id, body: m.body, receiveCount: m.receiveCount })));
}

/** Variables whose values GET /_local/function-env never shows. */
const SECRET_VARIABLES: readonly string[] = [Env.tokenSecret];

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
