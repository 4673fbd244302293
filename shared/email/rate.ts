/** A token bucket that keeps sends at or below the SES account's send rate (per process). */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number, private readonly burst = Math.max(1, Math.floor(perSecond))) {
    this.tokens = 1;
  }

  /** Resolves when one send may go out. Calls are served in order. */
  take(): Promise<void> {
    this.queue = this.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
      }
    });
    return this.queue;
  }
}
