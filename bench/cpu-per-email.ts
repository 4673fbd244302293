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
 * the mailer sends with (shared/aws/lean.ts: the floor for this sender). Target: ≤ 0.5 ms per email, so that a 256 MB Lambda (256/1769 of
 * a vCPU) sustains about 280 emails/s.
 *
 *   npx tsx bench/cpu-per-email.ts     (CPU_EMAILS=2000 measured after CPU_WARMUP=300; CPU_MESSAGE=100,
 *                                       CPU_MESSAGES_AT_ONCE=2; CPU_NOTICE=streaming-link for that notice)
 *
 * CPU_PROFILE=<dir> writes a V8 CPU profile of each measured loop there (send, render, raw and raw-lean
 * `.cpuprofile`, for Chrome DevTools or any .cpuprofile viewer); the figures of such a run include the
 * profiler's own cost.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { NAMES, REGION } from '../infra/local/names.js';
import { adminToken, scheduledSeminar, seedRegistrations } from './fanout-support.js';
import { heading, machine, pool, verdict } from './lib.js';
import { recipientsPerNotice } from '../shared/email/rate.js';

const EMAILS = Number(process.env.CPU_EMAILS ?? 2000);
const WARMUP = Number(process.env.CPU_WARMUP ?? 300);
const RATE = 1000;
const TARGET_MS = 0.5;
/** A 256 MB Lambda's share of a vCPU: Lambda gives a full vCPU at 1,769 MB, in proportion below it. */
const LAMBDA_SHARE = 256 / 1769;

const PROFILE_DIR = process.env.CPU_PROFILE;
const inspector = PROFILE_DIR ? new Session() : undefined;
if (inspector && PROFILE_DIR) {
  mkdirSync(PROFILE_DIR, { recursive: true });
  inspector.connect();
  await inspector.post('Profiler.enable');
}
/** Runs `work` under the profiler when CPU_PROFILE is set, writing `<name>.cpuprofile`. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!inspector || !PROFILE_DIR) return work();
  await inspector.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
/** The system part (ms): mostly the socket writes and reads, which on loopback include the kernel's TCP work for both ends. */
const systemMs = (since: NodeJS.CpuUsage) => process.cpuUsage(since).system / 1000;

console.log(`CPU per email benchmark on ${machine()}`);
heading(`Sender-side Node CPU per email: ${process.env.CPU_NOTICE === 'streaming-link' ? 'streaming link' : 'move notice with .ics'} to ${EMAILS} registrants (after ${WARMUP} unmeasured), SES at ${RATE}/s`);
const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-cpu-'));
const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: String(RATE), LOCAL_QUIET: '1' } });
let ok = true;
try {
  const token = await adminToken(dataDir);
  const seminar = await scheduledSeminar(cloud.urls, token, 'CPU per e-post: flyttet seminar');
  await seedRegistrations(cloud.urls.dynamodb, seminar.id, WARMUP + EMAILS, 'cpu');

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
  if (registrations.length !== WARMUP + EMAILS) throw new Error(`read ${registrations.length} registrations, seeded ${WARMUP + EMAILS}`);

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

  await sendAll(registrations.slice(0, WARMUP));
  const measured = registrations.slice(WARMUP);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const loadBefore = loadavg()[0];
  awsCallCounts.clear();
  const outcomes = await profiled('send', () => sendAll(measured));
  const totalCpu = cpuMs(c0);
  const totalSystem = systemMs(c0);
  const calls = [...awsCallCounts].sort((a, b) => b[1] - a[1]);
  const wall = (performance.now() - t0) / 1000;
  if (outcomes.sent !== EMAILS) throw new Error(`expected ${EMAILS} sent, got ${JSON.stringify(outcomes)}`);

  // Rendering alone: each email's prepare (opt-out token, text and HTML, .ics), one after the other.
  const mails = measured.map(mailFor);
  for (const m of mails.slice(0, WARMUP)) if ('prepare' in m) await m.prepare();
  const c1 = process.cpuUsage();
  await profiled('render', async () => {
    for (const m of mails) if ('prepare' in m) await m.prepare();
  });
  const renderCpu = cpuMs(c1);

  // Baselines: a prebuilt message, SendEmail after SendEmail with the same concurrency to the same endpoint;
  // once with a plain SDK client (its defaults), once with the SDK at its leanest (no logger middleware, the
  // middleware stack resolved once), the floor for any sender that uses the SDK.
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
  const rawLoop = async (name: string, lean: boolean) => {
    const client = new SESv2Client({ region: REGION, endpoint: cloud.urls.aws, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 6, cacheMiddleware: lean });
    if (lean) client.middlewareStack.remove('loggerMiddleware');
    const inputs = Array.from({ length: WARMUP + EMAILS }, (_, i) => message(`${name}.${i}@bench.example.no`));
    await pool(WARMUP, rawConcurrency, async (i) => void (await client.send(new SendEmailCommand(inputs[i]))));
    const c = process.cpuUsage();
    await profiled(name, () => pool(EMAILS, rawConcurrency, async (i) => void (await client.send(new SendEmailCommand(inputs[WARMUP + i])))));
    const out = { per: cpuMs(c) / EMAILS, system: systemMs(c) / EMAILS };
    client.destroy();
    return out;
  };
  const plain = await rawLoop('raw', false);
  const lean = await rawLoop('raw-lean', true);
  // The same loop through the lean JSON client the mailer sends with (shared/aws/lean.ts): its floor.
  const { leanSesClient } = await import('../shared/aws/clients.js');
  // The JSON protocol carries the attachment's bytes in base64.
  const json = (m: SendEmailCommandInput) => ({
    ...m,
    Content: { Simple: { ...m.Content!.Simple!, Attachments: m.Content!.Simple!.Attachments?.map((a) => ({ ...a, RawContent: Buffer.from(a.RawContent!).toString('base64') })) } },
  });
  const leanInputs = Array.from({ length: WARMUP + EMAILS }, (_, i) => json(message(`ours.${i}@bench.example.no`)));
  await pool(WARMUP, rawConcurrency, async (i) => void (await leanSesClient().call('SendEmail', leanInputs[i])));
  const c2 = process.cpuUsage();
  await profiled('raw-ours', () => pool(EMAILS, rawConcurrency, async (i) => void (await leanSesClient().call('SendEmail', leanInputs[WARMUP + i]))));
  const ours = { per: cpuMs(c2) / EMAILS, system: systemMs(c2) / EMAILS };

  const perEmail = totalCpu / EMAILS;
  const renderPer = renderCpu / EMAILS;
  console.log(`  ${EMAILS} emails sent in ${wall.toFixed(1)} s (${(EMAILS / wall).toFixed(0)}/s; messages of ${perMessage}, ${atOnce} at once, each with ${concurrency} senders), ${totalCpu.toFixed(0)} ms of CPU`);
  // CPU time grows when the two cores are shared (caches, the other hyperthread): the load says how busy the machine was.
  console.log(`  machine load (1-minute average) before the measured sends ${loadBefore.toFixed(2)}, after the baselines ${loadavg()[0].toFixed(2)}`);
  const size = (t: string) => `${(Buffer.byteLength(t) / 1024).toFixed(1)} KiB`;
  console.log(`  each email: text ${size(body.content.text)}, HTML ${size(body.content.html)}, ${body.attachments?.length ? `.ics ${size(body.attachments[0].content)}` : 'no .ics'}`);
  console.log(`  AWS calls per email: ${calls.map(([op, n]) => `${op} ${(n / EMAILS).toFixed(3)}`).join(', ')}`);
  console.log(`  CPU per email: ${perEmail.toFixed(3)} ms (of which system ${(totalSystem / EMAILS).toFixed(3)} ms)`);
  // The rendering is measured apart, in a loop of its own: the rest is the difference, an estimate (in the
  // sends, rendering shares the heap and the collector with everything else).
  console.log(`    rendering (opt-out link, text + HTML, the .ics if any; a loop of prepare): ${renderPer.toFixed(3)} ms`);
  console.log(`    the rest (SDK, ledger calls, send budget, SendEmail; the difference): ${(perEmail - renderPer).toFixed(3)} ms`);
  console.log(`  baseline: raw SendEmail of a prebuilt message, ${rawConcurrency} at once, plain client: ${plain.per.toFixed(3)} ms per email (system ${plain.system.toFixed(3)} ms); ours / raw: ${(perEmail / plain.per).toFixed(2)}`);
  console.log(`  baseline: the same with the SDK at its leanest (no logger middleware, stack resolved once): ${lean.per.toFixed(3)} ms per email (system ${lean.system.toFixed(3)} ms); ours / lean raw: ${(perEmail / lean.per).toFixed(2)}`);
  console.log(`  baseline: the same through the lean JSON client the mailer uses (shared/aws/lean.ts): ${ours.per.toFixed(3)} ms per email (system ${ours.system.toFixed(3)} ms); ours / lean client: ${(perEmail / ours.per).toFixed(2)}`);
  const sustained = LAMBDA_SHARE / (perEmail / 1000);
  console.log(`  a 256 MB Lambda (${LAMBDA_SHARE.toFixed(3)} of a vCPU) sustains ${sustained.toFixed(0)} emails/s at this CPU per email`);
  ok = verdict('sender CPU per email (ms)', perEmail, { atMost: TARGET_MS }) && ok;
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(ok ? '\nCPU per email benchmark passed.' : '\nCPU per email benchmark FAILED.');
process.exitCode = ok ? 0 : 1;
