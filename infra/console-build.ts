/**
 * Building the console before it is served or deployed: `npm start` (infra/local/start.ts) and
 * `cdk synth`/`deploy` (infra/app.ts) run `npm run console:build` when console/dist is missing or older
 * than console/src or console/static.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
export const CONSOLE_SOURCES = [join(REPO, 'console/src'), join(REPO, 'console/static')];
/** The built console: what the local gateway serves and the stack uploads. */
export const CONSOLE_DIST = join(REPO, 'console/dist');

export const consoleIsBuilt = (dir = CONSOLE_DIST) => existsSync(join(dir, 'index.html'));

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), st.mtimeMs);
}

export type ConsoleBuildState = 'fresh' | 'built' | 'no-build-script' | 'failed';

/**
 * Runs `npm run console:build` when console/dist is missing or older than a file of console/src or
 * console/static. A failed build leaves the old files (or the 503 page) in place and says so.
 */
export function ensureConsoleBuilt(log: (line: string) => void = console.log): ConsoleBuildState {
  const built = consoleIsBuilt() ? newestMtime(CONSOLE_DIST) : 0;
  const sources = Math.max(...CONSOLE_SOURCES.map(newestMtime));
  if (built && built >= sources) return 'fresh';
  const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (!scripts['console:build']) return 'no-build-script';
  log(built ? 'The console is older than its sources: building it (npm run console:build)…' : 'Building the console (npm run console:build)…');
  const run = spawnSync('npm', ['run', '-s', 'console:build'], { cwd: REPO, stdio: 'inherit' });
  if (run.status === 0) return 'built';
  log(`The console build failed (exit ${run.status}); ${built ? 'the previous build stays' : 'there is no console until it builds'}.`);
  return 'failed';
}
