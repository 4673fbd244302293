/**
 * Contended registration: 64 concurrent clients register 3,000 people for 100 seats through the local
 * HTTP API, each doing what a person does: submit the form, get the confirm-your-address email, confirm;
 * 2,900 of them end on the waitlist.
 *
 * The target (issue 11): a long waitlist must not make a confirmation dearer. The same people are run a
 * second time on a seminar with a seat for everyone, in the same run, and DynamoDB Local's CPU per person
 * with the long waitlist must be at most 1.25× that without (`--no-compare` skips the second run).
 *
 * Printed as a trend only (no verdict): the ratio against a raw loop with the same concurrency doing the
 * two transactions a registration needs at least (put the registration with its one-per-address guard;
 * take a seat and confirm), on the same DynamoDB Local.
 *
 * Every run first registers `--warm` people (default 300) unmeasured, so the figures are the steady state
 * of a warm DynamoDB Local, not its JIT warm-up.
 *
 *   npx tsx bench/registration.ts [--people 3000] [--seats 100] [--clients 64] [--warm 300] [--no-compare]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, TransactWriteItemsCommand, CreateTableCommand, DeleteTableCommand, waitUntilTableExists, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { mintToken } from '../infra/local/auth.js';
import { BENCH_LIMITS, benchSeminarBody, heading, json, ms, percentile, pool, trend, verdict } from './lib.js';
import { cpuSince, treeCpu } from './fanout-support.js';

/** CPU (ms) per person of the local cloud's processes (node: the functions and emulators; java: DynamoDB Local). */
const cpuPerPerson = (cpu: Record<string, number>, n: number) =>
  Object.entries(cpu)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${(v / n).toFixed(1)}`)
    .join(', ');

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const PEOPLE = arg('--people', 3000);
const SEATS = arg('--seats', 100);
const CLIENTS = arg('--clients', 64);
/**
 * People registered first, on both sides, and not measured: DynamoDB Local is a fresh JVM in each run, and
 * what it spends JIT-compiling in its first seconds is not what DynamoDB costs. 0 measures from cold.
 */
const WARM = arg('--warm', 300);

/**
 * Reads the mailbox in one loop and hands each waiting client its confirm link. It follows the local
 * cloud's cursor (`GET /_local/mailbox?after=`), so each email is read once and the polling costs the
 * cloud next to nothing.
 */
function confirmLinks(apiUrl: string) {
  const found = new Map<string, string>();
  const waiting = new Map<string, (link: string) => void>();
  let after = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      let page: { emails: Array<{ to: string[]; text: string }>; next: number };
      try {
        page = await json(`${apiUrl}/_local/mailbox?after=${after}`);
      } catch (err) {
        if (!running) return;
        throw err;
      }
      after = page.next;
      for (const m of page.emails) {
        const link = /https?:\/\/[^\s"<>]*\/registrations\/confirm\?token=[^\s"<>]+/.exec(m.text)?.[0];
        if (!link) continue;
        const to = m.to[0].toLowerCase();
        found.set(to, link);
        waiting.get(to)?.(link);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    wait(email: string): Promise<string> {
      const key = email.toLowerCase();
      const have = found.get(key);
      if (have) return Promise.resolve(have);
      return new Promise((ok) => waiting.set(key, ok));
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

type Run = { perSecond: number; submit: number[]; confirm: number[]; total: number[]; check: string; cpu: string; cpuPerPerson: Record<string, number>; requests: string };

async function ours(seats: number): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-bench-'));
  let stopLinks = async () => undefined as void;
  const cloud = await spawnLocalCloud({
    dataDir,
    inMemory: true,
    // One machine plays 2,000 people: lift the per-IP limit that protects the public routes.
    env: { SES_SEND_RATE_PER_SECOND: '10000', ...BENCH_LIMITS },
    nodeArgs: process.env.BENCH_CLOUD_NODE_ARGS?.split(' ').filter(Boolean),
  });
  try {
    const token = await mintToken(dataDir, { subject: 'bench' });
    const admin = (method: string, path: string, body?: unknown) =>
      json(`${cloud.urls.api}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const newSeminar = async (title: string, seats: number) => {
      const created = await admin('POST', '/admin/seminars', benchSeminarBody({ title, capacity: seats, kind: 'breakfast-seminar' }));
      await admin('POST', `/admin/seminars/${created.id}/schedule`);
      return created as { id: string };
    };
    const seminar = await newSeminar('Benchmark: frokostseminar', seats);
    const warmSeminar = WARM > 0 ? await newSeminar('Benchmark: oppvarming', Math.max(1, Math.round((WARM * seats) / PEOPLE))) : undefined;
    await json(`${cloud.urls.api}/_local/idle`, { method: 'POST' });

    const links = confirmLinks(cloud.urls.api);
    stopLinks = () => links.stop();
    const submit: number[] = [];
    const confirm: number[] = [];
    /** One person: submit the form, wait for the confirm-your-address email, confirm. */
    const person = async (seminarId: string, email: string, i: number, measured: boolean) => {
      let t = performance.now();
      const res = await fetch(`${cloud.urls.api}/seminars/${seminarId}/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: `Person ${i} Ærlig`, organisation: 'Bench AS', mode: 'physical', digitalIfFull: true, joinWaitlist: true }),
      });
      await res.text();
      if (res.status !== 202) throw new Error(`submit ${email}: ${res.status}`);
      if (measured) submit.push(performance.now() - t);
      const link = await links.wait(email);
      t = performance.now();
      const c = await fetch(link.replace(/^https?:\/\/[^/]+/, cloud.urls.api), { method: 'POST', headers: { accept: 'application/json' } });
      await c.text();
      if (c.status >= 400) throw new Error(`confirm ${email}: ${c.status}`);
      if (measured) confirm.push(performance.now() - t);
    };
    if (warmSeminar) {
      await pool(WARM, CLIENTS, (i) => person(warmSeminar.id, `warm.${i}@bench.example.no`, i, false));
      await json(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
    }
    await json(`${cloud.urls.api}/_local/metrics/reset`, { method: 'POST' });

    const cpu0 = treeCpu(cloud.child.pid!);
    const t0 = performance.now();
    const total = await pool(PEOPLE, CLIENTS, (i) => person(seminar.id, `person.${i}@bench.example.no`, i, true));
    const seconds = (performance.now() - t0) / 1000;
    await links.stop();
    await json(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
    const cpu = cpuSince(cpu0, treeCpu(cloud.child.pid!));
    const calls = await json<{ awsCalls: Record<string, number> }>(`${cloud.urls.api}/_local/metrics`);

    // Every page of the registrants (the API answers at most 1,000 at a time).
    const regs = await admin('GET', `/admin/seminars/${seminar.id}/registrations?limit=1000`);
    for (let cursor = regs.next; cursor; ) {
      const page = await admin('GET', `/admin/seminars/${seminar.id}/registrations?limit=1000&cursor=${encodeURIComponent(cursor)}`);
      regs.items.push(...page.items);
      cursor = page.next;
    }
    const emails = new Set(regs.items.map((r: { email: string }) => r.email.toLowerCase()));
    const check = `physical ${regs.counts.physical}/${seats}, waitlisted ${regs.counts.waitlisted}, digital ${regs.counts.digital}, pending ${regs.counts.pending}, distinct people ${emails.size}/${PEOPLE}`;
    if (regs.counts.physical !== seats || emails.size !== PEOPLE || regs.items.length !== PEOPLE) throw new Error(`wrong outcome: ${check}`);
    const dynamoCalls = Object.entries(calls.awsCalls).filter(([k]) => k.startsWith('DynamoDB.')).reduce((a, [, v]) => a + v, 0);
    const perPerson = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v / PEOPLE]));
    return { perSecond: PEOPLE / seconds, submit, confirm, total, check, cpu: cpuPerPerson(cpu, PEOPLE), cpuPerPerson: perPerson, requests: `${(dynamoCalls / PEOPLE).toFixed(1)} DynamoDB calls per person` };
  } finally {
    await stopLinks();
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function baseline(): Promise<{ perSecond: number; cpu: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-bench-'));
  // The same DynamoDB Local, started by the same local cloud, but used raw.
  const cloud = await spawnLocalCloud({ dataDir, inMemory: true });
  try {
    const ddb = new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 });
    const TableName = 'bench-baseline';
    await ddb.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] }));
    await waitUntilTableExists({ client: ddb, maxWaitTime: 30 }, { TableName });
    /** `n` people on seminar `sem`, as the system would at the least: 2–3 transactions each. */
    const run = (n: number, sem: string, seats: number) => pool(n, CLIENTS, async (i) => {
      const reg = { S: `REG#${i}` };
      await ddb.send(new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: { S: sem }, sk: { S: `EMAIL#person.${i}@bench.example.no` } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: { pk: { S: sem }, sk: reg, status: { S: 'pending' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }));
      try {
        await ddb.send(new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName, Key: { pk: { S: sem }, sk: { S: 'SEMINAR' } }, UpdateExpression: 'ADD seats :one', ConditionExpression: 'attribute_not_exists(seats) OR seats < :cap', ExpressionAttributeValues: { ':one': { N: '1' }, ':cap': { N: String(seats) } } } },
            { Update: { TableName, Key: { pk: { S: sem }, sk: reg }, UpdateExpression: 'SET #s = :c', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': { S: 'physical' } } } },
          ],
        }));
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        // No seat left (or a conflicting transaction): the waitlist write, as the system does.
        await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName, Key: { pk: { S: sem }, sk: reg }, UpdateExpression: 'SET #s = :w', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':w': { S: 'waitlisted' } } } }] }));
      }
    });
    if (WARM > 0) await run(WARM, 'SEM#warm', Math.max(1, Math.round((WARM * SEATS) / PEOPLE)));
    const cpu0 = treeCpu(cloud.child.pid!);
    const t0 = performance.now();
    await run(PEOPLE, 'SEM#bench', SEATS);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSince(cpu0, treeCpu(cloud.child.pid!));
    await ddb.send(new DeleteTableCommand({ TableName }));
    return { perSecond: PEOPLE / seconds, cpu: cpuPerPerson(cpu, PEOPLE) };
  } finally {
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const COMPARE = !process.argv.includes('--no-compare');
heading(`Contended registration: ${PEOPLE} people, ${SEATS} seats, ${CLIENTS} concurrent clients`);
if (WARM > 0) console.log(`  each run first registers ${WARM} people on another seminar, unmeasured (a warm DynamoDB Local)`);
const b = await baseline();
const base = b.perSecond;
console.log(`  baseline (raw TransactWriteItems, 2–3 per person): ${base.toFixed(0)} people/s`);
console.log(`    CPU per person (ms): ${b.cpu}`);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const report = (label: string, r: Run) => {
  const [s, c, t] = [sorted(r.submit), sorted(r.confirm), sorted(r.total)];
  console.log(`  ${label}: ${r.perSecond.toFixed(0)} people/s`);
  console.log(`    CPU per person (ms): ${r.cpu}; ${r.requests}`);
  console.log(`    submit  p50 ${ms(percentile(s, 50))}  p99 ${ms(percentile(s, 99))}`);
  console.log(`    confirm p50 ${ms(percentile(c, 50))}  p99 ${ms(percentile(c, 99))}`);
  console.log(`    person end to end (incl. waiting for the email) p50 ${ms(percentile(t, 50))}  p99 ${ms(percentile(t, 99))}`);
  console.log(`    outcome: ${r.check}`);
};
const r = await ours(SEATS);
report(`ours, ${SEATS} seats (HTTP submit → email → HTTP confirm)`, r);
trend('ratio ours / raw loop', r.perSecond / base);
if (COMPARE) {
  const all = await ours(PEOPLE);
  report(`ours, a seat for each of the ${PEOPLE}`, all);
  const java = (x: Run) => x.cpuPerPerson.java ?? 0;
  console.log(`  DynamoDB Local CPU per person: ${java(r).toFixed(1)} ms with ${PEOPLE - SEATS} waitlisted, ${java(all).toFixed(1)} ms with everyone seated`);
  if (!verdict('ratio DynamoDB Local CPU per person, long waitlist / everyone seated', java(r) / java(all), { atMost: 1.25 })) process.exitCode = 1;
}
