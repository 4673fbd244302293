/** The function bundles `cdk synth` produces, as Lambda would run them: for the cold-start and memory benchmarks. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

export interface Fn {
  id: string;
  bundle: string;
  env: Record<string, string>;
  /** MemorySize the stack gives it. */
  memoryMb: number;
}

/** Synthesizes the stack (esbuild bundles every function) into a temporary directory, unless one is given. */
export function synth(given?: string): string {
  if (given) return resolve(given);
  const out = mkdtempSync(join(tmpdir(), 'seminar-events-synth-'));
  console.log(`cdk synth → ${out} (bundles every function with esbuild)…`);
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--quiet', '-o', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    throw new Error(`cdk synth failed:\n${String((err as { stderr?: Buffer }).stderr ?? err).slice(-4000)}`);
  }
  return out;
}

export function functionsOf(cdkOut: string): Fn[] {
  const manifest = JSON.parse(readFileSync(join(cdkOut, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
  const stack = Object.values(manifest.artifacts).find((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile);
  const template = JSON.parse(readFileSync(join(cdkOut, stack!.properties!.templateFile!), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties?: { Handler?: string; MemorySize?: number; Environment?: { Variables?: Record<string, unknown> } } }>;
  };
  const fns: Fn[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Lambda::Function' || !r.Metadata?.['aws:asset:path']) continue;
    if (!r.Properties?.Handler?.startsWith('index.')) continue; // CDK's own helper functions
    const bundle = join(cdkOut, r.Metadata['aws:asset:path'], 'index.mjs');
    if (!existsSync(bundle)) continue;
    // Tokens (Ref, GetAtt) become plausible strings: initialisation must not depend on their values.
    const env = Object.fromEntries(Object.entries(r.Properties.Environment?.Variables ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : `placeholder-${k.toLowerCase()}`]));
    fns.push({ id: id.replace(/[0-9A-F]{8}$/, ''), bundle, env, memoryMb: r.Properties.MemorySize ?? 128 });
  }
  return fns;
}

