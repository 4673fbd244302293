/** A local cloud of a test's own (its own limits or settings), with an admin's headers and a way to schedule a seminar on it. */
import { expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnLocalCloud, type SpawnedCloud } from '../../infra/local/spawn.js';
import { mintToken } from '../../infra/local/auth.js';

export interface OwnCloud {
  cloud: SpawnedCloud;
  dataDir: string;
  /** Authorization (an admin's token) and a JSON content type. */
  adminHeaders: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts a cloud in memory in a fresh data folder, with `env` (RATE_LIMIT_*, SES_SEND_RATE_PER_SECOND …). */
export async function startOwnCloud(tag: string, env: Record<string, string>): Promise<OwnCloud> {
  const dataDir = mkdtempSync(join(tmpdir(), `seminar-events-${tag}-`));
  const cloud = await spawnLocalCloud({ dataDir, inMemory: true, env });
  const token = await mintToken(dataDir, { subject: `${tag}-test` });
  return {
    cloud,
    dataDir,
    adminHeaders: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    async stop() {
      await cloud.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates and schedules a seminar with the admin body `seminar`; its id once its handlers are done. */
export async function scheduleOn(own: OwnCloud, seminar: Record<string, unknown>): Promise<string> {
  const api = own.cloud.urls.api;
  const created = await fetch(`${api}/admin/seminars`, { method: 'POST', headers: own.adminHeaders, body: JSON.stringify(seminar) });
  expect(created.status).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  expect((await fetch(`${api}/admin/seminars/${id}/schedule`, { method: 'POST', headers: own.adminHeaders })).status).toBe(202);
  await fetch(`${api}/_local/idle`, { method: 'POST' });
  return id;
}
