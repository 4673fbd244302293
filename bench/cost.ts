/**
 * Cost: AWS calls per registration (submit + confirm + the emails they cause) and per fan-out recipient,
 * counted by the local cloud (GET /_local/metrics), turned into dollars at list prices.
 *
 *   npx tsx bench/cost.ts [--people 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { StreamingLinkDue } from '../events/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { mintToken } from '../infra/local/auth.js';
import { BENCH_LIMITS, benchSeminarBody, heading, json, pool } from './lib.js';

const i = process.argv.indexOf('--people');
const PEOPLE = i > 0 ? Number(process.argv[i + 1]) : 200;

/**
 * List prices, us-east-1, USD, without free tiers (checked 2026-11; eu-north-1 is within a few per cent).
 * DynamoDB on-demand is priced per request unit; we count calls, and take one unit per call, two per
 * item of a transaction (items here are under 1 KB).
 */
const PRICE = {
  apiRequest: 1.0 / 1e6, // HTTP API, per request
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334, // arm64
  eventBridgeEvent: 1.0 / 1e6, // custom events published
  schedulerInvocation: 1.0 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sesEmail: 0.1 / 1000,
};
/** Assumed average Lambda duration at 256 MB (the local cloud does not measure AWS durations). */
const ASSUMED_MS = 100;

type Metrics = { awsCalls: Record<string, number>; lambdaInvocations: Record<string, number> };

function dollars(m: Metrics, apiRequests: number, scheduleFirings: number) {
  let writes = 0;
  let reads = 0;
  let events = 0;
  let emails = 0;
  for (const [op, n] of Object.entries(m.awsCalls)) {
    if (/^DynamoDB\.(Put|Update|Delete|BatchWrite)/.test(op)) writes += n;
    else if (/^DynamoDB\.TransactWrite/.test(op)) writes += 4 * n; // 2 items × 2 units
    else if (/^DynamoDB\.TransactGet/.test(op)) reads += 4 * n;
    else if (/^DynamoDB\./.test(op)) reads += n;
    else if (op === 'EventBridge.PutEvents') events += n; // ≤ 10 entries per call; counted per call (upper bound per entry below)
    else if (/^SES\.SendEmail/.test(op)) emails += n;
  }
  const invocations = Object.values(m.lambdaInvocations).reduce((a, b) => a + b, 0);
  const cost =
    apiRequests * PRICE.apiRequest +
    invocations * (PRICE.lambdaRequest + (ASSUMED_MS / 1000) * 0.25 * PRICE.lambdaGbSecond) +
    events * PRICE.eventBridgeEvent +
    scheduleFirings * PRICE.schedulerInvocation +
    writes * PRICE.dynamoWriteUnit +
    reads * PRICE.dynamoReadUnit +
    emails * PRICE.sesEmail;
  return { cost, writes, reads, events, emails, invocations };
}

const fmtCalls = (m: Metrics, per: number) =>
  Object.entries(m.awsCalls)
    .map(([k, v]) => `${k} ${(v / per).toFixed(2)}`)
    .join(', ');

const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-bench-'));
const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: '10000', ...BENCH_LIMITS } });
try {
  const token = await mintToken(dataDir, { subject: 'bench' });
  const call = (method: string, path: string, body?: unknown, auth = true) =>
    json(`${cloud.urls.api}${path}`, { method, headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const seminar = await call('POST', '/admin/seminars', benchSeminarBody({ title: 'Benchmark: kostnad', capacity: PEOPLE, doubleOptIn: true }));
  await call('POST', `/admin/seminars/${seminar.id}/schedule`);
  await call('POST', '/_local/idle', undefined, false);

  heading(`Cost per registration (${PEOPLE} people: submit, confirm-your-address email, confirm, confirmation email)`);
  await call('POST', '/_local/metrics/reset', undefined, false);
  await pool(PEOPLE, 16, async (n) => {
    await call('POST', `/seminars/${seminar.id}/registrations`, { email: `cost.${n}@bench.example.no`, name: `Kost ${n}`, organisation: 'Bench AS', mode: 'physical' }, false);
  });
  await call('POST', '/_local/idle', undefined, false);
  const mail = await json<{ emails: Array<{ destination: { to: string[] }; body: { text?: string } }> }>(`${cloud.urls.mailbox}/store`);
  const links = mail.emails.map((m) => /https?:\/\/[^\s"<>]*\/registrations\/confirm\?token=[^\s"<>]+/.exec(m.body.text ?? '')?.[0]).filter((l): l is string => !!l);
  if (links.length !== PEOPLE) throw new Error(`expected ${PEOPLE} confirm links, found ${links.length}`);
  await pool(links.length, 16, async (n) => {
    const res = await fetch(links[n].replace(/^https?:\/\/[^/]+/, cloud.urls.api), { method: 'POST', headers: { accept: 'application/json' } });
    await res.text();
    if (res.status >= 400) throw new Error(`confirm: ${res.status}`);
  });
  await call('POST', '/_local/idle', undefined, false);
  const reg = await json<Metrics>(`${cloud.urls.api}/_local/metrics`);
  const r = dollars(reg, 2 * PEOPLE, 0);
  console.log(`  AWS calls per registration: ${fmtCalls(reg, PEOPLE)}`);
  console.log(`  Lambda invocations per registration: ${(r.invocations / PEOPLE).toFixed(2)}, API requests 2, emails ${(r.emails / PEOPLE).toFixed(2)}`);
  console.log(`  ≈ $${((r.cost / PEOPLE) * 1000).toFixed(4)} per 1,000 registrations (SES $${(((r.emails * PRICE.sesEmail) / PEOPLE) * 1000).toFixed(4)} of it)`);

  heading(`Cost per fan-out recipient (streaming link to ${PEOPLE})`);
  await call('POST', '/_local/metrics/reset', undefined, false);
  await call('POST', '/admin/events', { detailType: StreamingLinkDue.detailType, detail: { version: 1, seminarId: seminar.id, start: seminar.start } });
  await call('POST', '/_local/idle', undefined, false);
  const fan = await json<Metrics>(`${cloud.urls.api}/_local/metrics`);
  const f = dollars(fan, 1, 0);
  console.log(`  AWS calls per recipient: ${fmtCalls(fan, PEOPLE)}`);
  console.log(`  ≈ $${((f.cost / PEOPLE) * 1000).toFixed(4)} per 1,000 recipients (SES $${(((f.emails * PRICE.sesEmail) / PEOPLE) * 1000).toFixed(4)} of it)`);
  console.log(`  prices: us-east-1 list, no free tier; Lambda at 256 MB and an assumed ${ASSUMED_MS} ms per invocation`);
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
