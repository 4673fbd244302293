/**
 * One send budget for the whole account (issue 15): every sender, in every function and every concurrent
 * invocation, takes its SES send slots from the one item in the table (shared/store/send-budget.ts), so
 * the account's sends are spaced 1/rate apart at SES whoever makes them. Module state is per Lambda
 * instance and is only a cache of slots this instance holds: a few at a time (as many as it has sends
 * waiting, at most a tenth of a second's worth), never more than `BUDGET_HORIZON_MS` ahead of now.
 *
 * Cost: one conditional UpdateItem per reservation (a tenth of a second of sends at most, so ~10 writes a
 * second for a busy account, one per email for single emails); a reservation someone else beat comes back
 * with the budget as it is now (ReturnValuesOnConditionCheckFailure), so no extra read.
 */
import { advanceBudget, readBudget, type BudgetState } from '../store/send-budget.js';
import { reserveSlots, SLOT_MARGIN_MS, slotInterval } from './rate.js';

/**
 * How late a slot may still be used: the margin slots are spaced by. Sends that leave between their slot
 * and this much after it never bring more than the rate into one second.
 */
const LATE_MS = SLOT_MARGIN_MS;
/**
 * A send that has to wait for its slot waits this much longer, so that the slots falling due meanwhile (an
 * instance's next sends, at a high rate) go out in the same turn of the event loop: one wake-up and one
 * round of socket writes for several sends instead of one each. At 1,000/s through the budget that costs
 * 0.83–0.86 of the CPU per email of waking each send at its slot (bench/cpu-per-email.ts prints the pair).
 * Well within `LATE_MS`, so the sends still leave within it of their slots.
 */
export const GATHER_MS = 5;

export interface BudgetStore {
  read(): Promise<BudgetState>;
  advance(expected: number | undefined, next: number): Promise<{ ok: true } | { ok: false; now: BudgetState }>;
}

const tableStore: BudgetStore = { read: readBudget, advance: advanceBudget };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SharedRateLimiter {
  private slots: number[] = [];
  /** Slots given up because this instance reached them late (more than `LATE_MS`). */
  missed = 0;
  private waiting = 0;
  private queue: Promise<void> = Promise.resolve();
  /** The budget as this instance last left it (tried first; a stale value costs one refused write). */
  private known: BudgetState | undefined;
  private readonly maxChunk: number;
  /**
   * Slots per reservation now: `maxChunk` while this instance uses its slots on time; halved after a
   * reservation of which a slot was reached late (an event loop stalled, as a Lambda held to its CPU share
   * is for most of a period), grown by a quarter after each one used on time. A stalled instance then
   * holds, and loses, fewer of the account's slots, at the price of more reservations.
   */
  private chunk: number;
  private lateSinceReserve = false;

  constructor(
    readonly perSecond: number,
    private readonly store: BudgetStore = tableStore,
    private readonly now: () => number = Date.now,
    /** `GATHER_MS`; 0 wakes a send at its own slot (bench/cpu-per-email.ts compares the two). */
    private readonly gatherMs = GATHER_MS,
  ) {
    if (!(perSecond > 0)) throw new RangeError('the send rate must be positive');
    if (!(gatherMs >= 0 && gatherMs < LATE_MS)) throw new RangeError(`gathering must be at least 0 and less than ${LATE_MS} ms`);
    this.maxChunk = Math.max(1, Math.ceil(perSecond / 10));
    this.chunk = this.maxChunk;
  }

  /** Resolves at this instance's next send slot. Calls are served in order. */
  take(): Promise<void> {
    this.waiting++;
    const turn = this.queue.then(async () => {
      try {
        for (;;) {
          if (!this.slots.length) await this.refill(this.waiting);
          const slot = this.slots.shift()!;
          // More sends waiting than slots held: the next slots are reserved while these are waited for
          // (from half a reservation left), so the budget's time is not lost to the reservation's round trip.
          const more = this.waiting - 1 - this.slots.length;
          if (more > 0 && this.slots.length <= this.maxChunk / 2) this.refill(more).catch(() => undefined);
          const wait = slot - this.now();
          if (wait > 0) await sleep(wait + this.gatherMs);
          // A slot is used on time or not at all: a send that goes out late (a busy event loop) beside an
          // on-time one elsewhere would bring rate + 1 into one second. A missed slot is given up.
          if (this.now() - slot <= LATE_MS) return;
          this.missed++;
          this.lateSinceReserve = true;
        }
      } finally {
        this.waiting--;
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private reserving: Promise<void> | undefined;
  /** Reserves slots for `need` sends (one reservation at a time; a caller meanwhile waits for it). */
  private refill(need: number): Promise<void> {
    return (this.reserving ??= this.reserve(need).finally(() => (this.reserving = undefined)));
  }

  /** As many slots as sends are waiting here (at most a tenth of a second's worth, fewer after late ones: `chunk`), in one conditional write. */
  private async reserve(need: number): Promise<void> {
    this.chunk = this.lateSinceReserve ? Math.max(1, Math.floor(this.chunk / 2)) : Math.min(this.maxChunk, this.chunk + Math.ceil(this.chunk / 4));
    this.lateSinceReserve = false;
    const count = Math.min(this.chunk, Math.max(1, need));
    let state = this.known ?? (await this.store.read());
    for (;;) {
      const r = reserveSlots(state.tatMs, this.now(), count, this.perSecond);
      if ('waitMs' in r) {
        await sleep(r.waitMs);
        state = await this.store.read();
        continue;
      }
      const out = await this.store.advance(state.tatMs, r.next);
      if (out.ok) {
        this.known = { tatMs: r.next };
        this.slots.push(...Array.from({ length: count }, (_, i) => r.start + i * slotInterval(this.perSecond)));
        return;
      }
      state = out.now;
    }
  }
}
