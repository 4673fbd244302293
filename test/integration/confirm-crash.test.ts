/**
 * A crash during confirmations (issue 14, item 2): 200 registrants press "Bekreft" at once, and the local
 * cloud (our functions, the bus, the API) is killed with SIGKILL while the confirmations are in flight.
 * DynamoDB Local and SES run on as their own processes, as AWS's services outlive a crash of ours. After
 * the restart, whoever got no answer presses again, as a person would. Every one of the 200 gets exactly
 * one confirmation with its calendar invite: a confirmation whose announcement died with the process is
 * announced again on the next click, and an email SES took before the kill is not sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnLocalCloud, type SpawnedCloud } from '../../infra/local/spawn.js';
import { startDynamoLocal } from '../../infra/local/dynamo.js';
import { mintToken } from '../../infra/local/auth.js';
import { startSes } from '../../bench/fanout-support.js';
import { call, scheduledSeminar } from '../support/fanout.js';
import { RAISED_RATE_LIMITS } from '../support/limits.js';

const COUNT = 200;
const LEASE_MS = 8000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
  attachments?: Array<{ filename?: string; contentType?: string }>;
}

let dataDir: string;
let dynamo: ChildProcess;
let ses: { child: ChildProcess; url: string };
let cloud: SpawnedCloud | undefined;
let boot: () => Promise<SpawnedCloud>;

describe('a crash during 200 confirmations', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-confirm-crash-'));
    const ports = { api: await freePort(), aws: await freePort(), ses: await freePort(), dynamo: await freePort() };
    dynamo = startDynamoLocal({ port: ports.dynamo });
    ses = await startSes(await freePort(), ports.aws, dataDir);
    const env = {
      LOCAL_DYNAMODB_URL: `http://localhost:${ports.dynamo}`,
      LOCAL_SES_URL: ses.url,
      LEDGER_CLAIM_LEASE_MS: String(LEASE_MS),
      SES_SEND_RATE_PER_SECOND: '1000',
      ...RAISED_RATE_LIMITS,
    };
    // Persistent (not in memory): the bus journals its deliveries under dataDir, as EventBridge keeps an event it accepted.
    boot = () => spawnLocalCloud({ dataDir, inMemory: false, processGroup: true, ports, env, timeoutMs: 120_000 });
    cloud = await boot();
  }, 180_000);
  afterAll(async () => {
    await cloud?.stop();
    ses?.child.kill('SIGTERM');
    dynamo?.kill('SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('every registrant gets exactly one confirmation with its invite', async () => {
    const urls = cloud!.urls;
    const token = await mintToken(dataDir, { subject: 'confirm-crash-test' });
    const title = 'Krasj under bekreftelser';
    const seminar = await scheduledSeminar(urls, token, title);
    const emails = Array.from({ length: COUNT }, (_, i) => `krasj.${String(i).padStart(3, '0')}@example.no`);
    for (let i = 0; i < COUNT; i += 20) {
      await Promise.all(
        emails.slice(i, i + 20).map((email, j) =>
          call(`${urls.api}/seminars/${seminar.id}/registrations`, {
            method: 'POST',
            body: JSON.stringify({ name: `Deltaker ${i + j}`, email, organisation: 'Krasjtest', mode: (i + j) % 2 ? 'digital' : 'physical' }),
          }),
        ),
      );
    }
    await call(`${urls.api}/_local/idle`, { method: 'POST' });
    const store = async () => (await call<{ emails: StoredMail[] }>(`${ses.url}/store`)).emails;
    const tokens = new Map<string, string>();
    for (const m of await store()) {
      const link = /\/registrations\/confirm\?token=([^\s"<>&]+)/.exec(m.body.text ?? '');
      if (link && m.subject.startsWith('Bekreft påmeldingen')) tokens.set(m.destination.to[0], link[1]);
    }
    expect(tokens.size).toBe(COUNT);

    const confirm = (base: string, email: string) =>
      fetch(`${base}/registrations/confirm?token=${tokens.get(email)}`, { method: 'POST', headers: { accept: 'application/json' } }).then(
        (r) => r.status,
        () => 0, // no answer: the process died
      );
    // All at once; the kill comes when a quarter has been answered.
    let answered = 0;
    const first = emails.map((e) =>
      confirm(urls.api, e).then((s) => {
        answered++;
        return s;
      }),
    );
    while (answered < COUNT / 4) await sleep(2);
    await cloud!.kill();
    const statuses = await Promise.all(first);
    const unanswered = emails.filter((_, i) => statuses[i] !== 200);

    const killedAt = Date.now();
    cloud = await boot();
    const restartMs = Date.now() - killedAt;
    // Those who saw no answer press again (some of them were confirmed before the kill).
    const again = await Promise.all(unanswered.map((e) => confirm(cloud!.urls.api, e)));
    expect(again.filter((s) => s !== 200)).toEqual([]);
    await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });
    for (let i = 0; i < 100 && (await call<{ eventsPending: number }>(`${ses.url}/_local/sends`)).eventsPending > 0; i++) await sleep(100);
    await call(`${cloud.urls.api}/_local/idle`, { method: 'POST' });

    const confirmations = new Map<string, StoredMail[]>();
    for (const m of await store()) {
      if (!m.subject.startsWith('Påmeldingen er bekreftet')) continue;
      const to = m.destination.to[0];
      confirmations.set(to, [...(confirmations.get(to) ?? []), m]);
    }
    const missing = emails.filter((e) => !confirmations.has(e));
    const doubled = emails.filter((e) => (confirmations.get(e)?.length ?? 0) > 1);
    const withoutInvite = emails.filter((e) => confirmations.get(e)?.some((m) => !(m.attachments ?? []).some((a) => /calendar/.test(a.contentType ?? ''))));
    console.log(`confirm crash: ${COUNT - unanswered.length} answered before the kill, restarted in ${restartMs} ms, ${unanswered.length} pressed again after the restart; missing ${missing.length}, doubled ${doubled.length}, without invite ${withoutInvite.length}`);
    expect({ missing, doubled, withoutInvite }).toEqual({ missing: [], doubled: [], withoutInvite: [] });
    expect(unanswered.length).toBeGreaterThan(0);
  }, 300_000);
});
