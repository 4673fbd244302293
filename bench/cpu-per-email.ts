/**
 * Node CPU per email on the sender's side (issue 15): what one sender process spends, in user + system CPU
 * (process.cpuUsage), on each email of a bulk notice: the move notice with its `.ics` invite, built as the
 * fan-out builds it (registrant-email.ts: the registrant's signed opt-out link, the rendered text and HTML,
 * the invite) and sent as `send-notices` sends a queued message: `CPU_MESSAGE` (`recipientsPerNotice` at this rate: 100)
 * recipients at a time through the fan-out engine (fan-out.ts, mailer.ts `sendBatch`: one suppression
 * lookup, the claims in one transaction, one look at the `entitledBy` items, the shared send budget, SES
 * SendEmail, the `sent` records 25 to a write), `CPU_MESSAGES_AT_ONCE` (2, as two sender instances) messages
 * at once. DynamoDB Local and SES run in a local cloud of their own (another process), so their CPU is not
 * counted here; SES_SEND_RATE_PER_SECOND=1000 keeps the pacing out of the way.
 *
 * Printed beside it, from the same run: the rendering alone (every email's `prepare`, in a loop), so the
 * rest is the ledger's calls and SendEmail; and a raw SendEmail loop of a prebuilt message, 64 at once, to
 * the same endpoint: with a plain SDK client, with the SDK at its leanest, and through the lean JSON client
 * the mailer sends with (shared/aws/lean.ts: the floor for this sender); then the lean client's sends paced
 * at the rate through the send budget, in alternating windows with its gathering (`GATHER_MS`) and with each
 * send woken at its own slot: what pacing costs, and what gathering saves of it. Target: ≤ 0.5 ms per
 * email, so that a 256 MB Lambda (256/1769 of a vCPU) sustains about 280 emails/s.
 *
 * What is measured is a warm sender: an instance that has sent its first `CPU_WARMUP` (3,000) emails, by
 * when V8 has compiled the hot code, then `CPU_WINDOWS` (5) windows of `CPU_EMAILS` (2,000) each; the
 * verdict is on the median window (this 2-core machine's speed moves from minute to minute; the windows
 * show by how much). The warm-up's own CPU per email is printed too: what a cold instance spends on its
 * first emails. The process runs with the V8 heap Lambda's Node.js bootstrap gives a 256 MB function
 * (infra/local/instances.ts `lambdaHeapLimits`), so the collector works as it would there.
 *
 * Then, where the machine lets this process make a cgroup (Linux, as root), `CPU_THROTTLED_WINDOWS` (3)
 * more windows with the process held to a 256 MB Lambda's share of a vCPU (a CFS quota, as Lambda holds a
 * function): the emails per second one sender instance sustains on that share, measured, not derived.
 *
 *   npx tsx bench/cpu-per-email.ts     (CPU_EMAILS=2000 a window, CPU_WINDOWS=5, after CPU_WARMUP=3000,
 *                                       CPU_THROTTLED_WINDOWS=3, CPU_PACED_WINDOWS=3; CPU_MESSAGE=100,
 *                                       CPU_MESSAGES_AT_ONCE=2;
 *                                       CPU_RATE=1000 the send rate; CPU_NOTICE=streaming-link for that
 *                                       notice)
 *
 * CPU_PROFILE=<dir> writes a V8 CPU profile of each measured loop there (send, render, raw and raw-lean
 * `.cpuprofile`, for Chrome DevTools or any .cpuprofile viewer); the figures of such a run include the
 * profiler's own cost. With CPU_PROFILE_HEAP=1 as well, a sampled allocation profile of each loop instead
 * (`.heapprofile`: the bytes each function allocates, garbage included).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { NAMES, REGION } from '../infra/local/names.js';
import { adminToken, scheduledSeminar, seedRegistrations } from './fanout-support.js';
import { heading, machine, pool, verdict } from './lib.js';
import { recipientsPerNotice } from '../shared/email/rate.js';
import { lambdaHeapFlags } from '../infra/local/instances.js';

// Run again under the heap Lambda's bootstrap gives a 256 MB function, unless already so.
const v8Heap = lambdaHeapFlags(256);
if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  const r = spawnSync(process.execPath, [...v8Heap, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const EMAILS = Number(process.env.CPU_EMAILS ?? 2000);
const WINDOWS = Number(process.env.CPU_WINDOWS ?? 5);
const WARMUP = Number(process.env.CPU_WARMUP ?? 3000);
const THROTTLED_WINDOWS = Number(process.env.CPU_THROTTLED_WINDOWS ?? 3);
const PACED_WINDOWS = Number(process.env.CPU_PACED_WINDOWS ?? 3);
const TOTAL = WARMUP + (WINDOWS + THROTTLED_WINDOWS) * EMAILS;
const RATE = Number(process.env.CPU_RATE ?? 1000);
const TARGET_MS = 0.5;
/** A 256 MB Lambda's share of a vCPU: Lambda gives a full vCPU at 1,769 MB, in proportion below it. */
const LAMBDA_SHARE = 256 / 1769;

const PROFILE_DIR = process.env.CPU_PROFILE;
const PROFILE_HEAP = process.env.CPU_PROFILE_HEAP === '1';
const inspector = PROFILE_DIR ? new Session() : undefined;
if (inspector && PROFILE_DIR) {
  mkdirSync(PROFILE_DIR, { recursive: true });
  inspector.connect();
  await inspector.post(PROFILE_HEAP ? 'HeapProfiler.enable' : 'Profiler.enable');
}
/** Runs `work` under the profiler when CPU_PROFILE is set, writing `<name>.cpuprofile` (or `.heapprofile`). */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!inspector || !PROFILE_DIR) return work();
  if (PROFILE_HEAP) {
    // Every allocation sampled, those a scavenge collects as well: what each function allocates, not what stays.
    await inspector.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  } else await inspector.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = PROFILE_HEAP ? await inspector.post('HeapProfiler.stopSampling') : await inspector.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, `${name}.${PROFILE_HEAP ? 'heapprofile' : 'cpuprofile'}`), JSON.stringify(profile));
  }
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
/** The system part (ms): mostly the socket writes and reads, which on loopback include the kernel's TCP work for both ends. */
const systemMs = (since: NodeJS.CpuUsage) => process.cpuUsage(since).system / 1000;
/**
 * CPU (ms) of this process's main thread and of all its other threads together (V8's collector and
 * compiler helpers, libuv's pool), from /proc (Linux; 10 ms ticks): what runs beside JavaScript.
 */
function threadCpu(): { main: number; others: number } | undefined {
  try {
    let main = 0;
    let others = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      if (Number(tid) === process.pid) main += ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return undefined;
  }
}

/**
 * This process held to a 256 MB Lambda's share of a vCPU, as Lambda holds a function (a CFS quota of
 * LAMBDA_SHARE × the period), in a cgroup of its own: cgroup v2 (`cpu.max`) or v1 (`cpu.cfs_quota_us`),
 * where /sys/fs/cgroup lets this user make one (root on Linux). Undefined where it does not.
 */
function lambdaShare(): { join(): void; leave(): void } | undefined {
  const period = 100_000;
  const quota = Math.round(LAMBDA_SHARE * period);
  const v2 = (() => {
    try {
      return readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').split(/\s+/).includes('cpu');
    } catch {
      return false;
    }
  })();
  const tries = [
    { root: '/sys/fs/cgroup', usable: v2, limit: (dir: string) => writeFileSync(join(dir, 'cpu.max'), `${quota} ${period}`) },
    { root: '/sys/fs/cgroup/cpu', usable: existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'), limit: (dir: string) => (writeFileSync(join(dir, 'cpu.cfs_period_us'), String(period)), writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota))) },
  ];
  for (const t of tries.filter((x) => x.usable)) {
    const dir = join(t.root, `seminar-events-bench-${process.pid}`);
    try {
      mkdirSync(dir);
      t.limit(dir);
      return {
        join: () => writeFileSync(join(dir, 'cgroup.procs'), String(process.pid)),
        leave: () => {
          writeFileSync(join(t.root, 'cgroup.procs'), String(process.pid));
          rmdirSync(dir);
        },
      };
    } catch {
      try {
        rmdirSync(dir);
      } catch {
        // not made
      }
    }
  }
  return undefined;
}

console.log(`CPU per email benchmark on ${machine()}`);
heading(`Sender-side Node CPU per email: ${process.env.CPU_NOTICE === 'streaming-link' ? 'streaming link' : 'move notice with .ics'} to ${TOTAL} registrants (${WARMUP} to warm up, then ${WINDOWS} windows of ${EMAILS}), SES at ${RATE}/s, V8 heap of a 256 MB Lambda (${v8Heap.join(' ')})`);
const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-cpu-'));
const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: String(RATE), LOCAL_QUIET: '1' } });
let ok = true;
try {
  const token = await adminToken(dataDir);
  const seminar = await scheduledSeminar(cloud.urls, token, 'CPU per e-post: flyttet seminar');
  await seedRegistrations(cloud.urls.dynamodb, seminar.id, TOTAL, 'cpu');

  // This process is the sender: its environment as a sending function's, against the cloud's endpoints.
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: cloud.urls.dynamodb,
    AWS_ENDPOINT_URL_SESV2: cloud.urls.aws,
    TABLE_NAME: NAMES.table,
    EVENT_BUS_NAME: NAMES.bus,
    SENDER_EMAIL: 'seminarer@example.no',
    SENDER_NAME: 'Seminarer',
    PUBLIC_BASE_URL: cloud.urls.api,
    TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-bench',
    SES_SEND_RATE_PER_SECOND: String(RATE),
    LOG_LEVEL: 'ERROR',
  });
  const { registrantEmail } = await import('../shared/email/registrant-email.js');
  const { fanOut, fanOutSenders } = await import('../shared/email/fan-out.js');
  const { getSeminar } = await import('../shared/store/seminars.js');
  const { awsCallCounts } = await import('../shared/aws/clients.js');
  const { registrationPages } = await import('../shared/store/registrations.js');
  const { optOutLink } = await import('../shared/domain/registration-lifecycle.js');
  const { seminarMovedKind, streamingLinkKind } = await import('../shared/email/ledger-kinds.js');
  const { now } = await import('../shared/clock.js');
  type Registration = import('../shared/domain/model.js').Registration;

  const s = (await getSeminar(seminar.id, true))!;
  const registrations: Registration[] = [];
  for await (const page of registrationPages(s.id)) registrations.push(...page);
  if (registrations.length !== TOTAL) throw new Error(`read ${registrations.length} registrations, seeded ${TOTAL}`);

  // The move notice as on-seminar-updated builds it (one opt-out decision for the whole fan-out).
  const previousStart = new Date(Date.parse(s.start) - 86400_000).toISOString();
  const optOut = optOutLink(s, now());
  // CPU_NOTICE=streaming-link: the streaming link as send-streaming-link builds it (no invite) instead.
  const streaming = process.env.CPU_NOTICE === 'streaming-link';
  const kind = streaming ? streamingLinkKind(s.start) : seminarMovedKind(s.sequence + 1);
  const mailFor = (r: Registration) =>
    streaming
      ? registrantEmail(s, r, kind, { kind: 'streaming-link', name: r.name, streamingUrl: s.streamingUrl! }, { bulk: true, optOut })
      : registrantEmail(s, r, kind, { kind: 'seminar-moved', name: r.name, previousStart, attendance: r.attendance, calendarAttached: true }, { invite: 'REQUEST', bulk: true, optOut });

  // Queued messages as the sender gets them: one page of recipients each, a few at once (as instances).
  const perMessage = Number(process.env.CPU_MESSAGE ?? recipientsPerNotice(RATE));
  const atOnce = Number(process.env.CPU_MESSAGES_AT_ONCE ?? 2);
  const concurrency = fanOutSenders();
  const sendAll = async (rs: Registration[]) => {
    const outcomes: Record<string, number> = {};
    await pool(Math.ceil(rs.length / perMessage), atOnce, async (k) => {
      const page = rs.slice(k * perMessage, (k + 1) * perMessage).map(mailFor);
      const r = await fanOut((async function* () { yield page; })(), { kind, describe: { bench: 'cpu-per-email' } });
      for (const key of ['sent', 'alreadyHandled', 'suppressed', 'failed', 'skipped'] as const) if (r[key]) outcomes[key] = (outcomes[key] ?? 0) + r[key];
    });
    return outcomes;
  };

  /** Per email: CPU (ms), its system part, and by thread (main, others) where /proc tells. */
  type Cost = { per: number; system: number; main?: number; others?: number };
  const measure = async (n: number, work: () => Promise<unknown>): Promise<Cost> => {
    const c = process.cpuUsage();
    const t = threadCpu();
    await work();
    const per = cpuMs(c) / n;
    const system = systemMs(c) / n;
    const t1 = threadCpu();
    return t && t1 ? { per, system, main: (t1.main - t.main) / n, others: (t1.others - t.others) / n } : { per, system };
  };
  const median = (cs: Cost[]): Cost => [...cs].sort((x, y) => x.per - y.per)[Math.floor(cs.length / 2)];
  const window = (k: number) => registrations.slice(WARMUP + k * EMAILS, WARMUP + (k + 1) * EMAILS);
  const expectSent = (o: Record<string, number>) => {
    if (o.sent !== EMAILS) throw new Error(`expected ${EMAILS} sent, got ${JSON.stringify(o)}`);
  };

  // A cold sender's first emails (the JIT compiling), then the warm windows.
  const warm = await measure(WARMUP, () => sendAll(registrations.slice(0, WARMUP)));
  const { sendLimiter } = await import('../shared/email/mailer.js');
  const budget = await sendLimiter();
  const missedWarm = budget.missed;
  const loadBefore = loadavg()[0];
  awsCallCounts.clear();
  const t0 = performance.now();
  const windows: Cost[] = [];
  await profiled('send', async () => {
    for (let k = 0; k < WINDOWS; k++) windows.push(await measure(EMAILS, async () => expectSent(await sendAll(window(k)))));
  });
  const wall = (performance.now() - t0) / 1000;
  const calls = [...awsCallCounts].sort((a, b) => b[1] - a[1]);
  // Slots given up in the measured windows (reached more than LATE_MS late): each costs a reservation more.
  const missedWindows = budget.missed - missedWarm;
  const sent = median(windows);

  // The same sends with this process held to a 256 MB Lambda's CPU share (a CFS quota), where the machine
  // lets us make a cgroup: the emails per second one sender instance sustains on its share.
  const share = lambdaShare();
  const throttled: Array<Cost & { rate: number }> = [];
  const missedBefore = budget.missed;
  if (share) {
    try {
      share.join();
      for (let k = 0; k < THROTTLED_WINDOWS; k++) {
        const t = performance.now();
        const c = await measure(EMAILS, async () => expectSent(await sendAll(window(WINDOWS + k))));
        throttled.push({ ...c, rate: EMAILS / ((performance.now() - t) / 1000) });
      }
    } finally {
      share.leave();
    }
  }
  // Send slots this instance reached more than LATE_MS late and gave up (a stalled event loop).
  const missedThrottled = budget.missed - missedBefore;

  // Rendering alone: each email's prepare (opt-out token, text and HTML, .ics), one after the other.
  const mails = registrations.slice(WARMUP, WARMUP + WINDOWS * EMAILS).map(mailFor);
  const render = await profiled('render', () => measure(mails.length, async () => {
    for (const m of mails) if ('prepare' in m) await m.prepare();
  }));

  // Baselines: a prebuilt message, SendEmail after SendEmail with the same concurrency to the same endpoint,
  // warmed up and measured in windows as the sends are; once with a plain SDK client (its defaults), once
  // with the SDK at its leanest (no logger middleware, the middleware stack resolved once), the floor for any
  // sender that uses the SDK, and once through the lean JSON client the mailer sends with.
  const sample = mails[0] as Extract<(typeof mails)[number], { prepare: unknown }>;
  const body = await sample.prepare();
  const message = (to: string): SendEmailCommandInput => ({
    FromEmailAddress: 'Seminarer <seminarer@example.no>',
    Destination: { ToAddresses: [to] },
    Content: {
      Simple: {
        Subject: { Data: body.content.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: body.content.text, Charset: 'UTF-8' }, Html: { Data: body.content.html, Charset: 'UTF-8' } },
        Attachments: body.attachments?.map((a) => ({ FileName: a.fileName, ContentType: a.contentType, ContentDisposition: 'ATTACHMENT', RawContent: new TextEncoder().encode(a.content) })),
      },
    },
  });
  const rawConcurrency = 64;
  const baseline = async (name: string, send: (i: number) => Promise<unknown>): Promise<Cost> => {
    await pool(WARMUP, rawConcurrency, async (i) => void (await send(i)));
    const costs: Cost[] = [];
    await profiled(name, async () => {
      for (let k = 0; k < WINDOWS; k++) costs.push(await measure(EMAILS, () => pool(EMAILS, rawConcurrency, async (i) => void (await send(WARMUP + k * EMAILS + i)))));
    });
    return median(costs);
  };
  const sdkLoop = async (name: string, lean: boolean) => {
    const client = new SESv2Client({ region: REGION, endpoint: cloud.urls.aws, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 6, cacheMiddleware: lean });
    if (lean) client.middlewareStack.remove('loggerMiddleware');
    const out = await baseline(name, (i) => client.send(new SendEmailCommand(message(`${name}.${i}@bench.example.no`))));
    client.destroy();
    return out;
  };
  const plain = await sdkLoop('raw', false);
  const lean = await sdkLoop('raw-lean', true);
  const { leanSesClient } = await import('../shared/aws/clients.js');
  // The JSON protocol carries the attachment's bytes in base64.
  const json = (m: SendEmailCommandInput) => ({
    ...m,
    Content: { Simple: { ...m.Content!.Simple!, Attachments: m.Content!.Simple!.Attachments?.map((a) => ({ ...a, RawContent: Buffer.from(a.RawContent!).toString('base64') })) } },
  });
  const ours = await baseline('raw-ours', (i) => leanSesClient().call('SendEmail', json(message(`ours.${i}@bench.example.no`))));
  // The same sends paced at the rate through the send budget (its own item in the table, as the sender's),
  // with the budget's gathering (GATHER_MS: sends whose slots fall due together go in one turn of the event
  // loop) and without (each send woken at its own slot), in alternating windows: what pacing costs.
  const { SharedRateLimiter, GATHER_MS } = await import('../shared/email/send-budget.js');
  const pacedCost = { gathered: [] as Cost[], each: [] as Cost[] };
  const pacers = { gathered: new SharedRateLimiter(RATE), each: new SharedRateLimiter(RATE, undefined, undefined, 0) };
  for (let k = 0; k < 2 * PACED_WINDOWS; k++) {
    const which = k % 2 ? 'each' : 'gathered';
    pacedCost[which].push(await measure(EMAILS, () => pool(EMAILS, rawConcurrency, async (i) => {
      await pacers[which].take();
      await leanSesClient().call('SendEmail', json(message(`paced.${k}.${i}@bench.example.no`)));
    })));
  }
  const paced = { gathered: median(pacedCost.gathered), each: median(pacedCost.each) };

  const perEmail = sent.per;
  const n = WINDOWS * EMAILS;
  const f = (x: number) => x.toFixed(3);
  console.log(`  ${n} emails sent in ${wall.toFixed(1)} s (${(n / wall).toFixed(0)}/s; messages of ${perMessage}, ${atOnce} at once, each with ${concurrency} senders)`);
  // CPU time grows when the two cores are shared (caches, the other hyperthread): the load says how busy the machine was.
  console.log(`  machine load (1-minute average) before the measured sends ${loadBefore.toFixed(2)}, after the baselines ${loadavg()[0].toFixed(2)}`);
  const size = (t: string) => `${(Buffer.byteLength(t) / 1024).toFixed(1)} KiB`;
  console.log(`  each email: text ${size(body.content.text)}, HTML ${size(body.content.html)}, ${body.attachments?.length ? `.ics ${size(body.attachments[0].content)}` : 'no .ics'}`);
  console.log(`  AWS calls per email: ${calls.map(([op, c]) => `${op} ${(c / n).toFixed(3)}`).join(', ')}; send slots reached late and given up: ${missedWindows}`);
  console.log(`  the first ${WARMUP} emails of the instance (warming up, not in the verdict): ${f(warm.per)} ms per email`);
  console.log(`  the windows of ${EMAILS}, ms per email: ${windows.map((w) => f(w.per)).join(', ')}`);
  console.log(`  CPU per email, median window: ${f(perEmail)} ms (of which system ${f(sent.system)} ms)`);
  if (sent.main !== undefined && sent.others !== undefined) {
    console.log(`    by thread: JavaScript's (main) ${f(sent.main)} ms, the others (V8's collector and compiler helpers, libuv) ${f(sent.others)} ms`);
  }
  // The rendering is measured apart, in a loop of its own: the rest is the difference, an estimate (in the
  // sends, rendering shares the heap and the collector with everything else).
  console.log(`    rendering (opt-out link, text + HTML, the .ics if any; a loop of prepare): ${f(render.per)} ms`);
  console.log(`    the rest (ledger calls, send budget, SendEmail; the difference): ${f(perEmail - render.per)} ms`);
  console.log(`  baseline: raw SendEmail of a prebuilt message, ${rawConcurrency} at once, plain SDK client: ${f(plain.per)} ms per email (system ${f(plain.system)} ms); ours / raw: ${(perEmail / plain.per).toFixed(2)}`);
  console.log(`  baseline: the same with the SDK at its leanest (no logger middleware, stack resolved once): ${f(lean.per)} ms per email (system ${f(lean.system)} ms); ours / lean raw: ${(perEmail / lean.per).toFixed(2)}`);
  console.log(`  baseline: the same through the lean JSON client the mailer uses (shared/aws/lean.ts): ${f(ours.per)} ms per email (system ${f(ours.system)} ms); ours / lean client: ${(perEmail / ours.per).toFixed(2)}`);
  console.log(`  baseline: the lean client's sends paced at ${RATE}/s through the send budget (${PACED_WINDOWS} alternating windows each): gathering the sends due within ${GATHER_MS} ms ${f(paced.gathered.per)} ms per email, each woken at its own slot ${f(paced.each.per)} ms; gathered / each: ${(paced.gathered.per / paced.each.per).toFixed(2)}`);
  const sustained = LAMBDA_SHARE / (perEmail / 1000);
  console.log(`  a 256 MB Lambda (${LAMBDA_SHARE.toFixed(3)} of a vCPU) sustains ${sustained.toFixed(0)} emails/s at this CPU per email`);
  if (throttled.length) {
    const rates = throttled.map((t) => t.rate).sort((a, b) => a - b);
    const m = median(throttled);
    console.log(`  held to that share (a CFS quota of ${Math.round(LAMBDA_SHARE * 100_000)} µs per 100 ms, ${THROTTLED_WINDOWS} windows of ${EMAILS}): ${rates.map((r) => r.toFixed(0)).join(', ')} emails/s (median ${rates[Math.floor(rates.length / 2)].toFixed(0)}); CPU per email ${f(m.per)} ms (main ${f(m.main ?? NaN)}, others ${f(m.others ?? NaN)}); send slots reached late and given up: ${missedThrottled}`);
  } else console.log('  held to that share: not measured (no cgroup this user may make: Linux as root)');
  ok = verdict('sender CPU per email, warm, median window (ms)', perEmail, { atMost: TARGET_MS }) && ok;
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(ok ? '\nCPU per email benchmark passed.' : '\nCPU per email benchmark FAILED.');
process.exitCode = ok ? 0 : 1;
