/**
 * A fan-out longer than its Lambda may run hands over to a continuation: on a local cloud of its own
 * whose functions get 4 seconds (LOCAL_LAMBDA_TIMEOUT_SECONDS) and SES 40 emails a second, the streaming
 * link to 300 registrants needs several invocations. Everyone gets it exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalCloud, type SpawnedCloud } from '../../infra/local/spawn.js';
import { mintToken } from '../../infra/local/auth.js';
import { fireStreamingLink, mailboxEmails, scheduledSeminar, seedRegistrations, tally } from '../support/fanout.js';

const COUNT = 300;
let cloud: SpawnedCloud;
let dataDir: string;

describe('fan-out continuation', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-continuation-'));
    cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: '40', LOCAL_LAMBDA_TIMEOUT_SECONDS: '4' } });
  });
  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`the streaming link to ${COUNT} registrants goes out over several invocations, once each`, async () => {
    const token = await mintToken(dataDir, { subject: 'continuation-test' });
    const seminar = await scheduledSeminar(cloud.urls, token, 'Fortsettelse: lang utsending');
    const addresses = await seedRegistrations(cloud.urls.dynamodb, seminar.id, COUNT, 'cont');
    await fetch(`${cloud.urls.api}/_local/metrics/reset`, { method: 'POST' });
    await fireStreamingLink(cloud.urls, token, seminar);
    await fetch(`${cloud.urls.api}/_local/idle`, { method: 'POST' });

    const metrics = (await (await fetch(`${cloud.urls.api}/_local/metrics`)).json()) as { lambdaInvocations: Record<string, number> };
    // 300 emails at 40/s take 7.5 s; an invocation stops starting emails after about 3 s, so at least one
    // continuation followed (usually two; how many exactly depends on the machine's pace).
    expect(metrics.lambdaInvocations['send-streaming-link']).toBeGreaterThanOrEqual(2);
    const t = tally(await mailboxEmails(cloud.urls.mailbox), addresses, 'Fortsettelse: lang utsending');
    expect(t).toMatchObject({ delivered: COUNT, duplicates: 0, missing: 0, strays: 0 });
    const dead = (await (await fetch(`${cloud.urls.api}/_local/dead-letters`)).json()) as { items: unknown[] };
    expect(dead.items).toEqual([]);
  });
});
