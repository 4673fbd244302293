/** The pacing of a fan-out's sends (no table, no SES): the rate limiter, the slots for SendEmail calls in flight, the batcher. */
import { describe, expect, it } from 'vitest';
import { Batcher } from '../../shared/batcher.js';
import { RateLimiter, Slots } from '../../shared/email/rate.js';

describe('RateLimiter', () => {
  it('keeps to the rate: evenly spaced, never more than the rate in any second', async () => {
    const limiter = new RateLimiter(50);
    const times: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 61 }, () => limiter.take().then(() => times.push(Date.now()))));
    const span = times[times.length - 1] - t0;
    expect(span).toBeGreaterThanOrEqual(1150); // 60 intervals of 20 ms, the first at once
    expect(span).toBeLessThan(1600);
    for (let i = 0; i < times.length; i++) expect(times.filter((t) => t >= times[i] && t < times[i] + 1000).length).toBeLessThanOrEqual(50);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});

describe('Slots (SendEmail calls in flight)', () => {
  it('lets at most `size` in at once, the others in the order they came', async () => {
    const slots = new Slots(3);
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        await slots.acquire();
        order.push(i);
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
        slots.release();
      }),
    );
    expect(most).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => new Slots(0)).toThrow(RangeError);
  });
});

describe('Batcher', () => {
  it('batches by size and by time, and hands each caller its own answer or the batch error', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>(async (xs) => {
      batches.push(xs);
      if (xs.includes(-1)) throw new Error('bad batch');
      return xs.map((x) => x * 2);
    }, 3, 5);
    expect(await Promise.all([1, 2, 3, 4].map((x) => b.load(x)))).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3], [4]]);
    await expect(Promise.all([b.load(5), b.load(-1)])).rejects.toThrow('bad batch');
  });
});
