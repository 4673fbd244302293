/**
 * The deadline of the Lambda invocation, for retry loops that must not outlast it. The HTTP router runs
 * each request inside `withDeadline(context, …)`: the time the context says is left, less a reserve to
 * answer in. A loop waits with `pauseBeforeRetry(ms)`, which throws `OutOfTime` instead of waiting past
 * the deadline; the router answers it with 503 and a Retry-After (the client's next click starts a new
 * invocation with its whole timeout), where Lambda would otherwise cut the function off with a bare
 * 500/502 and no hint. Outside a deadline (event handlers, scripts) the pause is a plain wait.
 *
 * Scoped to the invocation's async work (AsyncLocalStorage), not global: the local cloud runs many
 * invocations at once in one process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/** Kept free at the end of the invocation to answer the 503 (and log) before Lambda stops it. */
export const ANSWER_RESERVE_MS = 1000;
/** What the 503's Retry-After suggests: contention passes quickly. */
export const RETRY_AFTER_SECONDS = 2;

export class OutOfTime extends Error {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(what: string) {
    super(`${what}: out of time for this invocation`);
    this.name = 'OutOfTime';
  }
}

const deadlines = new AsyncLocalStorage<number>();

/** Runs `fn` with the invocation's deadline (none when the context says nothing of the time left). */
export function withDeadline<T>(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, fn: () => T, nowMs = Date.now()): T {
  const left = context?.getRemainingTimeInMillis?.();
  if (left === undefined || !Number.isFinite(left)) return fn();
  return deadlines.run(nowMs + left - ANSWER_RESERVE_MS, fn);
}

/** Epoch milliseconds by which the current invocation must be answering, if it runs under one. */
export function currentDeadline(): number | undefined {
  return deadlines.getStore();
}

/** Waits `ms` before another attempt at `what`, or throws `OutOfTime` when that wait would end past the deadline. */
export async function pauseBeforeRetry(what: string, ms: number, sleep: (t: number) => Promise<unknown> = (t) => new Promise((r) => setTimeout(r, t))): Promise<void> {
  const deadline = currentDeadline();
  if (deadline !== undefined && Date.now() + ms >= deadline) throw new OutOfTime(what);
  await sleep(ms);
}
