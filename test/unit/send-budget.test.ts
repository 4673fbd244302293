/**
 * The shared send budget (shared/email/send-budget.ts): limiters in different Lambda instances (here:
 * separate SharedRateLimiter objects on one store) take their slots from one budget, so together they
 * stay at the rate; a single limiter uses all of it when it has work.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GATHER_MS, SharedRateLimiter, type BudgetStore } from '../../shared/email/send-budget.js';
import { reserveSlots, SLOT_MARGIN_MS } from '../../shared/email/rate.js';
import { busiestSecond } from '../support/timing.js';

/** The table's item, in memory: the same conditional write (an advance from a stale value is refused). */
function memoryStore(): BudgetStore & { writes: number; refused: number } {
  let tat: number | undefined;
  const store = {
    writes: 0,
    refused: 0,
    read: async () => ({ tatMs: tat }),
    advance: async (expected: number | undefined, next: number) => {
      await new Promise((r) => setTimeout(r, 1)); // a round trip, so that instances interleave
      if (tat !== expected) {
        store.refused++;
        return { ok: false as const, now: { tatMs: tat } };
      }
      store.writes++;
      tat = next;
      return { ok: true as const };
    },
  };
  return store;
}


/**
 * The limiters' time: fake timers, so that the slots are kept to the millisecond and none is reached late
 * (given up) because other test files load the machine; what a busy event loop costs is bench/budget.ts's.
 */
async function onFakeTime<T>(run: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ now: 1_800_000_000_000 });
  const done = run();
  await vi.advanceTimersByTimeAsync(10_000);
  return done;
}

describe('the shared send budget', () => {
  afterEach(() => void vi.useRealTimers());

  it('reserveSlots: from now (unused time is not saved up), spaced 1/rate with a margin, not further ahead than the horizon', () => {
    // 50/s: a slot every 20.3 ms (20 ms and the margin for a late send, 15 ms in 1,000).
    expect(reserveSlots(undefined, 10_000, 5, 50)).toEqual({ start: 10_000, next: 10_101.5 });
    expect(reserveSlots(9_000, 10_000, 1, 50)).toEqual({ start: 10_000, next: 10_020.3 });
    expect(reserveSlots(10_500, 10_000, 2, 50)).toEqual({ start: 10_500, next: 10_540.6 });
    expect(reserveSlots(11_300, 10_000, 2, 50)).toEqual({ waitMs: 300 });
  });

  it('two instances sending at once share the rate: never above it in any second, together using all of it', async () => {
    const store = memoryStore();
    const rate = 50;
    const times: number[] = [];
    let start = 0;
    await onFakeTime(async () => {
      const [a, b] = [new SharedRateLimiter(rate, store), new SharedRateLimiter(rate, store)];
      start = Date.now();
      const run = async (l: SharedRateLimiter, n: number) => {
        await Promise.all(Array.from({ length: n }, () => l.take().then(() => times.push(Date.now()))));
      };
      await Promise.all([run(a, 60), run(b, 60)]);
    });
    const seconds = (Math.max(...times) - start) / 1000;
    // 120 sends at 50/s: 2.4 s of slots (the first at once).
    expect(busiestSecond(times)).toBeLessThanOrEqual(rate);
    expect(seconds).toBeGreaterThan(2.3);
    expect(seconds).toBeLessThan(2.9);
    // A tenth of a second's worth per reservation (5 slots), so about 24 writes, some refused and retried.
    expect(store.writes).toBeGreaterThanOrEqual(24);
    expect(store.writes).toBeLessThan(60);
  });

  it('at a high rate, sends whose slots fall due within GATHER_MS of the first leave together, in order, and none in any second above the rate', async () => {
    const rate = 1000;
    const run = (gatherMs: number) =>
      onFakeTime(async () => {
        const l = new SharedRateLimiter(rate, memoryStore(), Date.now, gatherMs);
        const times: number[] = [];
        // 1,200 sends: over a second of slots, so that the rule is tested across whole seconds.
        await Promise.all(Array.from({ length: 1200 }, () => l.take().then(() => times.push(Date.now()))));
        return { times, missed: l.missed };
      });
    const each = await run(0);
    const gathered = await run(GATHER_MS);
    const wakeUps = (ts: number[]) => new Set(ts).size;
    // Woken at its own slot, nearly every send is a wake-up of its own; gathered, about one in GATHER_MS slots.
    expect(wakeUps(each.times)).toBeGreaterThan(900);
    expect(wakeUps(gathered.times)).toBeLessThan(wakeUps(each.times) / 3);
    for (const r of [each, gathered]) {
      expect(r.missed).toBe(0);
      expect(busiestSecond(r.times)).toBeLessThanOrEqual(rate);
      expect(r.times).toEqual([...r.times].sort((a, b) => a - b));
    }
    // Gathering holds a send back by at most GATHER_MS: the last leaves no later than that after it would have.
    expect(Math.max(...gathered.times) - Math.max(...each.times)).toBeLessThanOrEqual(GATHER_MS + 1);
    expect(() => new SharedRateLimiter(rate, memoryStore(), Date.now, SLOT_MARGIN_MS)).toThrow(RangeError);
  });

  it('one instance with work alone uses the whole rate', async () => {
    const store = memoryStore();
    const seconds = await onFakeTime(async () => {
      const l = new SharedRateLimiter(100, store);
      const start = Date.now();
      await Promise.all(Array.from({ length: 100 }, () => l.take()));
      return (Date.now() - start) / 1000;
    });
    expect(seconds).toBeGreaterThan(0.95);
    expect(seconds).toBeLessThan(1.3);
  });

  it('an instance whose event loop stalls (a Lambda held to its CPU share) reserves fewer slots after late ones, and the whole tenth again once on time', async () => {
    const store = memoryStore();
    const rate = 1000;
    const sizes: number[] = [];
    const advance = store.advance;
    store.advance = async (expected, next) => {
      const start = Math.max(expected ?? 0, Date.now());
      const out = await advance(expected, next);
      if (out.ok) sizes.push(Math.round((next - start) / ((1000 + 10) / rate)));
      return out;
    };
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const l = new SharedRateLimiter(rate, store);
    const done = Promise.all(Array.from({ length: 1000 }, () => l.take()));
    await vi.advanceTimersByTimeAsync(20);
    // Stalled for 200 ms: the clock moves on, no timer fires meanwhile.
    vi.setSystemTime(Date.now() + 200);
    await vi.advanceTimersByTimeAsync(3_000);
    await done;
    expect(sizes[0]).toBe(100);
    expect(l.missed).toBeGreaterThan(0);
    // The reservations after the late slots are halved (while late slots are still being reached) …
    const afterStall = sizes.findIndex((n, i) => i > 0 && n < 100);
    expect(sizes[afterStall]).toBe(50);
    const smallest = Math.min(...sizes);
    expect(smallest).toBeLessThanOrEqual(25);
    // … and, on time again, they grow back by a quarter each to the whole tenth.
    const low = sizes.indexOf(smallest);
    expect(sizes[low + 1]).toBe(smallest + Math.ceil(smallest / 4));
    expect(sizes.slice(low + 1)).toContain(100);
  });

  it('a single email takes one slot, not a tenth of a second of them', async () => {
    const store = memoryStore();
    const l = new SharedRateLimiter(50, store);
    await l.take();
    const { tatMs } = await store.read();
    expect(tatMs! - Date.now()).toBeLessThanOrEqual(21);
  });
});
