/**
 * Builds the console (`npm run console:build`): esbuild bundles console/src/main.tsx into console/dist/app.js,
 * copies index.html and app.css, and prints the gzipped size of the first page's JavaScript, failing the
 * build above the budget (150 KB). The runtime config.json is not built: whoever serves the console
 * (the local gateway, or the stack's deployment) writes it.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const CONSOLE_DIR = resolve(import.meta.dirname);
export const DEFAULT_DIST = resolve(CONSOLE_DIR, 'dist');
export const BUDGET_BYTES = 150 * 1024;

/** Builds into `outDir` (console/dist by default); answers the gzipped size of the first page's JavaScript. */
export async function buildConsole(o: { quiet?: boolean; outDir?: string } = {}): Promise<{ gzippedBytes: number }> {
  const DIST = o.outDir ?? DEFAULT_DIST;
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  await build({
    entryPoints: [resolve(CONSOLE_DIR, 'src/main.tsx')],
    outfile: resolve(DIST, 'app.js'),
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: resolve(CONSOLE_DIR, 'tsconfig.json'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(resolve(CONSOLE_DIR, 'static/index.html'), resolve(DIST, 'index.html'));
  copyFileSync(resolve(CONSOLE_DIR, 'static/app.css'), resolve(DIST, 'app.css'));
  const gzippedBytes = gzipSync(readFileSync(resolve(DIST, 'app.js')), { level: 9 }).length;
  const line = `console: first page JavaScript ${(gzippedBytes / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`;
  if (gzippedBytes > BUDGET_BYTES) throw new Error(`${line}: over budget`);
  if (!o.quiet) console.log(`${line}: ok`);
  return { gzippedBytes };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  try {
    await buildConsole();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
