/**
 * Memory of each function on its largest input, run from the bundle `cdk synth` produces, in a fresh
 * Node process (as a Lambda would), against a local cloud holding a seminar with 10,000 registrants:
 * the fan-outs to all of them (they page the list and put it on the send queue), the sender on a queued
 * message of the most recipients one holds, the CSV export of all of them, the public seminar list. Prints peak
 * heap and peak RSS against the memory the stack gives the function (target: fits 256 MB).
 *
 *   npx tsx bench/memory.ts [--registrants 10000] [--cdk-out <dir>]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localTokenSecret } from '../infra/local/cloud.js';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { ACCOUNT, REGION, functionQueues } from '../infra/local/names.js';
import { Env } from '../shared/env-names.js';
import { SeminarRecordingPublished, SeminarReminderDue, StreamingLinkDue, type EventDefinition } from '../events/index.js';
import { BENCH_LIMITS, heading, json, mib, verdict } from './lib.js';
import { functionsOf, synth } from './bundles.js';
import { lambdaHeapFlags } from '../infra/local/instances.js';
import { adminToken, scheduledSeminar, seedRegistrations, storeSeminarFields } from './fanout-support.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('--registrants') ?? 10_000);
/** A reminder 14 days before the start: the bench's seminar is 10 days ahead, so its moment has come. */
const REMINDER_OFFSET = 14 * 24 * 60;
const RECORDING_URL = 'https://example.no/opptak/bench';

/** An EventBridge event of a catalogued type, as a rule target receives it. */
const bridge = (def: EventDefinition, detail: unknown) => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': def.detailType,
  source: def.source,
  account: '000000000000',
  time: new Date().toISOString(),
  region: 'eu-north-1',
  resources: [],
  detail,
});
const http = (method: string, path: string, routeKey: string, pathParameters: Record<string, string>, headers: Record<string, string> = {}, admin = false) => ({
  version: '2.0',
  routeKey,
  rawPath: path,
  rawQueryString: '',
  headers,
  pathParameters,
  isBase64Encoded: false,
  requestContext: {
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    requestId: crypto.randomUUID(),
    routeKey,
    stage: '$default',
    timeEpoch: Date.now(),
    ...(admin ? { authorizer: { jwt: { claims: { sub: 'bench', 'cognito:groups': '[admins]' }, scopes: null } } } : {}),
  },
});

/** One message of the send queue, as the event source mapping hands it to the sender. */
const sqsBatch = (body: unknown) => ({
  Records: [
    {
      messageId: crypto.randomUUID(),
      receiptHandle: 'bench',
      body: JSON.stringify(body),
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${functionQueues('send-notices').queue}`,
      awsRegion: REGION,
    },
  ],
});

heading(`Memory: each function on its largest input (${N} registrants), from its synthesized bundle`);
const cdkOut = synth(arg('--cdk-out'));
const bundles = new Map(functionsOf(cdkOut).map((f) => [f.id, f]));
const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-bench-'));
const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: '100000', ...BENCH_LIMITS } });
let allFit = true;
try {
  const token = await adminToken(dataDir);
  const seminar = await scheduledSeminar(cloud.urls, token, 'Benchmark: minne');
  await seedRegistrations(cloud.urls.dynamodb, seminar.id, N, 'mem');
  // The reminder and the recording are due for the seminar as stored, or their handlers would answer that the
  // reminder's moment has not come (the seminar is 10 days ahead, its one reminder a day before) and that the
  // URL is not its recording, and fan out to nobody. Written straight into the table, with no event, so that the
  // cloud's own rules do not act on the change (schedules, a fan-out of their own) before the cases run.
  await storeSeminarFields(cloud.urls.dynamodb, seminar.id, { reminderOffsetsMinutes: [24 * 60, REMINDER_OFFSET], recordingUrl: RECORDING_URL });
  // The functions' environment without the link-signing secret (the cloud never shows it): read from its file.
  const env = { ...(await json<Record<string, string>>(`${cloud.urls.api}/_local/function-env`)), [Env.tokenSecret]: localTokenSecret(dataDir) };
  const cases: Array<{ fn: string; what: string; event: unknown }> = [
    // The sender on the largest message the send queue holds (shared/notices/send-queue.ts: 50 recipients),
    // first: the streaming-link fan-out below puts everyone on the queue, and the cloud's sender sends them.
    { fn: 'SendNotices', what: 'a queued notice to 50', event: sqsBatch({ v: 1, notice: 'streaming-link', params: { seminarId: seminar.id, start: seminar.start }, to: Array.from({ length: 50 }, (_, i) => `mem${String(i).padStart(6, '0')}`) }) },
    { fn: 'SendStreamingLink', what: `streaming link to ${N}`, event: bridge(StreamingLinkDue, { version: 1, seminarId: seminar.id, start: seminar.start }) },
    { fn: 'SendSeminarReminders', what: `reminder to ${N}`, event: bridge(SeminarReminderDue, { version: 1, seminarId: seminar.id, start: seminar.start, offsetMinutes: REMINDER_OFFSET }) },
    { fn: 'SendRecordingLink', what: `recording link to ${N}`, event: bridge(SeminarRecordingPublished, { version: 1, seminarId: seminar.id, url: RECORDING_URL }) },
    {
      fn: 'AdminApi',
      what: `CSV export of ${N} registrants`,
      event: http('GET', `/admin/seminars/${seminar.id}/registrations`, 'GET /admin/seminars/{seminarId}/registrations', { seminarId: seminar.id }, { accept: 'text/csv' }, true),
    },
    { fn: 'PublicApi', what: 'the public seminar list', event: http('GET', '/seminars', 'GET /seminars', {}) },
  ];
  const rows: string[] = [];
  for (const c of cases) {
    const f = bundles.get(c.fn);
    if (!f) throw new Error(`no bundle for ${c.fn} in ${cdkOut}`);
    const eventFile = join(dataDir, `${c.fn}.json`);
    writeFileSync(eventFile, JSON.stringify(c.event));
    // V8's heap as on Lambda: the bootstrap's flags for the function's memory.
    const r = spawnSync(process.execPath, ['--expose-gc', ...lambdaHeapFlags(f.memoryMb), join(ROOT, 'bench/memory-child.mjs'), f.bundle, eventFile], {
      env: { PATH: process.env.PATH, ...env, LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
      maxBuffer: 10 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`${c.fn} failed: ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout) as { heapPeak: number; rssPeak: number; rssAtStart: number; ms: number; summary: string };
    const fits = out.rssPeak < f.memoryMb * 1024 * 1024 && out.rssPeak < 256 * 1024 * 1024;
    if (!fits) allFit = false;
    rows.push(`  ${c.fn.padEnd(22)} ${c.what.padEnd(32)} heap peak ${mib(out.heapPeak).padStart(8)}  RSS peak ${mib(out.rssPeak).padStart(8)} (after init ${mib(out.rssAtStart)})  of ${f.memoryMb} MB  ${(out.ms / 1000).toFixed(1)} s  ${fits ? 'fits' : 'DOES NOT FIT'}  → ${out.summary.slice(0, 60)}`);
  }
  console.log(rows.join('\n'));
  verdict('functions whose peak RSS exceeds 256 MB', allFit ? 0 : rows.filter((r) => r.includes('DOES NOT FIT')).length, { atMost: 0 });
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (!allFit) process.exitCode = 1;
