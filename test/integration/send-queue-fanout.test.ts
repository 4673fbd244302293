/**
 * A fan-out bigger than any one invocation may send: on a local cloud of its own whose functions get
 * 10 seconds (LOCAL_LAMBDA_TIMEOUT_SECONDS; the sender stops starting emails 2.5 s before) and SES 40 emails
 * a second, the streaming link to 300 registrants takes 7.5 s of sending, and a sender instance's share
 * (20/s) would take 15 s. The fan-out function only reads the list and enqueues (one invocation); the
 * sender drains the send queue a message (40 recipients: two seconds of an instance's share) at a time.
 * Everyone gets the link exactly once, nothing is dead-lettered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalCloud, type SpawnedCloud } from '../../infra/local/spawn.js';
import { mintToken } from '../../infra/local/auth.js';
import { recipientsPerNotice } from '../../shared/email/rate.js';
import { fireStreamingLink, mailboxEmails, scheduledSeminar, seedRegistrations, tally } from '../support/fanout.js';

const COUNT = 300;
const RATE = 40;
let cloud: SpawnedCloud;
let dataDir: string;

describe('a fan-out through the send queue', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-send-queue-'));
    cloud = await spawnLocalCloud({ dataDir, inMemory: true, env: { SES_SEND_RATE_PER_SECOND: String(RATE), LOCAL_LAMBDA_TIMEOUT_SECONDS: '10' } });
  });
  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`the streaming link to ${COUNT} registrants: one fan-out invocation, the sender a message at a time, once each`, async () => {
    const token = await mintToken(dataDir, { subject: 'send-queue-test' });
    const seminar = await scheduledSeminar(cloud.urls, token, 'Sendekø: lang utsending');
    const addresses = await seedRegistrations(cloud.urls.dynamodb, seminar.id, COUNT, 'queue');
    await fetch(`${cloud.urls.api}/_local/metrics/reset`, { method: 'POST' });
    await fireStreamingLink(cloud.urls, token, seminar);
    await fetch(`${cloud.urls.api}/_local/idle`, { method: 'POST' });

    const metrics = (await (await fetch(`${cloud.urls.api}/_local/metrics`)).json()) as { lambdaInvocations: Record<string, number>; awsCalls: Record<string, number> };
    const messages = Math.ceil(COUNT / recipientsPerNotice(RATE));
    expect(metrics.lambdaInvocations['send-streaming-link']).toBe(1);
    // At least one invocation per message (batch size 1); a message whose invocation ran short of time (a
    // cold start on a loaded machine) comes back and is finished by the next one.
    expect(metrics.lambdaInvocations['send-notices']).toBeGreaterThanOrEqual(messages);
    expect(metrics.awsCalls['SQS.SendMessageBatch']).toBe(Math.ceil(messages / 10));
    const t = tally(await mailboxEmails(cloud.urls.mailbox), addresses, 'Sendekø: lang utsending');
    expect(t).toMatchObject({ delivered: COUNT, duplicates: 0, missing: 0, strays: 0 });
    const dead = (await (await fetch(`${cloud.urls.api}/_local/dead-letters`)).json()) as { items: unknown[] };
    expect(dead.items).toEqual([]);
  }, 180_000);
});
