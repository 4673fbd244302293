/**
 * Erasure during a fan-out (issue 14, item 1): `DELETE /admin/people/{email}` for five registrants while
 * the streaming link goes out to 1,500, on a local cloud of its own paced at 50 emails a second (30 s
 * of sending). The five are taken from just ahead of the send front: their registrations were read by
 * the fan-out before the erasure. Once a receipt is in, no email goes to that address, and no item of
 * the table names it; everyone else gets the link exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { spawnLocalCloud, type SpawnedCloud } from '../../infra/local/spawn.js';
import { mintToken } from '../../infra/local/auth.js';
import { NAMES } from '../../infra/local/cloud.js';
import { call, fireStreamingLink, mailboxEmails, scheduledSeminar, seedRegistrations, tally } from '../support/fanout.js';

const COUNT = 1500;
const RATE = 50;
let cloud: SpawnedCloud;
let dataDir: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every item of the table, as plain objects. */
async function scanAll(dynamoUrl: string): Promise<Array<Record<string, unknown>>> {
  const ddb = new DynamoDBClient({ endpoint: dynamoUrl, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, never> | undefined;
  do {
    const out = await ddb.send(new ScanCommand({ TableName: NAMES.table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []).map((i) => unmarshall(i)));
    start = out.LastEvaluatedKey as typeof start;
  } while (start);
  ddb.destroy();
  return items;
}

describe('erasure during a fan-out', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-erasure-'));
    cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: String(RATE) } });
  });
  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`5 people erased while the streaming link goes to ${COUNT}: nothing to them after their receipt, no address left in clear`, async () => {
    const token = await mintToken(dataDir, { subject: 'erasure-test' });
    const title = 'Sletting under utsending';
    const seminar = await scheduledSeminar(cloud.urls, token, title);
    const addresses = await seedRegistrations(cloud.urls.dynamodb, seminar.id, COUNT, 'erase');
    await fireStreamingLink(cloud.urls, token, seminar);

    // Wait for the send front to pass 300, then erase five people just ahead of it (within the page the
    // fan-out has read and the one it reads ahead), in parallel.
    let sentSoFar = 0;
    for (let i = 0; i < 600 && sentSoFar < 300; i++) {
      sentSoFar = (await mailboxEmails(cloud.urls.mailbox)).length;
      if (sentSoFar < 300) await sleep(100);
    }
    expect(sentSoFar).toBeGreaterThanOrEqual(300);
    const victims = [5, 20, 45, 90, 160].map((ahead) => addresses[sentSoFar + ahead]);
    const afterReceipt = await Promise.all(
      victims.map(async (email) => {
        const receipt = await call<{ receiptId: string; total: number }>(`${cloud.urls.api}/admin/people/${encodeURIComponent(email)}`, { method: 'DELETE', token });
        expect(receipt.receiptId).toBeTruthy();
        const toThem = (await mailboxEmails(cloud.urls.mailbox)).filter((m) => m.destination.to.includes(email)).length;
        return { email, toThem };
      }),
    );
    await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });

    const mails = await mailboxEmails(cloud.urls.mailbox);
    for (const v of afterReceipt) {
      // Whatever they got before the receipt, nothing came after it.
      expect(mails.filter((m) => m.destination.to.includes(v.email)).length, v.email).toBe(v.toThem);
    }
    // No item anywhere names them (registrations, guards, ledger entries, the person index).
    const items = await scanAll(cloud.urls.dynamodb);
    for (const email of victims) {
      const naming = items.filter((i) => JSON.stringify(i).toLowerCase().includes(email));
      expect(naming.map((i) => `${i.pk} ${i.sk}`), email).toEqual([]);
    }
    const sentToVictims = afterReceipt.reduce((n, v) => n + v.toThem, 0);
    console.log(`erasure during fan-out: send front at ${sentSoFar} of ${COUNT} when 5 were erased; ${sentToVictims} of them had the link before their receipt, 0 after`);
    // Everyone else: exactly once.
    const others = addresses.filter((a) => !victims.includes(a));
    expect(tally(mails, others, title)).toMatchObject({ delivered: others.length, duplicates: 0, missing: 0 });
    const dead = (await (await fetch(`${cloud.urls.api}/_local/dead-letters`)).json()) as { items: unknown[] };
    expect(dead.items).toEqual([]);
  }, 240_000);
});
