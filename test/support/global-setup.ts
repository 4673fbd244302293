/**
 * Boots one local cloud for the whole test run (DynamoDB in memory, free ports, a temporary data
 * directory), the same way `npm start` does, and stops it afterwards. The `integration` and `slow`
 * projects (vitest.config.ts) both name this file; vitest calls it once per project, in one process, so
 * the first call boots the cloud, every call provides its URLs, and the last teardown stops it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { spawnLocalCloud, type SpawnedCloud } from '../../infra/local/spawn.js';
import { RAISED_RATE_LIMITS } from './limits.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    mailboxUrl: string;
    awsUrl: string;
    dynamoUrl: string;
    dataDir: string;
  }
}

interface Shared {
  booting: Promise<{ cloud: SpawnedCloud; dataDir: string }>;
  users: number;
}
const KEY = Symbol.for('seminar-events.test-cloud');
const registry = globalThis as typeof globalThis & { [KEY]?: Shared };

async function boot(): Promise<{ cloud: SpawnedCloud; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-test-'));
  const fixed = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const cloud = await spawnLocalCloud({
    dataDir,
    inMemory: true,
    ports: { api: fixed('TEST_API_PORT'), aws: fixed('TEST_AWS_PORT'), ses: fixed('TEST_SES_PORT'), dynamo: fixed('TEST_DYNAMODB_PORT') },
    env: {
      SES_SEND_RATE_PER_SECOND: '1000',
      // A queued function's batching window (on-email-feedback: 1 s) made 0.1 s: every idle() waits for it.
      LOCAL_BATCHING_WINDOW_SECONDS: '0.1',
      // Every test talks from 127.0.0.1 and some hammer the public routes.
      ...RAISED_RATE_LIMITS,
    },
  });
  return { cloud, dataDir };
}

export async function setup(project: TestProject) {
  const shared = (registry[KEY] ??= { booting: boot(), users: 0 });
  shared.users++;
  const { cloud, dataDir } = await shared.booting;
  project.provide('apiUrl', cloud.urls.api);
  project.provide('mailboxUrl', cloud.urls.mailbox);
  project.provide('awsUrl', cloud.urls.aws);
  project.provide('dynamoUrl', cloud.urls.dynamodb);
  project.provide('dataDir', dataDir);
}

export async function teardown() {
  const shared = registry[KEY];
  if (!shared || --shared.users > 0) return;
  registry[KEY] = undefined;
  const { cloud, dataDir } = await shared.booting;
  await cloud.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
