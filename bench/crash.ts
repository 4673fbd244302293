/**
 * Crash test (issue 7, reliability): SIGKILL the local cloud (Node and DynamoDB Local, the whole process
 * group) in the middle of a 5,000-recipient streaming-link fan-out, start it again on the same data
 * directory (persistent DynamoDB), and check that it finishes with 0 duplicates and 0 missing.
 *
 *   npx tsx bench/crash.ts            (CRASH_COUNT=5000, CRASH_AT=0.5 of the emails by default)
 *
 * What makes it work: the fan-out function has put every recipient on the send queue (a few seconds
 * after the event; had it been killed first, the bus journal delivers StreamingLinkDue again and it
 * enqueues again), and the local SQS journals its messages in the data directory, so on start every
 * message not yet deleted is back, those the dead sender had received visible at once (on AWS after their
 * visibility timeout); the ledger skips everyone already sent; emails the dead sender had claimed are
 * claimed again once their lease runs out (LEDGER_CLAIM_LEASE_MS, 15 s here; the sender waits for them
 * within its invocation); and an email SES took just before the kill, but that the dead sender never
 * recorded, is recorded by SES's `Email Sent` event, so it is not sent again. SES runs as its own process
 * (infra/local/ses-service.ts), as the real service outlives a crash of ours: its mailbox is what is
 * counted. The functions run isolated (LOCAL_ISOLATION=workers, the default): the kill takes every
 * instance's thread with the process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnLocalCloud, type SpawnedCloud } from '../infra/local/spawn.js';
import { heading, machine, verdict } from './lib.js';
import { adminToken, call, deliveryLog, fireStreamingLink, mailboxEmails, scheduledSeminar, seedRegistrations, startSes, tally } from './fanout-support.js';

const COUNT = Number(process.env.CRASH_COUNT ?? 5000);
const CRASH_AT = Number(process.env.CRASH_AT ?? 0.5);
const LEASE_MS = Number(process.env.LEDGER_CLAIM_LEASE_MS ?? 15_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sesSends = async (url: string) => call<{ accepted: number; eventsPending: number }>(`${url}/_local/sends`);

console.log(`Crash benchmark on ${machine()}`);
heading(`SIGKILL the local cloud during a ${COUNT}-recipient fan-out, restart it on the same data`);

const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-crash-'));
const ports = { api: await freePort(), aws: await freePort(), ses: await freePort(), dynamo: await freePort() };
const ses = await startSes(await freePort(), ports.aws, dataDir);
const env = { LOCAL_SES_URL: ses.url, SES_SEND_RATE_PER_SECOND: '100000', LEDGER_CLAIM_LEASE_MS: String(LEASE_MS), LOCAL_QUIET: '1' };
const boot = () => spawnLocalCloud({ dataDir, inMemory: false, processGroup: true, ports, env, timeoutMs: 120_000 });

let cloud: SpawnedCloud | undefined;
let ok = true;
try {
  cloud = await boot();
  const token = await adminToken(dataDir);
  const title = `Crash ${Date.now().toString(36)}`;
  const seminar = await scheduledSeminar(cloud.urls, token, title);
  let t = performance.now();
  const emails = await seedRegistrations(cloud.urls.dynamodb, seminar.id, COUNT, 'c');
  console.log(`  seeded ${COUNT} confirmed registrations in ${((performance.now() - t) / 1000).toFixed(1)} s (DynamoDB Local on disk)`);

  t = performance.now();
  await fireStreamingLink(cloud.urls, token, seminar);
  const killAt = Math.floor(COUNT * CRASH_AT);
  for (;;) {
    const { accepted } = await sesSends(ses.url);
    if (accepted >= killAt) break;
    await sleep(20);
  }
  await cloud.kill();
  const before = await sesSends(ses.url);
  console.log(`  killed (SIGKILL, Node + DynamoDB Local) after ${((performance.now() - t) / 1000).toFixed(1)} s with ${before.accepted} of ${COUNT} emails sent`);

  t = performance.now();
  cloud = await boot();
  console.log(`  restarted on the same data in ${((performance.now() - t) / 1000).toFixed(1)} s; the send queue's messages not yet deleted are back`);
  t = performance.now();
  await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
  for (let i = 0; i < 100 && (await sesSends(ses.url)).eventsPending > 0; i++) await sleep(100);
  await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
  const after = await sesSends(ses.url);
  console.log(`  finished ${((performance.now() - t) / 1000).toFixed(1)} s after the restart (an email the dead process had claimed but SES never got waits out its ${LEASE_MS / 1000} s lease); ${after.accepted - before.accepted} emails sent after the restart`);

  const counted = tally(await mailboxEmails(ses.url), emails, title);
  const log = await deliveryLog(cloud.urls.dynamodb, seminar.id, emails);
  const dead = (await call<{ items: unknown[] }>(`${cloud.urls.api}/_local/dead-letters`)).items.length;
  console.log(`  mailbox: delivered ${counted.delivered}, duplicates ${counted.duplicates}, missing ${counted.missing}; ledger ${JSON.stringify(log.byStatus)}, ${log.sentExpected} of ${COUNT} recipients sent (${log.recordedBySes} recorded by SES's Email Sent event: sent just before the kill); dead letters ${dead}`);
  ok = verdict('duplicates', counted.duplicates, { atMost: 0 }) && ok;
  ok = verdict('missing', counted.missing, { atMost: 0 }) && ok;
  ok = verdict('dead letters', dead, { atMost: 0 }) && ok;
  ok = verdict('killed mid-way (share sent before the kill)', before.accepted / COUNT, { atMost: 0.99 }) && ok;
} finally {
  await cloud?.stop();
  ses.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(ok ? '\nCrash test passed.' : '\nCrash test FAILED.');
process.exitCode = ok ? 0 : 1;
