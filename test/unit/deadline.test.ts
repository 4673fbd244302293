/** The invocation deadline that bounds retry loops (shared/aws/deadline.ts). */
import { describe, expect, it } from 'vitest';
import { ANSWER_RESERVE_MS, currentDeadline, OutOfTime, pauseBeforeRetry, withDeadline } from '../../shared/aws/deadline.js';

const noWait = async () => undefined;

describe('invocation deadline', () => {
  it('is the time the context says is left, less the reserve to answer in; none without a context', () => {
    expect(withDeadline({ getRemainingTimeInMillis: () => 10_000 }, () => currentDeadline(), 1_000)).toBe(1_000 + 10_000 - ANSWER_RESERVE_MS);
    expect(withDeadline(undefined, () => currentDeadline())).toBeUndefined();
    expect(currentDeadline()).toBeUndefined();
  });

  it('a pause that would end past the deadline throws OutOfTime (Retry-After 2 s) instead of waiting', async () => {
    const waited: number[] = [];
    const sleep = async (ms: number) => void waited.push(ms);
    await withDeadline({ getRemainingTimeInMillis: () => ANSWER_RESERVE_MS + 400 }, async () => {
      await pauseBeforeRetry('the seat transaction', 100, sleep);
      const err = await pauseBeforeRetry('the seat transaction', 500, sleep).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutOfTime);
      expect(err).toMatchObject({ retryAfterSeconds: 2, message: 'the seat transaction: out of time for this invocation' });
    });
    expect(waited).toEqual([100]);
    // Outside an invocation's deadline (event handlers, scripts) a pause is a plain wait.
    await expect(pauseBeforeRetry('x', 60_000, noWait)).resolves.toBeUndefined();
  });

  it('belongs to its own invocation when several run at once in one process (the local cloud)', async () => {
    const seen = await Promise.all(
      [5_000, 20_000].map((left) =>
        withDeadline({ getRemainingTimeInMillis: () => left }, async () => {
          await new Promise((r) => setTimeout(r, 5));
          return currentDeadline()! - Date.now();
        }),
      ),
    );
    expect(seen[0]).toBeLessThan(5_000);
    expect(seen[1]).toBeGreaterThan(15_000);
  });
});
