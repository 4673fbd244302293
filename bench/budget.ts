/**
 * One send budget for the account (issue 15): two bulk notices start at the same moment, a move notice to
 * 2,000 registrants (`on-seminar-updated`) and the announcement of a new seminar to 2,000 series
 * subscribers (`notify-series-subscribers`), on a local cloud of its own with SES_SEND_RATE_PER_SECOND=50.
 * Counted where SES sees the sends arrive: the combined rate (first to last) must be within 5 % of 50/s and
 * no second may hold more than 50. Both functions take their slots from the one budget in the table
 * (shared/email/send-budget.ts); with a limiter per process, as before, two Lambda instances sent at 50/s
 * each.
 *
 *   npx tsx bench/budget.ts           (BUDGET_COUNT=2000 each, BUDGET_RATE=50)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { spawnLocalCloud } from '../infra/local/spawn.js';
import { NAMES } from '../infra/local/names.js';
import { keys } from '../shared/store/keys.js';
import { seminarInput } from '../test/support/bodies.js';
import { adminToken, call, seedRegistrations } from './fanout-support.js';
import { heading, machine, verdict } from './lib.js';
import { busiestCalendarSecond, busiestSecond } from '../test/support/timing.js';

const COUNT = Number(process.env.BUDGET_COUNT ?? 2000);
const RATE = Number(process.env.BUDGET_RATE ?? 50);

/** `count` confirmed subscribers of the series, with their one-per-address guards, 25 items per BatchWriteItem. */
async function seedSubscribers(dynamoUrl: string, seriesId: string, count: number): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint: dynamoUrl, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 });
  const now = new Date().toISOString();
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const id = `sub${String(i).padStart(6, '0')}`;
    const email = `abonnent.${String(i).padStart(5, '0')}@bench.example.no`;
    const target = { kind: 'series', id: seriesId };
    items.push({ ...keys.subscription('series', seriesId, id), id, target, email, language: 'nb', status: 'confirmed', createdAt: now, requestedAt: now, confirmedAt: now, gsi2pk: keys.person(email), gsi2sk: `SUB#series#${seriesId}` });
    items.push({ ...keys.subscriptionGuard('series', seriesId, email), subscriptionId: id });
  }
  for (let i = 0; i < items.length; i += 25) {
    let pending: WriteRequest[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item: marshall(Item) } }));
    while (pending?.length) pending = (await ddb.send(new BatchWriteItemCommand({ RequestItems: { [NAMES.table]: pending } }))).UnprocessedItems?.[NAMES.table];
  }
  ddb.destroy();
}


console.log(`Send budget benchmark on ${machine()}`);
heading(`Two fan-outs at once (move notice to ${COUNT} registrants, announcement to ${COUNT} series subscribers), budget ${RATE}/s`);
const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-budget-'));
const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: String(RATE), LOCAL_QUIET: '1' } });
let ok = true;
try {
  const token = await adminToken(dataDir);
  const api = cloud.urls.api;
  const seriesId = `budget${Date.now().toString(36)}`;
  const series = { seriesId, seriesTitle: 'Budsjettserien', seriesTitleEn: 'The budget series' };
  const day = (d: number, h: number) => new Date(Math.floor(Date.now() / 86400_000) * 86400_000 + d * 86400_000 + h * 3600_000).toISOString();
  const create = (title: string, d: number) =>
    call<{ id: string }>(`${api}/admin/seminars`, { method: 'POST', token, body: JSON.stringify(seminarInput({ title, start: day(d, 11), end: day(d, 13), capacity: 100000, ...series })) });
  const moved = await create('Budsjett: flyttes', 20);
  await call(`${api}/admin/seminars/${moved.id}/schedule`, { method: 'POST', token });
  const announced = await create('Budsjett: nytt seminar', 30);
  await call(`${api}/_local/idle`, { method: 'POST' });
  await seedRegistrations(cloud.urls.dynamodb, moved.id, COUNT, 'bud');
  await seedSubscribers(cloud.urls.dynamodb, seriesId, COUNT);
  console.log(`  seeded ${COUNT} registrants and ${COUNT} series subscribers`);

  const since = Date.now();
  await Promise.all([
    call(`${api}/admin/seminars/${moved.id}`, { method: 'PATCH', token, headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ start: day(21, 11), end: day(21, 13) }) }),
    call(`${api}/admin/seminars/${announced.id}/schedule`, { method: 'POST', token }),
  ]);
  await call(`${api}/_local/idle`, { method: 'POST' });
  const { times } = await call<{ times: number[] }>(`${api}/_local/ses/sends?since=${since}`);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  const rate = (times.length - 1) / span;
  const b = { sliding: busiestSecond(times), calendar: busiestCalendarSecond(times) };
  console.log(`  ${times.length} emails in ${span.toFixed(1)} s: ${rate.toFixed(2)}/s combined; busiest second ${b.sliding} (sliding), ${b.calendar} (calendar)`);
  ok = verdict('emails sent (both notices)', times.length, { atLeast: 2 * COUNT }) && ok;
  ok = verdict('combined rate within 5 % of the budget (emails/s)', rate, { atLeast: RATE * 0.95, atMost: RATE }) && ok;
  // SES's quota is per second; the sliding figure (any 1,000 ms) is printed beside it: the arrival times
  // carry the jitter of the endpoint's event loop, which stamps them.
  ok = verdict('busiest second (calendar seconds, as SES counts its quota)', b.calendar, { atMost: RATE }) && ok;
} finally {
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(ok ? '\nSend budget benchmark passed.' : '\nSend budget benchmark FAILED.');
process.exitCode = ok ? 0 : 1;
