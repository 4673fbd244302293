/**
 * A file under `functions/` is a Lambda entry and nothing else: each is the `entry` of one function in
 * the wiring, none is imported by another file of the code (an entry's shared logic lives in `shared/`),
 * and an event function handles exactly the events its rules deliver.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions } from '../../infra/wiring.js';
import type { EventFunction } from '../../shared/aws/on-event.js';

const ROOT = resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** The files a module imports (static, dynamic and side-effect imports of relative paths), from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)].map((m) => m[1]);
  return specifiers.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)).replace(/\.js$/, '.ts'));
}

const entries = new Set<string>(functions.map((f) => f.entry));

describe('functions/', () => {
  it('holds Lambda entries only: every file is the entry of a function in infra/wiring.ts', () => {
    const files = filesUnder('functions');
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !entries.has(f))).toEqual([]);
    // …and every entry of the wiring is there.
    expect([...entries].filter((e) => !files.includes(e))).toEqual([]);
  });

  it('is imported by no file of the code: no entry imports another, nothing in shared/, events/, infra/ or bench/ imports one', () => {
    const code = ['functions', 'shared', 'events', 'infra', 'bench'].flatMap(filesUnder);
    expect(code.length).toBeGreaterThan(50);
    const offending = code.flatMap((file) => importsOf(file).filter((i) => i.startsWith('functions/')).map((i) => `${file} → ${i}`));
    expect(offending).toEqual([]);
  });

  it('reads the imports it checks (the check above would pass on a reader that finds none)', () => {
    expect(importsOf('functions/http/admin-api.ts')).toContain('shared/http/router.ts');
    expect(importsOf('functions/seminars/on-seminar-updated.ts')).toEqual(expect.arrayContaining(['events/index.ts', 'shared/aws/on-event.ts']));
  });

  it('an event function handles exactly the detail-types its rules deliver', async () => {
    for (const f of functions.filter((fn) => fn.rules?.length)) {
      const { handler } = (await import(join(ROOT, f.entry))) as { handler: EventFunction<unknown> };
      const handled = handler.handles.map((e) => e.detailType).sort();
      const delivered = [...new Set(f.rules!.flatMap((r) => r.events.map((e) => e.detailType)))].sort();
      expect(handled, f.name).toEqual(delivered);
    }
  });
});
