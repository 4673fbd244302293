/**
 * Keeps sends at or below the SES account's send rate (per process): sends are spaced 1/rate apart
 * (after a stall a few may catch up), and no more than ⌊rate⌋ start in any window of one second, so
 * the achieved rate stays just under the configured one and never above it.
 */
import type { FunctionSpec } from '../spec.js';

const WINDOW_MARGIN_MS = 3;
/** Intervals a late limiter may make up for at once. */
const CATCH_UP = 5;

export class RateLimiter {
  private next = 0;
  /** Start times of the last ⌊rate⌋ sends, oldest first (a ring). */
  private readonly recent: number[] = [];
  private head = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly interval: number;
  private readonly perWindow: number;

  constructor(readonly perSecond: number, private readonly now: () => number = Date.now) {
    if (!(perSecond > 0)) throw new RangeError('the send rate must be positive');
    this.interval = 1000 / perSecond;
    this.perWindow = Math.max(1, Math.floor(perSecond));
  }

  /** Resolves when one send may go out. Calls are served in order. */
  take(): Promise<void> {
    const askedAt = this.now();
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now();
        const oldest = this.recent.length < this.perWindow ? -Infinity : this.recent[this.head];
        // The window gets a few milliseconds to spare: timers and clocks round to whole milliseconds.
        const wait = Math.max(this.next - t, oldest + 1000 + WINDOW_MARGIN_MS - t);
        if (wait <= 0) {
          // After a stall (a busy event loop) a few sends may catch up for time lost while they were
          // waiting, no more, and never for time nobody asked (idle); the window caps any second.
          this.next = Math.max(this.next, askedAt, t - CATCH_UP * this.interval) + this.interval;
          if (this.recent.length < this.perWindow) this.recent.push(t);
          else {
            this.recent[this.head] = t;
            this.head = (this.head + 1) % this.perWindow;
          }
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(wait)));
      }
    });
    this.queue = turn;
    return turn;
  }
}

/** At most `size` holders at once; the others wait, served in order. */
export class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    if (!(size >= 1)) throw new RangeError('there must be at least one slot');
    this.free = Math.floor(size);
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

/**
 * Slots are spaced as if a second were this much longer: a send that leaves a few milliseconds late
 * (timers, the event loop, the network) must not bring rate + 1 sends into one second with a later one
 * that leaves on time. Costs 1.5 % of the rate.
 */
export const SLOT_MARGIN_MS = 15;

/** How far ahead of now a sender may hold send slots of the shared budget (`SharedRateLimiter`). */
export const BUDGET_HORIZON_MS = 1000;

/**
 * The shared send budget's arithmetic (GCRA: one theoretical arrival time for the whole account). The
 * budget's next free slot is `tat` (epoch ms; anything before `now` counts as `now`: time nobody used is
 * not saved up); `count` slots taken from it are `start`, `start + interval`, … (`slotInterval`: 1/rate and
 * a margin), and the budget moves on
 * to `next`. A sender that would hold slots further than `horizon` ahead waits `waitMs` and asks again, so
 * no one hoards the budget while others have work.
 */
export function reserveSlots(tat: number | undefined, now: number, count: number, perSecond: number, horizon = BUDGET_HORIZON_MS): { start: number; next: number } | { waitMs: number } {
  const start = Math.max(tat ?? 0, now);
  if (start - now > horizon) return { waitMs: start - now - horizon };
  return { start, next: start + count * slotInterval(perSecond) };
}

/** Milliseconds between two slots of the shared budget. */
export const slotInterval = (perSecond: number) => (1000 + SLOT_MARGIN_MS) / perSecond;

/**
 * The send queue's sizing (shared/notices/send-queue.ts, the stack's event source of the sender), from the
 * account's send rate. What one sender instance can do is bounded by its CPU share: Lambda gives a function
 * memory/1769 MB of a vCPU, and an email costs `SENDER_CPU_MS_PER_EMAIL` of Node CPU (bench/cpu-per-email.ts
 * measures it: a warm instance 0.52–0.62 ms on the 2 × EPYC machine the project is built on, its first
 * emails up to 1 ms, with a queued message sent as one batch through the lean JSON client, of which
 * SendEmail alone is 0.15–0.25 ms; 1.9–2.4 ms before, per email through the SDK). The README's "Sending"
 * section has the arithmetic for the rates we deploy with.
 */
export const SENDER_CPU_MS_PER_EMAIL = 1;
/** Lambda's CPU: one full vCPU at 1,769 MB, in proportion below. */
export const LAMBDA_MB_PER_VCPU = 1769;
/** A sender is sized to use at most half its CPU share at its share of the rate: room for cold starts and slow calls. */
export const SENDER_CPU_UTILISATION = 0.5;
/** The most one sender instance is given of the rate (beyond it, more instances rather than more memory). */
export const SENDER_MAX_SHARE_PER_SECOND = 100;

/**
 * Recipients one queued notice names: about four seconds of one sender instance's share of the rate (the
 * instances share the budget), 1 to 100 (one BatchGetItem). Between one message and the next an instance
 * has nothing to send for a moment (its invocation ends, the next is received and read); the longer the
 * message, the less of the budget those moments cost (bench/budget.ts: 28 pauses of about 0.1 s in 85 s at
 * two seconds a message).
 */
export function recipientsPerNotice(perSecond: number): number {
  return Math.max(1, Math.min(100, Math.floor((4 * perSecond) / senderInstances(perSecond))));
}

/** Sender instances at once (the event source's maximum concurrency, at least 2 as SQS mappings require). */
export function senderInstances(perSecond: number): number {
  return Math.max(2, Math.ceil(perSecond / SENDER_MAX_SHARE_PER_SECOND));
}

/** The sender's memory (MB, a multiple of 64, at least 256): its CPU share carries its share of the rate at `SENDER_CPU_UTILISATION`. */
export function senderMemoryMb(perSecond: number, cpuMsPerEmail = SENDER_CPU_MS_PER_EMAIL): number {
  const share = perSecond / senderInstances(perSecond);
  const needed = (share * cpuMsPerEmail * LAMBDA_MB_PER_VCPU) / 1000 / SENDER_CPU_UTILISATION;
  return Math.max(256, Math.ceil(needed / 64) * 64);
}

/**
 * A function's configured memory (MB), as the stack sets it (infra/constructs/wired-function.ts) and the
 * local runtime reports it (its Lambda context, GET /_local/metrics): the wiring's `memoryMb` (256 by
 * default), but the sender's from the account's send rate (`senderMemoryMb`).
 */
export function memoryOf(spec: Pick<FunctionSpec, 'memoryMb' | 'drains'>, perSecond: number): number {
  return spec.drains === 'notices' ? senderMemoryMb(perSecond) : (spec.memoryMb ?? 256);
}
