/** The console's build: the budget holds, and index.html has no inline script or style (the CSP forbids them). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGET_BYTES, buildConsole } from '../../console/build.js';

const out = mkdtempSync(join(tmpdir(), 'console-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the console build', () => {
  it('stays within the 150 KB gzipped budget and writes index.html, app.js and app.css without inline code', async () => {
    const { gzippedBytes } = await buildConsole({ quiet: true, outDir: out });
    expect(gzippedBytes).toBeGreaterThan(1000);
    expect(gzippedBytes).toBeLessThanOrEqual(BUDGET_BYTES);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" src="app\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" href="app\.css">/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(readFileSync(join(out, 'app.js'), 'utf8')).not.toMatch(/localStorage/);
    expect(readFileSync(join(out, 'app.css'), 'utf8')).toContain('.error-summary');
  }, 30_000);
});
