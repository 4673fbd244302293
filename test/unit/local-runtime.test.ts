/**
 * The local runtime runs each invocation with its own environment (the one the stack gives that
 * function), in this process or isolated in its function's instances (LOCAL_ISOLATION=workers):
 * concurrent invocations of two functions each read their own variables, across awaits, and a variable
 * the function's wiring entry does not declare is not there. Either way it measures each function's
 * invocations (isolated, also their CPU and heap) for GET /_local/metrics, and the functions' DynamoDB
 * calls are counted with their items (the cost benchmark's units).
 */
import { resolve } from 'node:path';
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsCallCounts, awsItemCounts, documentClient } from '../../shared/aws/clients.js';
import { memoryOf, senderMemoryMb } from '../../shared/email/rate.js';
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

  it("measures each function's invocations and reports the memory the stack configures", async () => {
    const a = probe('api', { table: 'read' });
    const big = { ...probe('big', { table: 'read' }), memoryMb: 1024 };
    const runtime = new LocalRuntime(resolve(import.meta.dirname, '../..'), [a, big], { [Env.tableName]: 'the-table' }, { isolation });
    await Promise.all([runtime.invoke(a, { waitMs: 120 }), runtime.invoke(a, { waitMs: 20 }), runtime.invoke(big, { waitMs: 1 })]);
    const m = runtime.metrics();
    expect(Object.keys(m)).toEqual(['api', 'big']);
    expect(m.api.invocations).toBe(2);
    expect(m.api.maxDurationMs).toBeGreaterThanOrEqual(115);
    expect(m.api.durationMs).toBeGreaterThanOrEqual(m.api.maxDurationMs + 15);
    expect(m.api.memoryMb).toBe(256);
    expect(m.big.memoryMb).toBe(1024);
    // CPU and heap are an instance's own only when it is isolated.
    if (isolation === 'workers') {
      // (The thread's active time, within the invocations' wall time: infra/local/worker.ts.)
      expect(m.api.cpuMs).toBeGreaterThan(0);
      expect(m.api.cpuMs).toBeLessThanOrEqual(m.api.durationMs + 5);
      expect(m.api.peakHeapMb).toBeGreaterThan(0);
    } else expect([m.api.cpuMs, m.api.peakHeapMb]).toEqual([null, null]);
    runtime.resetMetrics();
    expect(runtime.metrics().api.invocations).toBe(0);
    await runtime.close();
  });
});

describe('memoryOf (the stack and the local runtime)', () => {
  it("is the wiring's memory, 256 MB by default, and the sender's from the send rate", () => {
    expect(memoryOf({}, 14)).toBe(256);
    expect(memoryOf({ memoryMb: 512 }, 14)).toBe(512);
    expect(memoryOf({ drains: 'notices', memoryMb: 128 }, 10_000)).toBe(senderMemoryMb(10_000));
    expect(senderMemoryMb(10_000)).toBeGreaterThan(256);
  });
});

describe('awsItemCounts', () => {
  it("counts DynamoDB's items per operation: a batch's from the request, a query's from the answer", async () => {
    Object.assign(process.env, { AWS_REGION: process.env.AWS_REGION ?? 'eu-north-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const client = documentClient();
    // Answers every call before it is signed and sent: only the counting matters here.
    client.middlewareStack.add(() => async () => ({ output: { Count: 3, ScannedCount: 7, Items: [], Responses: {}, $metadata: {} }, response: {} }), { step: 'build', name: 'fakeAnswer' });
    try {
      awsItemCounts.clear();
      const keys = Array.from({ length: 50 }, (_, i) => ({ pk: `p${i}`, sk: 's' }));
      await client.send(new BatchGetCommand({ RequestItems: { t: { Keys: keys.slice(0, 40) }, u: { Keys: keys.slice(40) } } }));
      await client.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'x' } }));
      expect(Object.fromEntries(awsItemCounts)).toEqual({ 'DynamoDB.BatchGetItem': 50, 'DynamoDB.Query': 7 });
      expect(awsCallCounts.get('DynamoDB.BatchGetItem')).toBeGreaterThanOrEqual(1);
    } finally {
      client.middlewareStack.remove('fakeAnswer');
      awsItemCounts.clear();
    }
  });
});
