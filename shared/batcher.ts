/**
 * Coalesces single calls made close together into one batch call (the DataLoader pattern): the senders
 * of a fan-out each claim, check and record their own email, and the batcher turns 25 of those into one
 * DynamoDB request. A batch goes when it is full or `delayMs` after its first item, whichever is first:
 * a few milliseconds more per email, many fewer (and cheaper) requests.
 * On Lambda the same code simply makes smaller batches.
 */
export class Batcher<I, O> {
  private pending: Array<{ item: I; ok: (o: O) => void; fail: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch: number,
    private readonly delayMs = 10,
  ) {}

  load(item: I): Promise<O> {
    return new Promise<O>((ok, fail) => {
      this.pending.push({ item, ok, fail });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, this.maxBatch);
    if (this.pending.length) this.timer = setTimeout(() => this.flush(), this.delayMs);
    if (!batch.length) return;
    this.run(batch.map((b) => b.item)).then(
      (out) => batch.forEach((b, i) => b.ok(out[i])),
      (err) => batch.forEach((b) => b.fail(err)),
    );
  }
}
