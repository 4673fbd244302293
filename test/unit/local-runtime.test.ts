/**
 * The local runtime runs each invocation with its own environment (the one the stack gives that
 * function), in this process or isolated in its function's instances (LOCAL_ISOLATION=workers):
 * concurrent invocations of two functions each read their own variables, across awaits, and a variable
 * the function's wiring entry does not declare is not there.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalRuntime, type Isolation } from '../../infra/local/runtime.js';
import { Env } from '../../shared/env-names.js';
import type { FunctionSpec } from '../../shared/spec.js';

const probe = (name: string, access: FunctionSpec['access']): FunctionSpec => ({ name, entry: 'test/unit/fixtures/env-probe.ts', description: 'probe', access });

describe.each<Isolation>(['none', 'workers'])('local runtime (isolation: %s)', (isolation) => {
  it('gives each invocation the environment of its own function, across awaits and interleaved', async () => {
    const mailer = probe('mailer', { table: 'readwrite', ses: true });
    const reader = probe('reader', { table: 'read' });
    const runtime = new LocalRuntime(resolve(import.meta.dirname, '../..'), [mailer, reader], {
      [Env.tableName]: 'the-table',
      [Env.senderEmail]: 'seminarer@example.no',
      [Env.publicBaseUrl]: 'http://localhost:3000',
    }, { isolation });
    expect(runtime.environmentOf('reader')).toEqual({ [Env.tableName]: 'the-table' });
    expect(runtime.environmentOf('mailer')).toMatchObject({ [Env.tableName]: 'the-table', [Env.senderEmail]: 'seminarer@example.no', [Env.publicBaseUrl]: 'http://localhost:3000' });

    const [slowMailer, quickReader] = (await Promise.all([runtime.invoke(mailer, { waitMs: 30 }), runtime.invoke(reader, { waitMs: 5 })])) as Array<Record<string, string>>;
    expect(slowMailer).toEqual({ before: 'the-table', after: 'the-table', sender: 'seminarer@example.no' });
    expect(quickReader.before).toBe('the-table');
    expect(quickReader.sender).toMatch(/SENDER_EMAIL is not set .*access\.ses/);
    expect(Object.fromEntries(runtime.invocations)).toEqual({ mailer: 1, reader: 1 });
    await runtime.close();
  });
});
