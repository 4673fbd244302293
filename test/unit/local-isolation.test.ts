/**
 * The local runtime isolates functions as Lambda does (LOCAL_ISOLATION=workers): each
 * invocation runs in an instance (a worker thread) of its function, one invocation at a time; concurrent
 * invocations run in separate instances with separate module state; sequential ones reuse a warm instance
 * and its module state; two functions never share an instance; a timeout terminates the instance; the
 * clock, the chaos switches and the AWS call counts cross between the instances and the local cloud;
 * what each invocation used (wall time, its thread's CPU, the instance's heap) comes back with its result.
 */
import { resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { awsCallCounts } from '../../shared/aws/clients.js';
import { setClockOffset } from '../../shared/clock.js';
import { senderMemoryMb } from '../../shared/email/rate.js';
import { Env } from '../../shared/env-names.js';
import type { FunctionSpec } from '../../shared/spec.js';
import { chaosEffects, noChaos } from '../../infra/local/chaos.js';
import { LocalRuntime, type RuntimeOptions } from '../../infra/local/runtime.js';
import type { ProbeEvent } from './fixtures/isolation-probe.js';

interface Probe {
  threadId: number;
  invocations: number;
  shared: number;
  functionName: string;
  awsRequestId: string;
  remainingAtStart: number;
  memoryLimitInMB: string;
  now: number;
  tableName: string | null;
  senderEmail: string | null;
  dynamo?: string;
}

const probe = (name: string, o: Partial<FunctionSpec> = {}): FunctionSpec => ({
  name,
  entry: 'test/unit/fixtures/isolation-probe.ts',
  description: 'isolation probe',
  access: { table: 'read' },
  ...o,
});

const runtimes: LocalRuntime[] = [];
function runtimeOf(functions: FunctionSpec[], o: RuntimeOptions = {}, sendRate?: string): LocalRuntime {
  const values = { [Env.tableName]: 'the-table', [Env.senderEmail]: 'x@example.no', ...(sendRate ? { [Env.sesSendRate]: sendRate } : {}) };
  const r = new LocalRuntime(resolve(import.meta.dirname, '../..'), functions, values, { isolation: 'workers', maxInstances: 8, ...o });
  runtimes.push(r);
  return r;
}
const call = (r: LocalRuntime, f: FunctionSpec, e: ProbeEvent = {}) => r.invoke(f, e) as Promise<Probe>;

afterEach(() => setClockOffset(0));
afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
});

describe('local runtime isolation (workers)', () => {
  it('runs sequential invocations in one warm instance, whose module state lasts', async () => {
    const f = probe('seq');
    const r = runtimeOf([f]);
    const a = await call(r, f);
    const b = await call(r, f);
    const c = await call(r, f);
    expect(a.threadId).not.toBe(threadId);
    expect([a.threadId, b.threadId, c.threadId]).toEqual([a.threadId, a.threadId, a.threadId]);
    expect([a.invocations, b.invocations, c.invocations]).toEqual([1, 2, 3]);
    expect(new Set([a.awsRequestId, b.awsRequestId, c.awsRequestId]).size).toBe(3);
    expect(r.instanceStats()).toEqual({ seq: { live: 1, started: 1 } });
  });

  it('runs concurrent invocations of one function in separate instances, each with its own module state', async () => {
    const f = probe('conc');
    const r = runtimeOf([f]);
    const results = await Promise.all([1, 2, 3].map(() => call(r, f, { waitMs: 300 })));
    expect(new Set(results.map((x) => x.threadId)).size).toBe(3);
    expect(results.map((x) => x.invocations)).toEqual([1, 1, 1]);
    expect(results.map((x) => x.shared)).toEqual([1, 1, 1]);
    // Afterwards the three are warm: three more at once reuse them.
    const again = await Promise.all([1, 2, 3].map(() => call(r, f, { waitMs: 100 })));
    expect(new Set(again.map((x) => x.threadId))).toEqual(new Set(results.map((x) => x.threadId)));
    expect(again.map((x) => x.invocations)).toEqual([2, 2, 2]);
    expect(r.instanceStats().conc).toEqual({ live: 3, started: 3 });
  });

  it('never shares an instance or module state between functions, and gives each its own environment', async () => {
    const reader = probe('reader');
    const mailer = probe('mailer', { access: { table: 'readwrite', ses: true } });
    const r = runtimeOf([reader, mailer]);
    const a = await call(r, reader);
    const b = await call(r, mailer);
    const a2 = await call(r, reader);
    expect(a.threadId).not.toBe(b.threadId);
    expect([a.invocations, b.invocations, a2.invocations]).toEqual([1, 1, 2]);
    expect([a.shared, b.shared, a2.shared]).toEqual([1, 1, 2]);
    expect([a.functionName, b.functionName]).toEqual(['reader', 'mailer']);
    expect([a.tableName, b.tableName]).toEqual(['the-table', 'the-table']);
    expect([a.senderEmail, b.senderEmail]).toEqual([null, 'x@example.no']);
    expect(Object.fromEntries(r.invocations)).toEqual({ reader: 2, mailer: 1 });
  });

  it('starts at most maxInstances per function; further invocations wait for one to come free', async () => {
    const f = probe('capped');
    const r = runtimeOf([f], { maxInstances: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => call(r, f, { waitMs: 150 })));
    expect(new Set(results.map((x) => x.threadId)).size).toBe(2);
    // The five ran one after another in the two instances: each instance's invocations are its 1st, 2nd, …
    // (how many each got depends on which came free first, which a loaded machine decides).
    const byInstance = new Map<number, number[]>();
    for (const x of results) byInstance.set(x.threadId, [...(byInstance.get(x.threadId) ?? []), x.invocations]);
    for (const counts of byInstance.values()) expect(counts.sort((a, b) => a - b)).toEqual(counts.map((_, i) => i + 1));
    expect(r.instanceStats().capped).toEqual({ live: 2, started: 2 });
  });

  it("times out as Lambda does: the invocation fails, its instance is terminated, the next one starts cold", async () => {
    const f = probe('slow', { timeoutSeconds: 1 });
    const r = runtimeOf([f]);
    const first = await call(r, f);
    expect(first.remainingAtStart).toBeGreaterThan(500);
    expect(first.remainingAtStart).toBeLessThanOrEqual(1000);
    const t0 = Date.now();
    const err = (await call(r, f, { waitMs: 5000 }).catch((e: unknown) => e)) as Error;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('Sandbox.Timedout');
    expect(err.message).toBe('Task timed out after 1.00 seconds');
    const next = await call(r, f);
    expect(next.threadId).not.toBe(first.threadId);
    expect(next.invocations).toBe(1);
    expect(r.instanceStats().slow).toEqual({ live: 1, started: 2 });
  });

  it('passes errors back with name, message, stack and fields, and keeps the instance', async () => {
    const f = probe('failing');
    const r = runtimeOf([f]);
    const err = (await call(r, f, { fail: 'no such seminar' }).catch((e: unknown) => e)) as Error & { status?: number };
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ProbeError');
    expect(err.message).toBe('no such seminar');
    expect(err.status).toBe(418);
    expect(err.stack).toContain('isolation-probe.ts');
    expect((await call(r, f)).invocations).toBe(2);
  });

  it('fails the invocation in flight when its instance crashes, and starts a new one for the next', async () => {
    const f = probe('crashing');
    const r = runtimeOf([f]);
    const before = await call(r, f);
    // The instance dies (an uncaught exception) while the invocation still waits.
    const first = await call(r, f, { crashAfterMs: 20, waitMs: 2000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(first).toBeInstanceOf(Error);
    expect(first!.message).toMatch(/probe crashed|exited/);
    const next = await call(r, f);
    expect(next.invocations).toBe(1);
    expect(next.threadId).not.toBe(before.threadId);
    expect(r.instanceStats().crashing).toEqual({ live: 1, started: 2 });
  });

  it('reclaims an instance idle for idleMs', async () => {
    const f = probe('idle');
    const r = runtimeOf([f], { idleMs: 200 });
    const a = await call(r, f);
    await new Promise((ok) => setTimeout(ok, 600));
    expect(r.instanceStats().idle.live).toBe(0);
    const b = await call(r, f);
    expect(b.threadId).not.toBe(a.threadId);
    expect(b.invocations).toBe(1);
  });

  it('shows the instances the local clock, and counts their AWS calls here', async () => {
    const f = probe('clocked');
    const r = runtimeOf([f]);
    setClockOffset(3_600_000);
    const a = await call(r, f, { countCall: 'Probe.Call' });
    expect(Math.abs(a.now - (Date.now() + 3_600_000))).toBeLessThan(1000);
    // A clock moved while an invocation runs reaches it too.
    const during = call(r, f, { waitMs: 400, countCall: 'Probe.Call' });
    await new Promise((ok) => setTimeout(ok, 100));
    setClockOffset(-86_400_000);
    const b = await during;
    expect(Math.abs(b.now - (Date.now() - 86_400_000))).toBeLessThan(1000);
    expect(awsCallCounts.get('Probe.Call')).toBe(2);
    awsCallCounts.delete('Probe.Call');
  });

  it("applies the chaos switches to the instances' DynamoDB client and counts what they throttled", async () => {
    const f = probe('chaotic', { timeoutSeconds: 30 });
    const r = runtimeOf([f]);
    const chaos = noChaos();
    r.useChaos(chaos);
    // Never reached: the throttling answers first; the SDK needs a region and credentials to sign.
    Object.assign(process.env, { AWS_REGION: 'eu-north-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    chaos.dynamoThrottleRate = 1;
    const before = chaosEffects.dynamoThrottled;
    const a = await call(r, f, { dynamo: true });
    expect(a.dynamo).toBe('retrying'); // the SDK retries the throttled call
    expect(chaosEffects.dynamoThrottled - before).toBeGreaterThanOrEqual(1);
    expect([...awsCallCounts.keys()].filter((k) => k.startsWith('DynamoDB.'))).not.toEqual([]);
  });

  it('with LOCAL_MEASURE_RETAINED_HEAP=1, tells the heap an instance keeps (after a full GC) from the garbage it leaves, and sees the heap at its fullest and the most it held live', async () => {
    const f = probe('retaining');
    process.env.LOCAL_MEASURE_RETAINED_HEAP = '1';
    try {
      const r = runtimeOf([f]);
      await call(r, f);
      const base = r.metrics().retaining.retainedHeapMb!;
      expect(base).toBeGreaterThan(0);
      const basePeak = r.metrics().retaining.peakHeapMb!;
      expect(r.metrics().retaining.peakLiveHeapMb!).toBeGreaterThanOrEqual(base);
      // 60 MB of garbage: the heap in use at the end may hold some of it, what is retained does not.
      await call(r, f, { garbageMb: 60 });
      const m = r.metrics().retaining;
      expect(m.retainedHeapMb!).toBeLessThan(base + 10);
      // Watched through its collections, the invocation's heap is seen at its fullest (51.9 MiB measured,
      // whichever moment it ends at); none of that was live.
      expect(m.peakHeapMb!).toBeGreaterThanOrEqual(basePeak + 20);
      expect(m.peakLiveHeapMb!).toBeLessThan(base + 10);
      // 40 MB kept in module state: retained.
      await call(r, f, { holdMb: 40 });
      expect(r.metrics().retaining.retainedHeapMb!).toBeGreaterThanOrEqual(base + 35);
      expect(r.metrics().retaining.peakLiveHeapMb!).toBeGreaterThanOrEqual(base + 35);
    } finally {
      delete process.env.LOCAL_MEASURE_RETAINED_HEAP;
    }
  });

  it("measures each invocation in its instance: wall time, the thread's CPU, the instance's heap; and the configured memory", async () => {
    const f = probe('metered', { memoryMb: 512 });
    const sender = probe('drainer', { drains: 'notices' });
    const r = runtimeOf([f, sender], {}, '1000');
    // A warm instance: what its cold start leaves to do (lazy compilation) is not in what follows.
    expect((await call(r, f)).memoryLimitInMB).toBe('512');
    let m = r.metrics().metered;
    const [warmCpu, warmDuration] = [m.cpuMs!, m.durationMs];
    await call(r, f, { waitMs: 300 });
    m = r.metrics().metered;
    expect(m.invocations).toBe(2);
    expect(m.durationMs - warmDuration).toBeGreaterThanOrEqual(295);
    const waitCpu = m.cpuMs! - warmCpu;
    const [idleCpu, idleDuration] = [m.cpuMs!, m.durationMs];
    await call(r, f, { busyMs: 500 });
    m = r.metrics().metered;
    expect(m.invocations).toBe(3);
    expect(m.maxDurationMs).toBeGreaterThanOrEqual(495);
    expect(m.durationMs - idleDuration).toBeGreaterThanOrEqual(495);
    // Waiting is not CPU (the thread idles in its event loop); computing is, up to the invocation's wall
    // time: on a busy machine the thread gets a core only part of the time, so no more is asserted.
    const busyCpu = m.cpuMs! - idleCpu;
    expect(waitCpu).toBeLessThan(50);
    expect(busyCpu).toBeGreaterThan(4 * waitCpu + 5);
    expect(busyCpu).toBeLessThanOrEqual(m.durationMs - idleDuration + 1);
    expect(m.memoryMb).toBe(512);
    const before = m.peakHeapMb!;
    expect(before).toBeGreaterThan(0);
    await call(r, f, { holdMb: 40 });
    m = r.metrics().metered;
    // The 40 MB held are live (what the earlier invocations left as garbage may be collected meanwhile).
    expect(m.peakHeapMb!).toBeGreaterThanOrEqual(40);
    expect(m.peakHeapMb!).toBeLessThan(before + 80);
    // The sender's memory follows the send rate (as the stack sets it), also in its Lambda context.
    expect((await call(r, sender)).memoryLimitInMB).toBe(String(senderMemoryMb(1000)));
    expect(r.metrics().drainer).toMatchObject({ invocations: 1, memoryMb: senderMemoryMb(1000) });
    // Each instance's init (thread start and module load) is counted once.
    expect(r.initMetrics().metered.count).toBe(1);
    expect(r.initMetrics().metered.durationMs).toBeGreaterThan(0);
    r.resetMetrics();
    expect(r.metrics().metered).toEqual({ invocations: 0, durationMs: 0, maxDurationMs: 0, cpuMs: 0, peakHeapMb: null, retainedHeapMb: null, peakLiveHeapMb: null, memoryMb: 512 });
    expect(r.initMetrics()).toEqual({});
    expect(r.invocations.size).toBe(0);
  });

  it('bills a timed-out invocation its whole timeout, and one whose instance crashed until it died', async () => {
    const f = probe('overrun', { timeoutSeconds: 1 });
    const r = runtimeOf([f]);
    await call(r, f, { waitMs: 5000 }).catch(() => undefined);
    let m = r.metrics().overrun;
    expect(m.invocations).toBe(1);
    expect(m.durationMs).toBe(1000);
    await call(r, f, { crash: true, waitMs: 50 }).catch(() => undefined);
    await new Promise((ok) => setTimeout(ok, 200));
    m = r.metrics().overrun;
    expect(m.invocations).toBe(2);
    expect(m.durationMs - 1000).toBeGreaterThanOrEqual(45);
  });
});
