/**
 * What an instance of the local runtime loads: the function's entry bundled with esbuild, as the stack
 * bundles it for Lambda (infra/constructs/), together with the instance's side (infra/local/worker.ts),
 * so that both use the same module instances (the SDK clients the chaos switches go into, the clock, the
 * AWS call counts). Packages stay external (Node loads them from node_modules, once per instance); the
 * bundles go to node_modules/.cache/local-lambda/<process>/, so that Node finds those packages, and
 * are built once per function and process, when the function is first invoked. Each instance then
 * starts from plain JavaScript, without a TypeScript loader: a cold start costs about a third of what
 * loading the .ts sources through tsx costs.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FunctionSpec } from '../../shared/spec.js';

/** Bundles of earlier processes that are gone. */
function removeStale(cache: string): void {
  if (!existsSync(cache)) return;
  for (const d of readdirSync(cache)) {
    const pid = Number(d.split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(cache, d), { recursive: true, force: true });
    }
  }
}

export class Bundles {
  readonly dir: string;
  private readonly built = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {
    const cache = join(root, 'node_modules/.cache/local-lambda');
    removeStale(cache);
    this.dir = join(cache, `${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  }

  /** The file URL of the function's bundle (built on first use). */
  of(f: FunctionSpec): Promise<string> {
    let b = this.built.get(f.name);
    if (!b) {
      b = this.build(f);
      this.built.set(f.name, b);
      // A failed build is tried again at the next invocation (after a fix, say).
      b.catch(() => this.built.delete(f.name));
    }
    return b;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async build(f: FunctionSpec): Promise<string> {
    const { build } = await import('esbuild');
    mkdirSync(this.dir, { recursive: true });
    const outfile = join(this.dir, `${f.name.replace(/[^A-Za-z0-9_-]/g, '_')}.mjs`);
    const worker = join(import.meta.dirname, 'worker.ts');
    const entry = join(this.root, f.entry);
    await build({
      stdin: {
        contents: `import { serve } from ${JSON.stringify(worker)};\nimport * as entry from ${JSON.stringify(entry)};\nserve(entry, ${JSON.stringify(f.entry)});\n`,
        resolveDir: this.root,
        sourcefile: `lambda:${f.name}.ts`,
        loader: 'ts',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: true,
      logLevel: 'silent',
    });
    return pathToFileURL(outfile).href;
  }
}
