/**
 * `npm run bench`: every benchmark, one after the other, each in its own process so that one's memory
 * or failure does not colour the next. Pass names to run a subset: `npm run bench -- cold-start cost`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { machine } from './lib.js';

const ROOT = resolve(import.meta.dirname, '..');
const ALL = ['cold-start', 'memory', 'registration', 'fanout', 'scale', 'budget', 'cpu-per-email', 'cost', 'crash'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ALL;

console.log(`seminar-events benchmarks on ${machine()}, ${new Date().toISOString()}`);
const failed: string[] = [];
for (const name of names) {
  const file = join(ROOT, 'bench', `${name}.ts`);
  if (!existsSync(file)) {
    console.error(`\nNo benchmark ${name} (bench/${name}.ts); known: ${ALL.join(', ')}`);
    failed.push(name);
    continue;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
console.log(failed.length ? `\nMissed or failed: ${failed.join(', ')}` : '\nEvery benchmark met its target.');
process.exitCode = failed.length ? 1 : 0;
