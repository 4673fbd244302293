/**
 * What Lambda's SQS event source mapping does, for the local SQS (infra/local/sqs.ts): long-polls the
 * queue, hands the target batches of up to `batchSize` messages as the `SQSEvent` Lambda builds, and
 * deletes what the target handled. The messages of a batch stay invisible for the queue's visibility
 * timeout while the target runs (Lambda does not change it). When the target returns, every message of
 * the batch is deleted, except, with `reportBatchItemFailures` (FunctionResponseTypes
 * ReportBatchItemFailures), those its `batchItemFailures` names; a response that names an id not in the
 * batch (or an empty one) fails the whole batch, as on Lambda. When the target throws, nothing is
 * deleted: the batch becomes visible again after the visibility timeout, its receive count goes up, and
 * past the queue's `maxReceiveCount` SQS moves it to the dead-letter queue. At most `maxConcurrency`
 * batches run at once (ScalingConfig.MaximumConcurrency); `maxBatchingWindowSeconds` lets a batch wait
 * that long to fill (MaximumBatchingWindowInSeconds). Its requests (each receive, also an empty long
 * poll, and each delete) are counted on the LocalSqs (`pollerRequests`): AWS bills a mapping's requests.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { md5OfMessageAttributes, type IdleSource, type LocalQueue, type LocalSqs, type StoredMessage } from './sqs.js';

export type SqsTarget = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface SqsPollerOptions {
  sqs: LocalSqs;
  /** The queue's name, URL or ARN. */
  queue: string;
  target: SqsTarget;
  region: string;
  /** BatchSize: 1–10 (a standard queue's receive maximum). Default 10. */
  batchSize?: number;
  /** MaximumBatchingWindowInSeconds: 0–300. Default 0. */
  maxBatchingWindowSeconds?: number;
  /** ScalingConfig.MaximumConcurrency: 2–1000. Default 2. */
  maxConcurrency?: number;
  /** FunctionResponseTypes: ['ReportBatchItemFailures']. */
  reportBatchItemFailures?: boolean;
  log?: (line: string) => void;
}

/** The SQSEvent record Lambda builds from a received message. */
export function sqsRecord(m: StoredMessage, queueArn: string, region: string): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, a] of Object.entries(m.attributes)) {
    messageAttributes[name] = {
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { binaryValue: a.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: a.DataType,
    };
  }
  return {
    messageId: m.id,
    receiptHandle: m.receipt ?? '',
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentTimestamp),
      SenderId: m.senderId,
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
    },
    messageAttributes,
    md5OfBody: m.md5OfBody,
    ...(Object.keys(m.attributes).length ? { md5OfMessageAttributes: md5OfMessageAttributes(m.attributes) } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

export class SqsPoller implements IdleSource {
  readonly stats = { batches: 0, messages: 0, deleted: 0, failedBatches: 0, failedItems: 0 };
  private running = 0;
  private receiver: Promise<void> = Promise.resolve();
  private readonly runs = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  private stopped = true;
  private abort = new AbortController();
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | undefined;
  private detach: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly windowMs: number;
  private readonly concurrency: number;

  constructor(private readonly o: SqsPollerOptions) {
    this.batchSize = o.batchSize ?? 10;
    this.windowMs = (o.maxBatchingWindowSeconds ?? 0) * 1000;
    this.concurrency = o.maxConcurrency ?? 2;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10) throw new Error('batchSize must be 1 to 10 for a standard queue');
    if (!(this.windowMs >= 0 && this.windowMs <= 300_000)) throw new Error('maxBatchingWindowSeconds must be 0 to 300');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 2 || this.concurrency > 1000) throw new Error('maxConcurrency must be 2 to 1000');
    if (!o.sqs.queue(o.queue)) throw new Error(`No queue ${o.queue}`);
  }

  private get q(): LocalQueue {
    const q = this.o.sqs.queue(this.o.queue);
    if (!q) throw new Error(`No queue ${this.o.queue}`);
    return q;
  }

  /** Starts polling. */
  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.abort = new AbortController();
    this.unsubscribe = this.o.sqs.onChange((q) => {
      if (q === this.o.sqs.queue(this.o.queue)) this.checkIdle();
    });
    this.detach = this.o.sqs.attach(this);
    this.receiver = this.loop();
    return this;
  }

  /** Stops polling; resolves when the batches that run have ended (what they did not delete stays in the queue). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    const freed = this.slotFreed;
    this.slotFreed = undefined;
    freed?.();
    await this.receiver;
    await Promise.all([...this.runs]);
    this.unsubscribe?.();
    this.detach?.();
    this.checkIdle();
  }

  /** Batches running now. */
  get inFlight(): number {
    return this.running;
  }

  /** No message in the queue and no batch running, now. */
  get idleNow(): boolean {
    return this.isIdle();
  }

  private isIdle(): boolean {
    const q = this.o.sqs.queue(this.o.queue);
    return this.running === 0 && (!q || q.messages.size === 0);
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters.splice(0);
    waiters.forEach((w) => w());
  }

  /**
   * Resolves when the queue holds no message (visible, in flight or delayed) and no batch runs. A message
   * that keeps failing only leaves through the dead-letter queue, so with a redrive policy this waits for
   * it to get there.
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /**
   * One receiver: whenever fewer than `maxConcurrency` batches run, it collects the next batch and starts
   * the target on it (so a batch that is filling in its window is not raced by another receive).
   */
  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!this.stopped) {
      if (this.running >= this.concurrency) {
        await new Promise<void>((r) => (this.slotFreed = r));
        continue;
      }
      let batch: StoredMessage[];
      try {
        batch = await this.collect(signal);
      } catch (err) {
        this.o.log?.(`[sqs-poller] ${this.o.queue}: receive failed: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (!batch.length) continue;
      this.running++;
      const run = this.invoke(batch)
        .catch((err: unknown) => this.o.log?.(`[sqs-poller] ${this.o.queue}: ${(err as Error).message}`))
        .finally(() => {
          this.running--;
          this.runs.delete(run);
          const freed = this.slotFreed;
          this.slotFreed = undefined;
          freed?.();
          this.checkIdle();
        });
      this.runs.add(run);
    }
  }

  /** A long poll for the first messages, then, within the batching window, more until the batch is full. */
  private async collect(signal: AbortSignal): Promise<StoredMessage[]> {
    const q = this.q;
    this.o.sqs.countPollerRequest(q, 'ReceiveMessage');
    const batch = await this.o.sqs.receive(q, { max: this.batchSize, waitSeconds: 20, signal });
    if (!batch.length || this.windowMs === 0) return batch;
    const until = Date.now() + this.windowMs;
    while (batch.length < this.batchSize && !signal.aborted) {
      const left = until - Date.now();
      if (left <= 0) break;
      this.o.sqs.countPollerRequest(q, 'ReceiveMessage');
      const more = await this.o.sqs.receive(q, { max: this.batchSize - batch.length, waitSeconds: left / 1000, signal });
      batch.push(...more);
    }
    return batch;
  }

  private async invoke(batch: StoredMessage[]): Promise<void> {
    const q = this.q;
    const records = batch.map((m) => sqsRecord(m, q.arn, this.o.region));
    this.stats.batches++;
    this.stats.messages += batch.length;
    let response: SQSBatchResponse | void;
    try {
      response = await this.o.target({ Records: records });
    } catch (err) {
      this.stats.failedBatches++;
      this.o.log?.(`[sqs-poller] ${q.name}: batch of ${batch.length} failed (${(err as Error).message}); it becomes visible again after ${q.attributes.VisibilityTimeout} s`);
      return;
    }
    let keep = new Set<string>();
    if (this.o.reportBatchItemFailures && response && Array.isArray(response.batchItemFailures)) {
      const ids = new Set(records.map((r) => r.messageId));
      const failures = response.batchItemFailures.map((f) => f?.itemIdentifier);
      if (failures.some((id) => typeof id !== 'string' || !ids.has(id))) {
        this.stats.failedBatches++;
        this.o.log?.(`[sqs-poller] ${q.name}: batchItemFailures names an id not in the batch: the whole batch failed`);
        return;
      }
      keep = new Set(failures as string[]);
      this.stats.failedItems += keep.size;
    }
    const done = records.filter((r) => !keep.has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      const slice = done.slice(i, i + 10);
      this.o.sqs.countPollerRequest(q, 'DeleteMessageBatch');
      const out = this.o.sqs.deleteBatch(q, slice.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })));
      this.stats.deleted += out.Successful.length;
    }
  }
}
