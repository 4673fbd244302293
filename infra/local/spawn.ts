/**
 * Starts the local cloud as a child process, the way `npm start` does, on free ports: for the test
 * run's global setup and for the benchmarks. Returns once it printed READY.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { EXIT_WITH_PARENT_ENV } from './names.js';

export interface SpawnedCloud {
  child: ChildProcess;
  urls: { api: string; mailbox: string; aws: string; dynamodb: string };
  ports: { api: number; aws: number; ses: number; dynamo: number };
  dataDir: string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. With `processGroup`, DynamoDB Local dies with it. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  inMemory?: boolean;
  /** Fixed ports; free ones otherwise. */
  ports?: Partial<SpawnedCloud['ports']>;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Start it in its own process group, so that kill() takes DynamoDB Local (a grandchild) down too. */
  processGroup?: boolean;
  /** Extra Node options (for example `--cpu-prof` to profile a benchmark run). */
  nodeArgs?: string[];
}

/** A port the OS says is free now; several runs on one machine then never collide. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Lines the AWS SDK prints on Node 20 and other noise that is no failure. */
const NOISE = /NodeVersionSupportWarning|node >=22|a\.co\/|upgrade to node|trace-warnings|security updates|versions published|^\s*$/;

export async function spawnLocalCloud(o: SpawnOptions): Promise<SpawnedCloud> {
  const ports = {
    api: o.ports?.api ?? (await freePort()),
    aws: o.ports?.aws ?? (await freePort()),
    ses: o.ports?.ses ?? (await freePort()),
    dynamo: o.ports?.dynamo ?? (await freePort()),
  };
  const root = resolve(import.meta.dirname, '../..');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(ports.api),
    AWS_PORT: String(ports.aws),
    SES_PORT: String(ports.ses),
    DYNAMODB_PORT: String(ports.dynamo),
    LOCAL_DATA_DIR: o.dataDir,
    LOCAL_IN_MEMORY: o.inMemory ? '1' : '0',
    LOCAL_DEMO: '0',
    LOCAL_QUIET: '1',
    LOG_LEVEL: 'ERROR',
    [EXIT_WITH_PARENT_ENV]: String(process.pid),
    ...o.env,
  };
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', 'infra/local/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: o.processGroup ?? false });
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`local cloud did not start in time:\n${output}`)), o.timeoutMs ?? 90_000);
    child.stdout!.on('data', (d) => {
      output += String(d);
      if (output.includes('READY ')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.stderr!.on('data', (d) => {
      const line = String(d);
      if (!NOISE.test(line)) output += line;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`local cloud exited (${code}) before it was ready:\n${output}`));
    });
  });
  // Keep draining the pipes so a chatty child never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  const exited = () => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  const base = 'http://localhost';
  return {
    child,
    ports,
    dataDir: o.dataDir,
    urls: { api: `${base}:${ports.api}`, mailbox: `${base}:${ports.ses}`, aws: `${base}:${ports.aws}`, dynamodb: `${base}:${ports.dynamo}` },
    async stop() {
      if (child.exitCode !== null) return;
      const done = exited();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
    async kill() {
      const done = exited();
      if (o.processGroup) process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
      await done;
    },
  };
}
