/**
 * Cost, honestly: what AWS would bill for one registration (submit, the confirm-your-address email,
 * confirm, the confirmation email) and for a fan-out to 1,000 recipients (the streaming link), from what
 * the local cloud measures with Lambda's isolation (GET /_local/metrics): each function's invocations
 * and their wall time at the memory the stack configures (`memoryOf`), the instances' inits, the SQS
 * requests (the functions' SendMessageBatch, EventBridge's SendMessage to a queued function's queue, the
 * event source mappings' receives and deletes), the events, DynamoDB's items (read and write units),
 * the emails. The cloud runs at the send rate the stack deploys with (cdk.json `sesSendRatePerSecond`),
 * so a sender's invocations last as long as the account's rate makes them, as they would on AWS.
 *
 *   npx tsx bench/cost.ts [--people 200] [--recipients 1000] [--rate 14]
 */
import type { FunctionMetrics } from '../infra/local/runtime.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mintToken } from '../infra/local/auth.js';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { functionQueues } from '../infra/local/names.js';
import { functions } from '../infra/wiring.js';
import { LAMBDA_MB_PER_VCPU } from '../shared/email/rate.js';
import { fireStreamingLink, scheduledSeminar, seedRegistrations } from './fanout-support.js';
import { BENCH_LIMITS, benchSeminarBody, heading, json, pool } from './lib.js';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const deployedRate = Number(JSON.parse(readFileSync(resolve(import.meta.dirname, '../cdk.json'), 'utf8')).context.sesSendRatePerSecond);
const PEOPLE = arg('people', 200);
const RECIPIENTS = arg('recipients', arg('fanout', 1000));
const RATE = arg('rate', deployedRate);

/**
 * List prices, us-east-1, USD, without free tiers (checked 2026-11; eu-north-1 is within a few per cent).
 * Lambda bills each invocation's duration rounded up to the millisecond, at its configured memory, and
 * (since August 2025) the INIT phase of a cold start likewise. SQS bills every request (a batch of up
 * to 10 messages is one; each 64 KB of payload another: ours are a few hundred bytes). DynamoDB on
 * demand bills units: a write unit per item of up to 1 KB (two in a transaction), a read unit per
 * strongly consistent item of up to 4 KB (two in a transaction); the store reads consistently, so reads
 * are counted at one unit an item (an upper bound), and a Query at one unit per 4 items it reads (items
 * of about 1 KB), at least one.
 */
const PRICE = {
  apiRequest: 1.0 / 1e6, // HTTP API, per request
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334, // arm64
  sqsRequest: 0.4 / 1e6, // standard queue
  eventBridgeEvent: 1.0 / 1e6, // custom events; SES's, forwarded from the default bus, are counted as such too (an upper bound)
  schedulerInvocation: 1.0 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sesEmail: 0.1 / 1000,
};

interface Metrics {
  awsCalls: Record<string, number>;
  dynamoItems: Record<string, number>;
  functions: Record<string, FunctionMetrics>;
  lambdaInits: Record<string, { count: number; durationMs: number }>;
  isolation: string;
  sqsPollerRequests: Record<string, Record<string, number>>;
  sqsMessagesSent: Record<string, number>;
  bus: { entries: number };
  scheduler: { fired: number };
}

/** The queues a bus rule targets (a queued function with rules): EventBridge sends each event there with one SendMessage. */
const busFedQueues = new Set(functions.filter((f) => f.queue && f.rules?.length).map((f) => functionQueues(f.name).queue));

const gbSeconds = (ms: number, memoryMb: number) => (ms / 1000) * (memoryMb / 1024);

interface Bill {
  lines: Array<{ name: string; invocations: number; avgMs: number; maxMs: number; cpuMs: number | null; heapMb: number | null; memoryMb: number; gbs: number; dollars: number }>;
  parts: Record<string, { what: string; dollars: number }>;
  /**
   * The duration's GB-s again as if each function's CPU had run at its memory's share of a vCPU (Lambda
   * gives memory/1,769 MB of one: at 256 MB a millisecond of CPU here takes about 7 there), where the
   * local core ran it whole: a bound on how far this machine's durations may be from Lambda's.
   */
  cpuShareGbs: number;
  lambdaGbs: number;
  dynamo: string;
  otherCalls: string;
  emails: number;
  total: number;
}

function bill(m: Metrics, apiRequests: number): Bill {
  const lines: Bill['lines'] = [];
  let lambdaRequests = 0;
  let lambdaGbs = 0;
  let cpuShareGbs = 0;
  for (const [name, f] of Object.entries(m.functions)) {
    if (!f.invocations) continue;
    // Each invocation is rounded up to the millisecond: half a millisecond on average.
    const gbs = gbSeconds(f.durationMs + 0.5 * f.invocations, f.memoryMb);
    lambdaRequests += f.invocations;
    lambdaGbs += gbs;
    cpuShareGbs += gbs + gbSeconds((f.cpuMs ?? 0) * Math.max(0, LAMBDA_MB_PER_VCPU / f.memoryMb - 1), f.memoryMb);
    lines.push({
      name,
      invocations: f.invocations,
      avgMs: f.durationMs / f.invocations,
      maxMs: f.maxDurationMs,
      cpuMs: f.cpuMs === null ? null : f.cpuMs / f.invocations,
      heapMb: f.peakHeapMb,
      memoryMb: f.memoryMb,
      gbs,
      dollars: f.invocations * PRICE.lambdaRequest + gbs * PRICE.lambdaGbSecond,
    });
  }
  lines.sort((a, b) => b.dollars - a.dollars);
  let inits = 0;
  let initGbs = 0;
  for (const [name, i] of Object.entries(m.lambdaInits)) {
    inits += i.count;
    initGbs += gbSeconds(i.durationMs, m.functions[name]?.memoryMb ?? 256);
  }

  let writes = 0;
  let reads = 0;
  const dynamo = Object.entries(m.dynamoItems)
    .map(([op, items]) => `${op.replace(/^DynamoDB\./, '')} ${m.awsCalls[op] ?? 0} calls/${items} items`)
    .join(', ');
  for (const [op, items] of Object.entries(m.dynamoItems)) {
    const name = op.replace(/^DynamoDB\./, '');
    if (name === 'TransactWriteItems') writes += 2 * items;
    else if (/^(Put|Update|Delete)Item$|^BatchWriteItem$/.test(name)) writes += items;
    else if (name === 'TransactGetItems') reads += 2 * items;
    else if (name === 'Query' || name === 'Scan') reads += Math.max(m.awsCalls[op] ?? 0, Math.ceil(items / 4));
    else reads += items; // GetItem, BatchGetItem
  }

  const functionSqs = Object.entries(m.awsCalls)
    .filter(([op]) => op.startsWith('SQS.'))
    .reduce((n, [, v]) => n + v, 0);
  const busSqs = Object.entries(m.sqsMessagesSent)
    .filter(([q]) => busFedQueues.has(q))
    .reduce((n, [, v]) => n + v, 0);
  const pollerSqs = Object.values(m.sqsPollerRequests).reduce((n, byAction) => n + Object.values(byAction).reduce((a, b) => a + b, 0), 0);
  const emails = Object.entries(m.awsCalls)
    .filter(([op]) => /^SES\.SendEmail/.test(op))
    .reduce((n, [, v]) => n + v, 0);

  const parts: Bill['parts'] = {
    'Lambda requests': { what: `${lambdaRequests} invocations`, dollars: lambdaRequests * PRICE.lambdaRequest },
    'Lambda duration': { what: `${lambdaGbs.toFixed(2)} GB-s`, dollars: lambdaGbs * PRICE.lambdaGbSecond },
    'Lambda init': { what: `${inits} cold starts, ${initGbs.toFixed(2)} GB-s`, dollars: initGbs * PRICE.lambdaGbSecond },
    'API Gateway': { what: `${apiRequests} requests`, dollars: apiRequests * PRICE.apiRequest },
    SQS: { what: `${functionSqs + busSqs + pollerSqs} requests (functions ${functionSqs}, EventBridge ${busSqs}, event source mappings ${pollerSqs})`, dollars: (functionSqs + busSqs + pollerSqs) * PRICE.sqsRequest },
    EventBridge: { what: `${m.bus.entries} events`, dollars: m.bus.entries * PRICE.eventBridgeEvent },
    Scheduler: { what: `${m.scheduler.fired} invocations`, dollars: m.scheduler.fired * PRICE.schedulerInvocation },
    'DynamoDB writes': { what: `${writes} write units`, dollars: writes * PRICE.dynamoWriteUnit },
    'DynamoDB reads': { what: `${reads} read units`, dollars: reads * PRICE.dynamoReadUnit },
    SES: { what: `${emails} emails`, dollars: emails * PRICE.sesEmail },
  };
  const total = Object.values(parts).reduce((n, p) => n + p.dollars, 0);
  const otherCalls = Object.entries(m.awsCalls)
    .filter(([op]) => !op.startsWith('DynamoDB.'))
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return { lines, parts, cpuShareGbs, lambdaGbs, dynamo, otherCalls, emails, total };
}

const usd = (n: number) => `$${n.toFixed(n >= 0.1 ? 3 : n >= 0.001 ? 5 : 7)}`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** The per-function table, the parts of the bill scaled to `per` units of `unit`, and which part dominates. */
function report(b: Bill, count: number, per: number, unit: string): void {
  console.log(`  ${'function'.padEnd(30)}${pad('invocations', 12)}${pad('avg ms', 9)}${pad('max ms', 9)}${pad('cpu ms', 8)}${pad('heap MB', 9)}${pad('MB', 6)}${pad('GB-s', 9)}${pad('$', 12)}`);
  for (const l of b.lines) {
    const cpu = l.cpuMs === null ? '–' : l.cpuMs.toFixed(1);
    const heap = l.heapMb === null ? '–' : l.heapMb.toFixed(0);
    console.log(`  ${l.name.padEnd(30)}${pad(l.invocations, 12)}${pad(l.avgMs.toFixed(1), 9)}${pad(l.maxMs.toFixed(0), 9)}${pad(cpu, 8)}${pad(heap, 9)}${pad(l.memoryMb, 6)}${pad(l.gbs.toFixed(2), 9)}${pad(usd(l.dollars), 12)}`);
  }
  const scale = per / count;
  console.log(`  per ${per.toLocaleString('en')} ${unit} (measured on ${count}):`);
  const parts = Object.entries(b.parts).sort((x, y) => y[1].dollars - x[1].dollars);
  for (const [name, p] of parts) console.log(`    ${name.padEnd(17)}${pad(usd(p.dollars * scale), 11)}  ${pad((100 * p.dollars / b.total).toFixed(1), 5)} %   (${p.what} in the run)`);
  const [top, second] = parts;
  console.log(`    ${'total'.padEnd(17)}${pad(usd(b.total * scale), 11)}`);
  console.log(`  DynamoDB in the run: ${b.dynamo}`);
  console.log(`  other AWS calls in the run: ${b.otherCalls}`);
  const stretched = b.total + (b.cpuShareGbs - b.lambdaGbs) * PRICE.lambdaGbSecond;
  console.log(`  with each function's CPU at its memory's vCPU share (${b.cpuShareGbs.toFixed(2)} GB-s instead of ${b.lambdaGbs.toFixed(2)}): ${usd(stretched * scale)} per ${per.toLocaleString('en')} ${unit}`);
  console.log(`  dominated by ${top[0]} (${((100 * top[1].dollars) / b.total).toFixed(0)} %); next ${second[0]} (${((100 * second[1].dollars) / b.total).toFixed(1)} %); everything but SES ${usd((b.total - b.parts.SES.dollars) * scale)} per ${per.toLocaleString('en')} ${unit}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-bench-'));
const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: String(RATE), ...BENCH_LIMITS } });
try {
  const token = await mintToken(dataDir, { subject: 'bench', expiresInSeconds: 6 * 3600 });
  const call = (method: string, path: string, body?: unknown, auth = true) =>
    json(`${cloud.urls.api}${path}`, { method, headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const idle = () => call('POST', '/_local/idle', undefined, false);
  const reset = () => call('POST', '/_local/metrics/reset', undefined, false);
  const metrics = () => json<Metrics>(`${cloud.urls.api}/_local/metrics`);
  /** The metrics since a reset; the bus's and the scheduler's counts run on across resets, so from `before` on. */
  const since = async (before: Metrics): Promise<Metrics> => {
    const m = await metrics();
    return { ...m, bus: { entries: m.bus.entries - before.bus.entries }, scheduler: { fired: m.scheduler.fired - before.scheduler.fired } };
  };

  const seminar = await call('POST', '/admin/seminars', benchSeminarBody({ title: 'Benchmark: kostnad', capacity: PEOPLE, doubleOptIn: true }));
  await call('POST', `/admin/seminars/${seminar.id}/schedule`);
  await idle();

  heading(`Cost per registration (${PEOPLE} people: submit, confirm-your-address email, confirm, confirmation email; SES at ${RATE}/s)`);
  await reset();
  const regStart = await metrics();
  const t0 = performance.now();
  await pool(PEOPLE, 16, async (n) => {
    await call('POST', `/seminars/${seminar.id}/registrations`, { email: `cost.${n}@bench.example.no`, name: `Kost ${n}`, organisation: 'Bench AS', mode: 'physical' }, false);
  });
  await idle();
  const mail = await json<{ emails: Array<{ destination: { to: string[] }; body: { text?: string } }> }>(`${cloud.urls.mailbox}/store`);
  const links = mail.emails.map((m) => /https?:\/\/[^\s"<>]*\/registrations\/confirm\?token=[^\s"<>]+/.exec(m.body.text ?? '')?.[0]).filter((l): l is string => !!l);
  if (links.length !== PEOPLE) throw new Error(`expected ${PEOPLE} confirm links, found ${links.length}`);
  await pool(links.length, 16, async (n) => {
    const res = await fetch(links[n].replace(/^https?:\/\/[^/]+/, cloud.urls.api), { method: 'POST', headers: { accept: 'application/json' } });
    await res.text();
    if (res.status >= 400) throw new Error(`confirm: ${res.status}`);
  });
  await idle();
  const reg = await since(regStart);
  console.log(`  isolation: ${reg.isolation}${reg.isolation === 'workers' ? '' : ' (durations only: CPU and heap need LOCAL_ISOLATION=workers)'}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const r = bill(reg, 2 * PEOPLE);
  report(r, PEOPLE, 1000, 'registrations');

  heading(`Cost per fan-out recipient (the streaming link to ${RECIPIENTS} registrants; SES at ${RATE}/s)`);
  const fanSeminar = await scheduledSeminar(cloud.urls, token, 'Benchmark: kostnad, utsending');
  await seedRegistrations(cloud.urls.dynamodb, fanSeminar.id, RECIPIENTS, 'cost');
  await idle();
  await reset();
  const fanStart = await metrics();
  const t1 = performance.now();
  await fireStreamingLink(cloud.urls, token, fanSeminar);
  await idle();
  const fan = await since(fanStart);
  console.log(`  isolation: ${fan.isolation}; ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  const f = bill(fan, 1);
  if (f.emails !== RECIPIENTS) throw new Error(`expected ${RECIPIENTS} emails, counted ${f.emails}`);
  report(f, RECIPIENTS, 1000, 'recipients');
  console.log(`\n  prices: us-east-1 list, no free tier (Lambda arm64 $${PRICE.lambdaGbSecond}/GB-s and $0.20/M requests, SQS $0.40/M requests, EventBridge $1.00/M events, DynamoDB $0.625/M WRU and $0.125/M RRU, SES $0.10/1,000, HTTP API $1.00/M)`);
  console.log('  durations: wall time of each invocation in its instance on this machine (a sender waits for the send budget, as on AWS); not counted: CloudWatch Logs, data transfer, SES attachment data, the mappings\' idle polling');
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
