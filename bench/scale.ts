/**
 * A fan-out at AWS scale (issue 15): the streaming link to 100,000 registrants, and in the same run, on the
 * same local cloud, a 1,000-recipient fan-out as the reference. The functions run isolated, as on Lambda
 * (LOCAL_ISOLATION=workers: each instance a worker thread with its own heap), the fan-out function
 * (`send-streaming-link`) only pages the registrants and puts them on the send queue, and the sender
 * (`send-notices`) drains it at SES_SEND_RATE_PER_SECOND through the ledger and the shared send budget.
 *
 *   npx tsx bench/scale.ts      (SCALE_COUNT=100000 SCALE_REFERENCE=1000 SCALE_WARM=2000 SCALE_RATE=400)
 *
 * Targets: CPU per email and peak heap of the sending functions (the sender, and the fan-out function) at
 * 100,000 within 1.2× of the 1,000 reference; 0 duplicates, 0 missing, 0 dead letters in both.
 *
 * What is measured, and how:
 * - CPU and heap per function come from the local runtime (GET /_local/metrics `functions`): an
 *   invocation's CPU is its worker thread's own CPU time (infra/local/worker.ts: Linux's schedstat of the
 *   thread; elsewhere its active event-loop time, which on a busy machine also counts waiting for a core),
 *   the heap the most V8 heap one instance of the function had in use during an invocation (just
 *   before any of its collections, or at its end: LOCAL_MEASURE_RETAINED_HEAP=1), the most it held live
 *   (after a full collection during an invocation, or the one at its end), and what it still held after
 *   the one at an invocation's end. Each instance's V8 heap is Lambda's for the function's memory
 *   (infra/local/instances.ts `lambdaHeapLimits`: the bootstrap's old generation and semi-space). The
 *   metrics are reset before each pass. Without those
 *   figures (a cloud without isolation) the whole cloud process's Node CPU stands in, which is not per
 *   function, and the heap is not known.
 * - Counting 100,000 emails: the local SES mailbox keeps every email it accepts, bodies and all, in
 *   memory (aws-ses-v2-local; the 10,000 of bench/fanout.ts took its process to about 400 MiB), and
 *   reading it back is one JSON answer of everything. So SES runs as its own process (as in the fan-out
 *   and crash benchmarks) and counts, on its side, how many accepted SendEmails each recipient address got
 *   (infra/local/ses.ts, GET /_local/recipients?prefix=): one number per address, whatever the emails
 *   hold. The mailbox's stored bodies are cleared every couple of seconds meanwhile (POST /clear-store),
 *   which does not touch those counts. Duplicates are emails beyond the first to an address, missing the
 *   expected addresses with none, strays emails to an address of the pass that was not seeded; every
 *   email to an address of the pass counts, whatever its subject, so nothing is hidden by a filter.
 *   Beside it, as a second and independent count, the delivery log in DynamoDB (the ledger's entries of
 *   the seminar, by status: every recipient `sent` once), and SES's accepted count for the pass.
 * - Time: from putting StreamingLinkDue on the bus until the cloud is idle (bus, queues, the `Email Sent`
 *   events); the achieved rate: emails over the span from the first to the last arrival at the SES endpoint.
 *
 * The rate: 400/s by default. The sender then has the four instances the stack gives it at that rate
 * (shared/email/rate.ts `senderInstances`; the runtime's instance cap, LOCAL_LAMBDA_MAX_INSTANCES, by
 * default the core count, is raised to it), and the budget is not what limits the run: on this 2-core
 * machine an email costs 5.8–9 ms of CPU across the processes (the functions, the ledger's DynamoDB calls in
 * DynamoDB Local, SES), so it carries about 250–300 emails/s at best and the achieved rate is the
 * machine's. A slower machine (or a shared one) only makes the run longer: a slot a sender reaches late is
 * given up, never a duplicate. 100,000 emails took 13 minutes on a shared machine (2026-12-01, README).
 */
import type { FunctionMetrics } from '../infra/local/runtime.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnLocalCloud, type SpawnedCloud } from '../infra/local/spawn.js';
import { senderInstances, recipientsPerNotice } from '../shared/email/rate.js';
import { heading, machine, mib, rssSampler, verdict } from './lib.js';
import { adminToken, call, clearMailbox, cpuSince, deliveryLog, fireStreamingLink, scheduledSeminar, seedRegistrations, startSes, treeCpu } from './fanout-support.js';

const COUNT = Number(process.env.SCALE_COUNT ?? 100_000);
const REFERENCE = Number(process.env.SCALE_REFERENCE ?? 1_000);
const WARM = Number(process.env.SCALE_WARM ?? 2000);
const RATE = Number(process.env.SCALE_RATE ?? 400);
const SENDER = 'send-notices';
const FAN_OUT = 'send-streaming-link';
/** How near the reference the 100,000 must stay (CPU per email, peak heap). */
const WITHIN = 1.2;

interface Metrics {
  functions?: Record<string, FunctionMetrics>;
  sqsPollerRequests?: Record<string, Record<string, number>>;
  lambdaInits?: Record<string, { count: number; durationMs: number }>;
}

interface Cloud extends SpawnedCloud {
  ses: { child: ChildProcess; url: string };
}

async function withCloud<T>(work: (cloud: Cloud) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-scale-'));
  const ports = { api: await freePort(), aws: await freePort(), ses: await freePort(), dynamo: await freePort() };
  const ses = await startSes(await freePort(), ports.aws, dataDir);
  const cloud = await spawnLocalCloud({
    dataDir,
    ports,
    inMemory: true,
    env: {
      LOCAL_QUIET: '1',
      LOCAL_SES_URL: ses.url,
      LOCAL_ISOLATION: 'workers',
      SES_SEND_RATE_PER_SECOND: String(RATE),
      LOCAL_LAMBDA_MAX_INSTANCES: String(Math.max(2, senderInstances(RATE))),
      // Each invocation's heap watched through its collections (the most in use, just before one; the most
      // live, after a full one), and a full GC at its end, after its time and CPU are taken: the heap it
      // leaves is what the instance keeps.
      LOCAL_MEASURE_RETAINED_HEAP: '1',
    },
    timeoutMs: 120_000,
  });
  try {
    return await work(Object.assign(cloud, { ses }));
  } finally {
    await cloud.stop();
    ses.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Per expected address, from SES's per-recipient counts: delivered, duplicates, missing; strays are counted addresses not expected. */
function tallyCounts(counts: Record<string, number>, expected: string[]) {
  const want = new Set(expected.map((e) => e.toLowerCase()));
  let delivered = 0;
  let duplicates = 0;
  let missing = 0;
  for (const e of want) {
    const n = counts[e] ?? 0;
    if (n === 0) missing++;
    else delivered++;
    if (n > 1) duplicates += n - 1;
  }
  const strays = Object.entries(counts)
    .filter(([k]) => !want.has(k))
    .reduce((a, [, n]) => a + n, 0);
  return { delivered, duplicates, missing, strays, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/**
 * Waits until SES has accepted `total` SendEmails since it started, or nothing more arrived for two
 * minutes: POST /_local/idle alone would hold one request open for the whole fan-out, longer than fetch
 * waits for an answer (5 minutes). The cloud's idle is asked after it, for the events and queues.
 */
async function untilSent(sesUrl: string, total: number): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  let told = Date.now();
  for (;;) {
    const { accepted } = await call<{ accepted: number }>(`${sesUrl}/_local/sends`);
    if (accepted >= total) return;
    if (Date.now() - told > 60_000) {
      // Progress of a long pass, on stderr (the figures are on stdout).
      process.stderr.write(`  … ${accepted} of ${total} accepted by SES\n`);
      told = Date.now();
    }
    if (accepted !== last) [last, lastChange] = [accepted, Date.now()];
    else if (Date.now() - lastChange > 120_000) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Node CPU of the local cloud's process (every instance's thread in it) and DynamoDB Local, and of the SES process. */
function cpuOf(cloud: Cloud): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(treeCpu(cloud.child.pid!))) out[`cloud:${k}`] = v;
  for (const [k, v] of Object.entries(treeCpu(cloud.ses.child.pid!))) out[`ses:${k}`] = v;
  return out;
}

async function pass(cloud: Cloud, count: number, tag: string) {
  const token = await adminToken(cloud.dataDir);
  const seminar = await scheduledSeminar(cloud.urls, token, `Skala ${tag} ${count}`);
  const t0 = performance.now();
  const expected = await seedRegistrations(cloud.urls.dynamodb, seminar.id, count, tag);
  const seedSeconds = (performance.now() - t0) / 1000;
  await clearMailbox(cloud.ses.url);
  await call(`${cloud.urls.api}/_local/metrics/reset`, { method: 'POST' });
  const accepted0 = (await call<{ accepted: number }>(`${cloud.ses.url}/_local/sends`)).accepted;
  const cpu0 = cpuOf(cloud);
  const cloudRss = rssSampler(cloud.child.pid!, 500);
  const sesRss = rssSampler(cloud.ses.child.pid!, 500);
  // The mailbox's stored bodies go as the emails come; SES's per-recipient counts stay (see the header).
  const clearing = setInterval(() => void clearMailbox(cloud.ses.url).catch(() => undefined), 2000);
  const since = Date.now();
  const t1 = performance.now();
  try {
    await fireStreamingLink(cloud.urls, token, seminar);
    await untilSent(cloud.ses.url, accepted0 + count);
    await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
  } finally {
    clearInterval(clearing);
  }
  const seconds = (performance.now() - t1) / 1000;
  const cpu = cpuSince(cpu0, cpuOf(cloud));
  const peakCloudRss = cloudRss.stop();
  const peakSesRss = sesRss.stop();
  const metrics = await call<Metrics>(`${cloud.urls.api}/_local/metrics`);
  const accepted = (await call<{ accepted: number }>(`${cloud.ses.url}/_local/sends`)).accepted - accepted0;
  const { counts } = await call<{ counts: Record<string, number> }>(`${cloud.ses.url}/_local/recipients?prefix=${encodeURIComponent(`${tag}.`)}`);
  const counted = tallyCounts(counts, expected);
  const log = await deliveryLog(cloud.urls.dynamodb, seminar.id, expected);
  const { times } = await call<{ times: number[] }>(`${cloud.urls.api}/_local/ses/sends?since=${since}`);
  times.sort((a, b) => a - b);
  const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : NaN;
  const deadLetters = (await call<{ items: unknown[] }>(`${cloud.urls.api}/_local/dead-letters`)).items.length;
  return { count, seedSeconds, seconds, accepted, counted, log, rate: (times.length - 1) / span, metrics, cpu, peakCloudRss, peakSesRss, deadLetters };
}

type Pass = Awaited<ReturnType<typeof pass>>;

/** A function's CPU per email (ms) and peak heap (MiB) in a pass, from the runtime's metrics (null: not measured). */
function perFunction(p: Pass, name: string) {
  const m = p.metrics.functions?.[name];
  const emails = p.counted.delivered || p.count;
  return {
    invocations: m?.invocations ?? 0,
    cpuPerEmail: m?.cpuMs == null ? null : m.cpuMs / emails,
    peakHeapMb: m?.peakHeapMb ?? null,
    retainedHeapMb: m?.retainedHeapMb ?? null,
    liveHeapMb: m?.peakLiveHeapMb ?? null,
    maxDurationMs: m?.maxDurationMs ?? 0,
    memoryMb: m?.memoryMb,
  };
}

function report(label: string, p: Pass) {
  heading(`${label}: streaming link to ${p.count.toLocaleString('en')} registrants at SES_SEND_RATE_PER_SECOND=${RATE}`);
  const c = p.counted;
  console.log(`  seeded ${p.count} registrations in ${p.seedSeconds.toFixed(1)} s`);
  console.log(`  SES per recipient: delivered ${c.delivered}, duplicates ${c.duplicates}, missing ${c.missing}, strays ${c.strays}; SES accepted ${p.accepted} SendEmails in the pass; dead letters ${p.deadLetters}`);
  console.log(`  delivery log (DynamoDB): ${JSON.stringify(p.log.byStatus)}; expected recipients with a sent entry: ${p.log.sentExpected} of ${p.count}`);
  console.log(`  time ${p.seconds.toFixed(1)} s (event to idle), achieved ${p.rate.toFixed(1)} emails/s (first to last arrival at SES; configured ${RATE})`);
  for (const name of [SENDER, FAN_OUT]) {
    const f = perFunction(p, name);
    const cpu = f.cpuPerEmail == null ? 'not measured (no isolation)' : `${f.cpuPerEmail.toFixed(3)} ms CPU per email`;
    const heap =
      f.peakHeapMb == null
        ? 'peak heap not measured'
        : `an instance's heap of ${f.memoryMb} MB: live ${f.liveHeapMb?.toFixed(1) ?? '?'} MiB at most, in use ${f.peakHeapMb.toFixed(1)} MiB at its fullest, kept after a full GC ${f.retainedHeapMb?.toFixed(1) ?? '?'} MiB`;
    console.log(`  ${name}: ${f.invocations} invocations (longest ${(f.maxDurationMs / 1000).toFixed(1)} s), ${cpu}, ${heap}`);
  }
  const perEmail = Object.entries(p.cpu)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${(v / (c.delivered || p.count)).toFixed(2)}`)
    .join(', ');
  console.log(`  whole processes, CPU per email (ms): ${perEmail}`);
  console.log(`  sender instances started ${p.metrics.lambdaInits?.[SENDER]?.count ?? 0}; SQS requests of the pollers ${JSON.stringify(p.metrics.sqsPollerRequests ?? {})}`);
  console.log(`  peak RSS: local cloud (Node + DynamoDB Local) ${mib(p.peakCloudRss)}, SES process ${mib(p.peakSesRss)}`);
}

console.log(`Scale benchmark on ${machine()}`);
console.log(`  ${senderInstances(RATE)} sender instances at ${RATE}/s, ${recipientsPerNotice(RATE)} recipients per queued message`);
let ok = true;
await withCloud(async (cloud) => {
  // Unmeasured: instances started, their code and DynamoDB Local's compiled, so neither pass pays for that.
  const warm = await pass(cloud, WARM, 'warm');
  console.log(`  warm-up fan-out of ${WARM}: ${warm.seconds.toFixed(1)} s, duplicates ${warm.counted.duplicates}, missing ${warm.counted.missing} (not counted)`);
  const ref = await pass(cloud, REFERENCE, 'ref');
  report('Reference', ref);
  const big = await pass(cloud, COUNT, 'big');
  report('At scale', big);

  heading(`Verdicts: ${COUNT.toLocaleString('en')} against ${REFERENCE.toLocaleString('en')}`);
  for (const [label, p] of [['reference', ref], ['at scale', big]] as const) {
    ok = verdict(`${label}: duplicates`, p.counted.duplicates, { atMost: 0 }) && ok;
    ok = verdict(`${label}: missing`, p.counted.missing, { atMost: 0 }) && ok;
    ok = verdict(`${label}: strays`, p.counted.strays, { atMost: 0 }) && ok;
    ok = verdict(`${label}: dead letters`, p.deadLetters, { atMost: 0 }) && ok;
    ok = verdict(`${label}: expected recipients without a sent entry in the delivery log`, p.count - p.log.sentExpected, { atMost: 0 }) && ok;
  }
  for (const name of [SENDER, FAN_OUT]) {
    const r = perFunction(ref, name);
    const b = perFunction(big, name);
    if (r.cpuPerEmail == null || b.cpuPerEmail == null || r.peakHeapMb == null || b.peakHeapMb == null) {
      // Not per function: the cloud process's Node CPU stands in (every function's, the bus's and the runtime's).
      const node = (p: Pass) => (p.cpu['cloud:node'] ?? 0) / (p.counted.delivered || p.count);
      console.log(`  ${name}: no per-function figures; the cloud's Node CPU per email instead: ${node(ref).toFixed(3)} → ${node(big).toFixed(3)} ms`);
      ok = verdict(`cloud Node CPU per email, ${COUNT} / ${REFERENCE}`, node(big) / node(ref), { atMost: WITHIN }) && ok;
      continue;
    }
    console.log(`  ${name}: CPU per email ${r.cpuPerEmail.toFixed(3)} → ${b.cpuPerEmail.toFixed(3)} ms`);
    ok = verdict(`${name}: CPU per email, ${COUNT} / ${REFERENCE}`, b.cpuPerEmail / r.cpuPerEmail, { atMost: WITHIN }) && ok;
    // Peak memory: the most an instance's heap held live (after a full collection, V8's during the invocation
    // or the one at its end), and what it keeps after the one at its end. The heap in use at its fullest is
    // printed beside them, not judged: it is what is live plus garbage not collected yet, a young generation
    // of it just before a scavenge and, in a long invocation, what V8 lets pile up in the old generation
    // between two full collections; the reference's fan-out (a tenth of a second) ends before either fills,
    // whatever a larger audience would hold.
    console.log(`  ${name}: heap in use at its fullest ${r.peakHeapMb.toFixed(1)} → ${b.peakHeapMb.toFixed(1)} MiB (${(b.peakHeapMb / r.peakHeapMb).toFixed(2)}; live plus garbage not collected yet, not judged)`);
    const judged = [
      ['heap live at most', 'peak heap live', r.liveHeapMb, b.liveHeapMb],
      ['heap kept after a full GC', 'heap kept after a full GC', r.retainedHeapMb, b.retainedHeapMb],
    ] as const;
    for (const [what, label, ref, big] of judged) {
      if (ref == null || big == null) continue;
      console.log(`  ${name}: ${what} ${ref.toFixed(1)} → ${big.toFixed(1)} MiB`);
      ok = verdict(`${name}: ${label}, ${COUNT} / ${REFERENCE}`, big / ref, { atMost: WITHIN }) && ok;
    }
  }
});

console.log(ok ? '\nScale benchmark passed.' : '\nScale benchmark FAILED.');
process.exitCode = ok ? 0 : 1;
