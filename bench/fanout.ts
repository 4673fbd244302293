/**
 * Fan-out benchmark (issue 4 and issue 7 §2, §4): the streaming link to 10,000 registrants on the local
 * cloud, against a raw SendEmail loop with the same concurrency to the same SES endpoint in the same run.
 *
 *   npx tsx bench/fanout.ts                 (FANOUT_COUNT=10000 RATE_COUNT=1000 RATE=50 by default)
 *
 * Prints: delivered, duplicates, missing, time, achieved send rate, the ratio to the baseline (a trend:
 * its target of ≥ 0.7 was retired by issue 11), the peak RSS of the whole local cloud (Node + DynamoDB Local) during the fan-out, and a second
 * pass with SES_SEND_RATE_PER_SECOND=50 whose achieved rate must be within 5 % of 50/s and never above.
 *
 * With the send queue (issue 15) the fan-out function (`send-streaming-link`) only pages the registrants
 * and enqueues them; `send-notices` sends, in as many instances as the stack gives it at the rate
 * (shared/email/rate.ts `senderInstances`), at most LOCAL_LAMBDA_MAX_INSTANCES locally (the core count by
 * default), each a worker thread (LOCAL_ISOLATION=workers, the default). Each pass also prints what the
 * local runtime measured per function (GET /_local/metrics `functions`: invocations, CPU per email from
 * the instance thread's active time, the peak heap of an instance).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnLocalCloud, type SpawnedCloud } from '../infra/local/spawn.js';
import { REGION } from '../infra/local/cloud.js';
import { heading, machine, mib, pool, rssSampler, verdict, trend } from './lib.js';
import { MAX_SENDERS } from '../shared/email/mailer.js';
import { adminToken, call, clearMailbox, cpuSince, fireStreamingLink, mailboxEmails, scheduledSeminar, seedRegistrations, startSes, tally, treeCpu } from './fanout-support.js';

const COUNT = Number(process.env.FANOUT_COUNT ?? 10_000);
const RATE_COUNT = Number(process.env.RATE_COUNT ?? 1_000);
const RATE = Number(process.env.RATE ?? 50);
const WARM_COUNT = Number(process.env.WARM_COUNT ?? 2000);
/** One sender instance's SendEmail slots (shared/email/mailer.ts: min(64, send rate)): the baseline's concurrency. */
const CONCURRENCY = MAX_SENDERS;

/** CPU of the local cloud (node, java) and of the SES process, keyed `cloud:node`, `cloud:java`, `ses:node`. */
function cpuOf(cloud: Cloud): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(treeCpu(cloud.child.pid!))) out[`cloud:${k}`] = v;
  if (cloud.ses.child !== cloud.child) for (const [k, v] of Object.entries(treeCpu(cloud.ses.child.pid!))) out[`ses:${k}`] = v;
  return out;
}

const perEmail = (cpu: Record<string, number>, n: number) =>
  Object.entries(cpu)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${(v / n).toFixed(2)}`)
    .join(', ');

interface Cloud extends SpawnedCloud {
  ses: { child: ChildProcess; url: string };
}

/**
 * A local cloud with SES as its own process (as on AWS, SES is not in the functions' process: its
 * 10,000 stored emails do not weigh on the handlers' heap). FANOUT_SES=in-process keeps it inside.
 */
async function withCloud<T>(env: Record<string, string>, work: (cloud: Cloud) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-fanout-'));
  const ports = { api: await freePort(), aws: await freePort(), ses: await freePort(), dynamo: await freePort() };
  const external = process.env.FANOUT_SES !== 'in-process';
  const ses = external ? await startSes(await freePort(), ports.aws, dataDir) : undefined;
  const cloud = await spawnLocalCloud({
    dataDir,
    ports,
    inMemory: process.env.FANOUT_PERSISTENT !== '1',
    env: { LOCAL_QUIET: '1', ...(ses ? { LOCAL_SES_URL: ses.url } : {}), ...env },
    timeoutMs: 120_000,
    nodeArgs: process.env.BENCH_CLOUD_NODE_ARGS?.split(' ').filter(Boolean),
  });
  try {
    return await work(Object.assign(cloud, { ses: ses ?? { child: cloud.child, url: cloud.urls.mailbox } }));
  } finally {
    await cloud.stop();
    ses?.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: SendEmail with the same client, concurrency and a similar email, straight to the SES endpoint. */
/** Bodies of about the size of the streaming-link email. */
const text = 'Lenke til strømming. '.repeat(60);
const html = `<html><body><p>${'Lenke til strømming. '.repeat(120)}</p></body></html>`;

/** The same raw loop, run inside the local cloud's process, where the handlers run (POST /_local/bench/ses-loop). */
async function inProcessBaseline(apiUrl: string, n: number, concurrency: number): Promise<number> {
  const out = await call<{ rate: number }>(`${apiUrl}/_local/bench/ses-loop`, { method: 'POST', body: JSON.stringify({ count: n, concurrency, html, text }) });
  return out.rate;
}

async function baseline(sesEndpoint: string, n: number, concurrency: number): Promise<number> {
  const ses = new SESv2Client({ endpoint: sesEndpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 6 });
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: '"Seminarer" <seminarer@example.no>',
        Destination: { ToAddresses: [`baseline.${i}@bench.example.no`] },
        Content: {
          Simple: {
            Subject: { Data: `Baseline ${i}`, Charset: 'UTF-8' },
            Body: { Text: { Data: text, Charset: 'UTF-8' }, Html: { Data: html, Charset: 'UTF-8' } },
            Headers: [
              { Name: 'List-Unsubscribe', Value: '<https://example.no/unsubscribe?token=x>' },
              { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
            ],
          },
        },
      }),
    );
  });
  const seconds = (performance.now() - t0) / 1000;
  ses.destroy();
  return n / seconds;
}

async function fanOut(cloud: Cloud, count: number, tag: string) {
  const token = await adminToken(cloud.dataDir);
  const seminar = await scheduledSeminar(cloud.urls, token, `Fan-out ${tag}`);
  const t0 = performance.now();
  const emails = await seedRegistrations(cloud.urls.dynamodb, seminar.id, count, tag);
  const seedSeconds = (performance.now() - t0) / 1000;
  await clearMailbox(cloud.ses.url);
  await call(`${cloud.urls.api}/_local/metrics/reset`, { method: 'POST' });
  const cpu0 = cpuOf(cloud);
  const sampler = rssSampler(cloud.child.pid!, 250);
  const sesSampler = cloud.ses.child === cloud.child ? undefined : rssSampler(cloud.ses.child.pid!, 250);
  const t1 = performance.now();
  await fireStreamingLink(cloud.urls, token, seminar);
  await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
  const seconds = (performance.now() - t1) / 1000;
  const peakRss = sampler.stop();
  const cpu = cpuSince(cpu0, cpuOf(cloud));
  const peakSesRss = sesSampler?.stop() ?? 0;
  const counted = tally(await mailboxEmails(cloud.ses.url), emails, `Fan-out ${tag}`);
  // When SES accepted each SendEmail, as the local SES endpoint saw it.
  const sends = await call<{ times: number[] }>(`${cloud.urls.api}/_local/ses/sends?since=${Math.floor(Date.now() - (performance.now() - t1)) - 1000}`);
  const sentAts = sends.times.sort((a, b) => a - b);
  const deadLetters = (await call<{ items: unknown[] }>(`${cloud.urls.api}/_local/dead-letters`)).items.length;
  const { functions } = await call<{ functions?: Record<string, FunctionMetrics> }>(`${cloud.urls.api}/_local/metrics`);
  return { seminar, seedSeconds, seconds, peakRss, peakSesRss, counted, sentAts, deadLetters, cpu, functions: functions ?? {} };
}

/** GET /_local/metrics `functions` (infra/local/runtime.ts): cpuMs and peakHeapMb are null without isolation. */
interface FunctionMetrics {
  invocations: number;
  maxDurationMs: number;
  cpuMs: number | null;
  peakHeapMb: number | null;
  memoryMb: number;
}

/** The sender's and the fan-out function's invocations, CPU per email and peak heap in a pass. */
function functionLine(functions: Record<string, FunctionMetrics>, emails: number): string {
  return ['send-notices', 'send-streaming-link']
    .map((name) => {
      const m = functions[name];
      if (!m) return `${name}: no figures`;
      const cpu = m.cpuMs == null ? 'CPU not measured' : `${(m.cpuMs / emails).toFixed(3)} ms CPU per email`;
      const heap = m.peakHeapMb == null ? 'heap not measured' : `peak heap ${m.peakHeapMb.toFixed(1)} MiB of ${m.memoryMb} MB`;
      return `${name}: ${m.invocations} invocations (longest ${(m.maxDurationMs / 1000).toFixed(1)} s), ${cpu}, ${heap}`;
    })
    .join('; ');
}

/** The most sends in any window of `ms` (from the times SES saw them arrive). */
function maxInWindow(sorted: number[], ms: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

console.log(`Fan-out benchmark on ${machine()}`);
let ok = true;

await withCloud({ SES_SEND_RATE_PER_SECOND: '100000' }, async (cloud) => {
  heading(`Streaming link to ${COUNT} registrants (no send-rate limit), concurrency ${CONCURRENCY}`);
  const sesEndpoint = cloud.urls.aws; // the endpoint the handlers use (AWS_ENDPOINT_URL_SESV2)
  await baseline(sesEndpoint, 500, CONCURRENCY); // warm-up
  await inProcessBaseline(cloud.urls.api, 500, CONCURRENCY);
  // A warm-up fan-out first (not measured): warm Lambdas, and a JIT-compiled DynamoDB Local.
  const warm = await fanOut(cloud, WARM_COUNT, 'w');
  console.log(`  warm-up fan-out of ${WARM_COUNT}: ${(warm.counted.total / warm.seconds).toFixed(0)} emails/s (not counted)`);
  await clearMailbox(cloud.ses.url);
  // The machine is shared: each baseline runs before and after the fan-out, and the better one counts.
  const b0 = cpuOf(cloud);
  const before = await baseline(sesEndpoint, COUNT, CONCURRENCY);
  const baseCpu = cpuSince(b0, cpuOf(cloud));
  const beforeIn = await inProcessBaseline(cloud.urls.api, COUNT, CONCURRENCY);
  await clearMailbox(cloud.ses.url);
  const r = await fanOut(cloud, COUNT, 'f');
  await clearMailbox(cloud.ses.url);
  const after = await baseline(sesEndpoint, COUNT, CONCURRENCY);
  const afterIn = await inProcessBaseline(cloud.urls.api, COUNT, CONCURRENCY);
  await clearMailbox(cloud.ses.url);
  const baseRate = Math.max(before, after);
  const baseInRate = Math.max(beforeIn, afterIn);
  console.log(`  baseline A: raw SendEmail loop from the benchmark process, ${COUNT} emails, concurrency ${CONCURRENCY}: ${before.toFixed(0)} emails/s before, ${after.toFixed(0)} after the fan-out`);
  console.log(`  baseline B: the same loop inside the local cloud's process (where the handlers run): ${beforeIn.toFixed(0)} emails/s before, ${afterIn.toFixed(0)} after`);
  const rate = r.counted.total / r.seconds;
  console.log(`  CPU per email (ms), baseline A: ${perEmail(baseCpu, COUNT)} (+ the benchmark process's SDK client)`);
  console.log(`  CPU per email (ms), fan-out:    ${perEmail(r.cpu, COUNT)} (the Send events included)`);
  console.log(`  seeded ${COUNT} registrations in ${r.seedSeconds.toFixed(1)} s`);
  console.log(`  delivered ${r.counted.delivered}, duplicates ${r.counted.duplicates}, missing ${r.counted.missing}, dead letters ${r.deadLetters}`);
  console.log(`  time ${r.seconds.toFixed(1)} s, achieved ${rate.toFixed(0)} emails/s`);
  console.log(`  ${functionLine(r.functions, r.counted.total || COUNT)}`);
  console.log(`  peak RSS of the local cloud (Node + DynamoDB Local): ${mib(r.peakRss)}; of the SES process (holding every email): ${mib(r.peakSesRss)}; together ${mib(r.peakRss + r.peakSesRss)}`);
  trend('ratio fan-out / baseline B (same process)', rate / baseInRate);
  trend('ratio fan-out / baseline A (client in its own process, on the other core)', rate / baseRate);
  ok = verdict('duplicates + missing', r.counted.duplicates + r.counted.missing, { atMost: 0 }) && ok;
  ok = verdict('dead letters', r.deadLetters, { atMost: 0 }) && ok;
  ok = verdict('peak RSS, local cloud with SES (GiB)', (r.peakRss + r.peakSesRss) / 1024 ** 3, { atMost: 1.5 }) && ok;
});

await withCloud({ SES_SEND_RATE_PER_SECOND: String(RATE) }, async (cloud) => {
  heading(`Streaming link to ${RATE_COUNT} registrants with SES_SEND_RATE_PER_SECOND=${RATE}`);
  const r = await fanOut(cloud, RATE_COUNT, 'l');
  const span = (r.sentAts[r.sentAts.length - 1] - r.sentAts[0]) / 1000;
  const achieved = (r.sentAts.length - 1) / span;
  console.log(`  delivered ${r.counted.delivered}, duplicates ${r.counted.duplicates}, missing ${r.counted.missing}, dead letters ${r.deadLetters}; time ${r.seconds.toFixed(1)} s`);
  console.log(`  ${functionLine(r.functions, r.counted.total || RATE_COUNT)}`);
  const busiest10s = maxInWindow(r.sentAts, 10_000) / 10;
  console.log(`  achieved ${achieved.toFixed(2)} emails/s (first to last send, as SES saw them arrive); busiest 10 s: ${busiest10s.toFixed(1)}/s; busiest 1 s: ${maxInWindow(r.sentAts, 1000)} (arrival times carry the event-loop jitter of the one local process)`);
  ok = verdict('achieved / configured rate', achieved / RATE, { atLeast: 0.95 }) && ok;
  ok = verdict('achieved rate (never above)', achieved, { atMost: RATE }) && ok;
  ok = verdict('busiest 10 s window (per second)', busiest10s, { atMost: RATE }) && ok;
  ok = verdict('duplicates + missing', r.counted.duplicates + r.counted.missing, { atMost: 0 }) && ok;
});

console.log(ok ? '\nAll fan-out targets met.' : '\nSome fan-out targets were missed (see above).');
process.exitCode = ok ? 0 : 1;
