/**
 * Boots one local cloud for the whole test run (DynamoDB in memory, its own ports, a temporary data
 * directory), the same way `npm start` does, and stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    mailboxUrl: string;
    awsUrl: string;
    dynamoUrl: string;
    dataDir: string;
  }
}

let child: ChildProcess | undefined;
let dataDir: string | undefined;

/** A port the OS says is free now; several test runs on one machine then never collide. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const testPorts = { api: 0, aws: 0, ses: 0, dynamo: 0 };

export async function setup(project: TestProject) {
  testPorts.api = Number(process.env.TEST_API_PORT ?? (await freePort()));
  testPorts.aws = Number(process.env.TEST_AWS_PORT ?? (await freePort()));
  testPorts.ses = Number(process.env.TEST_SES_PORT ?? (await freePort()));
  testPorts.dynamo = Number(process.env.TEST_DYNAMODB_PORT ?? (await freePort()));
  dataDir = mkdtempSync(join(tmpdir(), 'seminar-events-test-'));
  const env = {
    ...process.env,
    API_PORT: String(testPorts.api),
    AWS_PORT: String(testPorts.aws),
    SES_PORT: String(testPorts.ses),
    DYNAMODB_PORT: String(testPorts.dynamo),
    LOCAL_DATA_DIR: dataDir,
    LOCAL_IN_MEMORY: '1',
    LOCAL_DEMO: '0',
    LOCAL_QUIET: '1',
    LOG_LEVEL: 'ERROR',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    SES_SEND_RATE_PER_SECOND: '1000',
  };
  child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`local cloud did not start in 90 s:\n${output}`)), 90_000);
    child!.stdout!.on('data', (d) => {
      output += String(d);
      if (output.includes('READY ')) {
        clearTimeout(timer);
        ready();
      }
    });
    child!.stderr!.on('data', (d) => {
      const line = String(d);
      if (!line.includes('NodeVersionSupportWarning') && !/node >=22|a\.co\/|upgrade to node|trace-warnings|security updates|versions published|^\s*$/.test(line)) output += line;
    });
    child!.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`local cloud exited (${code}) before it was ready:\n${output}`));
    });
  });
  const base = 'http://localhost';
  project.provide('apiUrl', `${base}:${testPorts.api}`);
  project.provide('mailboxUrl', `${base}:${testPorts.ses}`);
  project.provide('awsUrl', `${base}:${testPorts.aws}`);
  project.provide('dynamoUrl', `${base}:${testPorts.dynamo}`);
  project.provide('dataDir', dataDir);
}

export async function teardown() {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
