/**
 * One send budget for the account (issue 15): two bulk notices start at the same moment, a move notice to
 * 2,000 registrants (`on-seminar-updated`) and the announcement of a new seminar to 2,000 series
 * subscribers (`notify-series-subscribers`), on a local cloud of its own with SES_SEND_RATE_PER_SECOND=50.
 * Counted where SES sees the sends arrive: the combined rate (first to last) must be within 5 % of 50/s and
 * no second may hold more than 50. Both functions only put their recipients on the send queue; the
 * sender's instances (`send-notices`, as many as the stack gives it at this rate: shared/email/rate.ts
 * `senderInstances`, each a worker thread of its own) take their slots from the one budget in the table
 * (shared/email/send-budget.ts). With a limiter per process, as before, two Lambda instances sent at 50/s
 * each. Printed beside the verdicts: where the time beyond the budget's own spacing went (pauses with no
 * send, and the rest), the seconds above the rate, and each function's invocations.
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
import { slotInterval } from '../shared/email/rate.js';

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

  await call(`${api}/_local/metrics/reset`, { method: 'POST' });
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
  // Where the time beyond the budget's own spacing went: pauses with no send for more than three slots
  // (no sender had a slot: between one queued message and the next), and the rest spread thin (slots a
  // busy sender reached late and gave up, arrivals stamped late by a busy endpoint).
  const sorted = [...times].sort((a, b) => a - b);
  const slot = slotInterval(RATE);
  let pauses = 0;
  let pausedMs = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap <= 3 * slot) continue;
    pauses++;
    pausedMs += gap - slot;
  }
  const ideal = ((sorted.length - 1) * slot) / 1000;
  console.log(`  at the budget's spacing (${slot.toFixed(1)} ms a slot) they would take ${ideal.toFixed(1)} s; ${pauses} pauses of more than three slots lost ${(pausedMs / 1000).toFixed(1)} s, the rest ${(span - ideal - pausedMs / 1000).toFixed(1)} s`);
  const perSecond = new Map<number, number>();
  for (const t of sorted) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  const over = [...perSecond].filter(([, n]) => n > RATE);
  if (over.length) console.log(`  calendar seconds above ${RATE}: ${over.map(([t, n]) => `${new Date(t * 1000).toISOString().slice(11, 19)} ${n}`).join(', ')}`);
  const { functions } = await call<{ functions?: Record<string, { invocations: number }> }>(`${api}/_local/metrics`);
  const inv = (name: string) => functions?.[name]?.invocations ?? '?';
  console.log(`  invocations: on-seminar-updated ${inv('on-seminar-updated')}, notify-series-subscribers ${inv('notify-series-subscribers')} (they enqueue), send-notices ${inv('send-notices')} (it sends)`);
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
