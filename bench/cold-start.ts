/**
 * Cold start: for each function bundle `cdk synth` produces, its size and the time a fresh Node process
 * takes to import (initialise) it, against a baseline measured in the same run: an empty handler that
 * imports and creates the same SDK clients, bundled with the same esbuild options.
 *
 *   npx tsx bench/cold-start.ts [--runs 9] [--cdk-out <dir>]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../infra/stack.js';
import { heading, median, verdict } from './lib.js';
import { functionsOf, synth } from './bundles.js';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** Strings every bundle of a client contains (the protocol's service name), and how to create it. */
const CLIENTS = [
  { marker: 'DynamoDB_20120810', pkg: '@aws-sdk/client-dynamodb', cls: 'DynamoDBClient' },
  { marker: 'AWSEvents', pkg: '@aws-sdk/client-eventbridge', cls: 'EventBridgeClient' },
  { marker: 'AWSChronosService', pkg: '@aws-sdk/client-scheduler', cls: 'SchedulerClient' },
  { marker: 'SimpleEmailService_v2', pkg: '@aws-sdk/client-sesv2', cls: 'SESv2Client' },
  { marker: 'SecretsManagerClient', pkg: '@aws-sdk/client-secrets-manager', cls: 'SecretsManagerClient' },
] as const;

/** The baseline for a set of clients: an empty handler creating them, bundled like the stack does. */
async function baselineFor(clients: typeof CLIENTS[number][], dir: string): Promise<string> {
  const key = clients.map((c) => c.cls).join('+') || 'none';
  const out = join(dir, key, 'index.mjs');
  if (existsSync(out)) return out;
  mkdirSync(join(dir, key), { recursive: true });
  const entry = join(ROOT, 'bench', `.baseline-${process.pid}.ts`);
  writeFileSync(
    entry,
    clients.map((c) => `import { ${c.cls} } from '${c.pkg}';`).join('\n') +
      `\nconst clients = [${clients.map((c) => `new ${c.cls}({})`).join(', ')}];\n` +
      `export const handler = async () => ({ statusCode: 200, body: String(clients.length) });\n`,
  );
  try {
    await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node22', mainFields: ['module', 'main'], banner: { js: ESM_REQUIRE_BANNER }, minify: true, logLevel: 'silent' });
  } finally {
    spawnSync('rm', ['-f', entry]);
  }
  return out;
}

/** Import time of a module in a fresh Node process (what a Lambda cold start pays for our code). */
function importMs(file: string, env: Record<string, string>): number {
  const script = `const t = performance.now(); const m = await import(${JSON.stringify('file://' + file)}); if (typeof m.handler !== 'function') throw new Error('no handler'); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-north-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`importing ${file} failed: ${r.stderr}`);
  return Number(r.stdout);
}

const runs = Number(arg('--runs') ?? 9);
heading('Cold start: import time of each bundle vs an empty handler with the same SDK clients');
const cdkOut = synth(arg('--cdk-out'));
const fns = functionsOf(cdkOut);
const baseDir = mkdtempSync(join(tmpdir(), 'seminar-events-baseline-'));
let allMet = true;
const rows: string[] = [];
for (const fn of fns) {
  const text = readFileSync(fn.bundle, 'utf8');
  const clients = CLIENTS.filter((c) => text.includes(c.marker));
  const baseline = await baselineFor([...clients], baseDir);
  const ours: number[] = [];
  const base: number[] = [];
  importMs(fn.bundle, fn.env); // warm the file cache for both
  importMs(baseline, {});
  for (let i = 0; i < runs; i++) {
    ours.push(importMs(fn.bundle, fn.env));
    base.push(importMs(baseline, {}));
  }
  const o = median(ours);
  const b = median(base);
  const ratio = o / b;
  const size = statSync(fn.bundle).size;
  const baseSize = statSync(baseline).size;
  rows.push(`  ${fn.id.padEnd(28)} ${(size / 1024).toFixed(0).padStart(5)} KiB (baseline ${(baseSize / 1024).toFixed(0)} KiB)  import ${o.toFixed(1).padStart(6)} ms vs ${b.toFixed(1).padStart(6)} ms  ratio ${ratio.toFixed(2)}  [${clients.map((c) => c.cls.replace(/Client$/, '')).join(', ')}]`);
  if (ratio > 1.5) allMet = false;
}
console.log(rows.join('\n'));
const worst = Math.max(...rows.map((r) => Number(/ratio (\d+\.\d+)/.exec(r)![1])));
verdict('worst ratio (median of ' + runs + ' fresh processes each)', worst, { atMost: 1.5 });
if (!allMet) process.exitCode = 1;
