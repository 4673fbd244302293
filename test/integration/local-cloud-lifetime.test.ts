/**
 * A local cloud started by a test run or a benchmark (infra/local/spawn.ts) ends with the process that
 * started it, however that one ends: killed with SIGKILL, it cannot stop its cloud, and the cloud notices
 * it was orphaned and stops itself (its DynamoDB Local with it), instead of running on, busy, beside the
 * next run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'seminar-events-lifetime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether the process runs (a zombie, ended but not reaped by an init that does not reap, has ended). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true; // no /proc (not Linux): signal 0 reached it
  }
};

describe('a spawned local cloud', () => {
  it('stops by itself when the process that started it is killed', async () => {
    const script = join(dir, 'starter.mts'); // an ES module: it awaits at the top level
    writeFileSync(
      script,
      [
        `import { spawnLocalCloud } from ${JSON.stringify(resolve('infra/local/spawn.ts'))};`,
        `const cloud = await spawnLocalCloud({ dataDir: ${JSON.stringify(join(dir, 'data'))}, inMemory: true });`,
        'console.log(`CLOUD ${cloud.child.pid} ${cloud.urls.api}`);',
        'setInterval(() => undefined, 1000);',
      ].join('\n'),
    );
    const starter = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((done, fail) => {
      let out = '';
      starter.stdout!.on('data', (d) => {
        out += String(d);
        const m = /CLOUD \d+ \S+/.exec(out);
        if (m) done(m[0]);
      });
      starter.once('exit', (code) => fail(new Error(`the starter exited (${code}) before its cloud was up: ${out}`)));
    });
    const [, pid, api] = line.split(' ');
    expect((await fetch(`${api}/_local/status`)).status).toBe(200);

    starter.kill('SIGKILL');
    const until = Date.now() + 20_000;
    while (alive(Number(pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(alive(Number(pid)), 'the orphaned cloud is still running').toBe(false);
    await expect(fetch(`${api}/_local/status`)).rejects.toThrow();
  }, 120_000);
});
