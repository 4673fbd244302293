/**
 * The local cloud's SQS: standard queues behind the AWS JSON 1.0 protocol (`X-Amz-Target:
 * AmazonSQS.<Action>`, `application/x-amz-json-1.0`), as the current @aws-sdk/client-sqs speaks it.
 * Messages carry the MD5s the SDK checks (of the body; of the message attributes, computed as SQS does),
 * become visible again after their visibility timeout, count their receives, and go to the dead-letter
 * queue of the queue's `RedrivePolicy` on the receive after their `maxReceiveCount`-th. Errors come in the
 * JSON protocol's shape: `__type` (`com.amazonaws.sqs#QueueDoesNotExist`) plus the query-compatible
 * `x-amzn-query-error` header (`AWS.SimpleQueueService.NonExistentQueue;Sender`), which the SDK maps to
 * its exception classes. Not emulated: FIFO queues, KMS, policies and tags, message system attributes
 * (`AWSTraceHeader`), list-typed message attributes, redrive allow policies and message move tasks.
 *
 * `LocalSqs` also has a direct API (`receive`, `deleteBatch`, `onChange`) for the event-source poller
 * (infra/local/sqs-poller.ts), which does what Lambda's SQS event source mapping does.
 *
 * With a `journal` file (the cloud with persistent data), an accepted message survives a crash of the
 * process, as SQS is durable: see `LocalSqsOptions.journal` and `recover()`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Journal } from './journal.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { nowMs } from '../../shared/clock.js';
import { readBody } from './http.js';

export const SQS_JSON = 'application/x-amz-json-1.0';
/** SQS's default (and, here, largest) message size: body and attributes together, and a batch's total. */
export const MAX_MESSAGE_BYTES = 262_144;
const MAX_BATCH = 10;
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
const PURGE_INTERVAL_MS = 60_000;

/** A message attribute as the JSON protocol carries it (BinaryValue: base64). */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttributeValue>;
  senderId: string;
  /** Epoch ms on the cloud's clock (`SentTimestamp`). */
  sentTimestamp: number;
  /** Epoch ms on the cloud's clock of the first receive (`ApproximateFirstReceiveTimestamp`). */
  firstReceiveTimestamp?: number;
  receiveCount: number;
  /** Wall-clock ms (Date.now) from which the message can be received. */
  visibleAt: number;
  /** Wall-clock ms after which the queue drops it (MessageRetentionPeriod). */
  expiresAt: number;
  /** The handle of the latest receive; older handles delete nothing. */
  receipt?: string;
  /** Received at least once and not yet visible again (in flight), as opposed to delayed. */
  inFlight: boolean;
}

/** A received message, as ReceiveMessage answers it (system attributes as strings). */
export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MD5OfMessageAttributes?: string;
}

interface QueueAttributes {
  VisibilityTimeout: number;
  MessageRetentionPeriod: number;
  MaximumMessageSize: number;
  DelaySeconds: number;
  ReceiveMessageWaitTimeSeconds: number;
  RedrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

/** What `LocalSqs.idle()` waits for (an SqsPoller). */
export interface IdleSource {
  readonly idleNow: boolean;
  idle(): Promise<void>;
}

export class LocalQueue {
  readonly messages = new Map<string, StoredMessage>();
  /** The messages that were invisible when last looked at (in flight or delayed): what the wake-up timer looks through. */
  readonly hidden = new Set<StoredMessage>();
  lastExpiryCheck = 0;
  readonly createdTimestamp = Math.floor(nowMs() / 1000);
  lastModifiedTimestamp = this.createdTimestamp;
  lastPurge = 0;
  /** Receivers waiting (long polling), woken on any change. */
  readonly waiters = new Set<() => void>();
  timer: NodeJS.Timeout | undefined;
  timerAt = 0;

  constructor(
    readonly name: string,
    readonly arn: string,
    readonly url: string,
    public attributes: QueueAttributes,
  ) {}

  /** Visible, in flight (received, not yet visible again) and delayed (sent with a delay, never received). */
  counts(now = Date.now()): { visible: number; notVisible: number; delayed: number } {
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (m.visibleAt <= now) visible++;
      else if (m.inFlight) notVisible++;
      else delayed++;
    }
    return { visible, notVisible, delayed };
  }
}

/** An SQS error: the query-compatible code (`x-amzn-query-error`), the JSON `__type`'s shape name, and the status. */
export class SqsError extends Error {
  constructor(
    readonly queryCode: string,
    readonly shape: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const noQueue = () => new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'The specified queue does not exist.');
const invalidParameter = (message: string) => new SqsError('InvalidParameterValue', 'InvalidParameterValue', message);
const invalidReceipt = (handle: string) => new SqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);

export interface LocalSqsOptions {
  /** The base of the queue URLs, where the endpoint listens (`http://localhost:<awsPort>`); by default the request's Host. */
  baseUrl?: string;
  account: string;
  region: string;
  /** The `SenderId` of messages (on AWS the sender's principal id); by default the account. */
  senderId?: string;
  /**
   * An append-only file (NDJSON) where every accepted message is written (writeSync) before SendMessage
   * answers, with its receives and its end (deleted, moved to the dead-letter queue, expired, purged,
   * queue deleted); emptied whenever every queue is empty. After a crash, `recover()` puts back every
   * message that had not ended. Without it, messages live in memory only.
   */
  journal?: string;
}

/**
 * One journal line. `s`: a message accepted on queue `s` (id `i`, body `b`, attributes `a`, SentTimestamp
 * `t`, DelaySeconds `d`, wall-clock ms `v` it is first visible at and `x` it expires at; `c` receives and
 * `f` first receive when it carries them on); with `from`, it was moved from that queue (a dead-letter
 * move: the send on the DLQ and the end on the source in one line, so a crash leaves it in one place).
 * `r`: messages `m` of queue `r` received at `t`. `e`: message `i` of queue `e` ended. `p`: every message
 * of queue `p` ended (purged, or the queue deleted).
 */
type JournalSend = {
  s: string;
  i: string;
  b: string;
  a?: Record<string, MessageAttributeValue>;
  t: number;
  d?: number;
  v: number;
  x: number;
  c?: number;
  f?: number;
  from?: string;
};
type JournalLine = JournalSend | { r: string; m: string[]; t: number } | { e: string; i: string } | { p: string };

/** Compacts a journal at this many lines beyond twice the messages it keeps (ended ones make the rest). */
const JOURNAL_SLACK = 256;

/** Hex MD5 of a string's UTF-8 bytes. */
export function md5Hex(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

/**
 * MD5OfMessageAttributes as SQS computes it: for each attribute, by name: the name, the data type (each
 * as a 4-byte big-endian length and the UTF-8 bytes), a transport byte (1 string, 2 binary) and the value
 * (length and bytes).
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const hash = createHash('md5');
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    hash.update(len);
    hash.update(b);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name];
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(a.DataType, 'utf8'));
    if (a.DataType.startsWith('Binary')) {
      hash.update(Buffer.from([2]));
      field(Buffer.from(a.BinaryValue ?? '', 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(a.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** The size SQS counts for a message: the body, and each attribute's name, data type and value. */
function messageSize(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType, 'utf8');
    size += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').length : Buffer.byteLength(a.StringValue ?? '', 'utf8');
  }
  return size;
}

/** Characters SQS allows in a body or string attribute: #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF. */
// eslint-disable-next-line no-control-regex
const INVALID_CHARACTERS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const SYSTEM_ATTRIBUTES = ['ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'SentTimestamp', 'SenderId'] as const;
const QUEUE_ATTRIBUTE_NAMES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
] as const;

function intIn(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidParameter(`Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`);
  }
  return n;
}

function str(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value) throw new SqsError('MissingParameter', 'MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

export class LocalSqs {
  private readonly queues = new Map<string, LocalQueue>();
  private readonly listeners = new Set<(queue: LocalQueue) => void>();
  private readonly pollers = new Set<IdleSource>();
  readonly stats = { sent: 0, received: 0, deleted: 0, movedToDeadLetter: 0, requests: 0, recovered: 0, droppedOnRecovery: 0 };
  /**
   * Since the last `resetBilling()` (GET /_local/metrics): the requests the event source pollers made per
   * queue and action (ReceiveMessage, also those that found nothing, and DeleteMessageBatch: AWS bills the
   * mapping's requests as anyone's), and the messages sent to each queue however they came (a queue that
   * a bus rule targets gets one SendMessage per event from EventBridge, which no function's client counts).
   */
  readonly pollerRequests = new Map<string, Map<string, number>>();
  readonly messagesSent = new Map<string, number>();
  private readonly journal: Journal<JournalLine> | undefined;

  constructor(private readonly opts: LocalSqsOptions) {
    this.journal = opts.journal ? new Journal<JournalLine>(opts.journal) : undefined;
  }

  private static sendLine(q: LocalQueue, m: StoredMessage, delay?: number): JournalSend {
    const line: JournalSend = { s: q.name, i: m.id, b: m.body, t: m.sentTimestamp, v: m.visibleAt, x: m.expiresAt };
    if (Object.keys(m.attributes).length) line.a = m.attributes;
    if (delay) line.d = delay;
    if (m.receiveCount) line.c = m.receiveCount;
    if (m.firstReceiveTimestamp !== undefined) line.f = m.firstReceiveTimestamp;
    return line;
  }

  /** Messages in every queue. */
  private get stored(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.messages.size;
    return n;
  }

  /**
   * After messages ended (or were received): when every queue is empty, the journal has nothing to
   * recover and is emptied. Messages carry addresses (the bus's events as bodies): like the bus journal,
   * it holds a message only while a queue does, so an erased address does not live on in it. While some
   * queue holds messages (a dead-letter queue keeps them 14 days), it is rewritten with just those once
   * the ended ones make up most of it.
   */
  private journalSettled(): void {
    if (!this.journal?.lines) return;
    const stored = this.stored;
    if (stored === 0) this.journal.empty();
    else if (this.journal.lines > 2 * stored + JOURNAL_SLACK) this.rewriteJournal();
  }

  /** Replaces the journal with one send line per stored message (atomically: a temporary file renamed over it). */
  private rewriteJournal(): void {
    if (!this.journal) return;
    const lines: JournalLine[] = [];
    for (const q of this.queues.values()) for (const m of q.messages.values()) lines.push(LocalSqs.sendLine(q, m));
    this.journal.replace(lines);
  }

  /**
   * Opens the journal and puts back every message it holds that had not ended when the process stopped
   * (call once, after the queues are created), then rewrites it compactly. A message that was in flight
   * is visible at once, as if its visibility timeout had run out; it keeps its receive count (so one that
   * keeps failing still reaches its dead-letter queue) and its first-receive time. One never received
   * stays delayed until its DelaySeconds end; one past its retention period is dropped, as is one of a
   * queue that no longer exists (counted in `stats.droppedOnRecovery`). Returns how many came back.
   */
  recover(): number {
    if (!this.journal) return 0;
    const pending = new Map<string, Map<string, JournalSend>>();
    const of = (queue: string) => {
      let m = pending.get(queue);
      if (!m) pending.set(queue, (m = new Map()));
      return m;
    };
    for (const line of this.journal.read()) {
      if ('s' in line) {
        if (line.from !== undefined) pending.get(line.from)?.delete(line.i);
        of(line.s).set(line.i, line);
      } else if ('r' in line) {
        const queue = pending.get(line.r);
        for (const id of line.m) {
          const m = queue?.get(id);
          if (!m) continue;
          m.c = (m.c ?? 0) + 1;
          m.f ??= line.t;
        }
      } else if ('e' in line) {
        pending.get(line.e)?.delete(line.i);
      } else if ('p' in line) {
        pending.delete(line.p);
      }
    }
    const now = Date.now();
    let recovered = 0;
    let dropped = 0;
    for (const [name, messages] of pending) {
      const q = this.queues.get(name);
      if (!q) {
        dropped += messages.size;
        continue;
      }
      // The recovered messages are older than any sent since start: they go first.
      const since = [...q.messages];
      const sinceIds = new Set(q.messages.keys());
      q.messages.clear();
      for (const j of messages.values()) {
        if (j.x <= now || sinceIds.has(j.i)) continue;
        const m: StoredMessage = {
          id: j.i,
          body: j.b,
          md5OfBody: md5Hex(j.b),
          attributes: j.a ?? {},
          senderId: this.opts.senderId ?? this.opts.account,
          sentTimestamp: j.t,
          firstReceiveTimestamp: j.f,
          receiveCount: j.c ?? 0,
          visibleAt: j.c ? now : Math.max(now, j.v),
          expiresAt: j.x,
          inFlight: false,
        };
        q.messages.set(m.id, m);
        if (m.visibleAt > now) q.hidden.add(m);
        recovered++;
      }
      for (const [id, m] of since) q.messages.set(id, m);
    }
    this.stats.recovered += recovered;
    this.stats.droppedOnRecovery += dropped;
    this.rewriteJournal();
    for (const q of this.queues.values()) if (q.messages.size) this.changed(q);
    return recovered;
  }

  /** One request an event source poller made (infra/local/sqs-poller.ts), for `pollerRequests`. */
  countPollerRequest(q: LocalQueue, action: 'ReceiveMessage' | 'DeleteMessageBatch' | 'ChangeMessageVisibility'): void {
    let byAction = this.pollerRequests.get(q.name);
    if (!byAction) this.pollerRequests.set(q.name, (byAction = new Map()));
    byAction.set(action, (byAction.get(action) ?? 0) + 1);
  }

  /** Starts `pollerRequests` and `messagesSent` over. */
  resetBilling(): void {
    this.pollerRequests.clear();
    this.messagesSent.clear();
  }

  arnOf(name: string): string {
    return `arn:aws:sqs:${this.opts.region}:${this.opts.account}:${name}`;
  }

  /** Called with the queue after anything changed in it (sends, receives, deletes, visibility). */
  onChange(listener: (queue: LocalQueue) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An event-source poller (infra/local/sqs-poller.ts) registers itself while it runs, for `idle()`. */
  attach(poller: IdleSource): () => void {
    this.pollers.add(poller);
    return () => this.pollers.delete(poller);
  }

  /**
   * Resolves when every running poller is idle at once: its queue holds no message and no batch runs
   * (a batch that sends to another polled queue keeps that one busy in turn).
   */
  async idle(): Promise<void> {
    for (;;) {
      const pollers = [...this.pollers];
      if (pollers.every((p) => p.idleNow)) return;
      await Promise.all(pollers.map((p) => p.idle()));
    }
  }

  /** Every running poller is idle right now. */
  get idleNow(): boolean {
    return [...this.pollers].every((p) => p.idleNow);
  }

  list(): LocalQueue[] {
    return [...this.queues.values()];
  }

  /** The queue of a name, URL (any host: the path `/<account>/<name>` counts) or ARN. */
  queue(ref: string): LocalQueue | undefined {
    if (ref.startsWith('arn:')) {
      const parts = ref.split(':');
      return parts[3] === this.opts.region && parts[4] === this.opts.account ? this.queues.get(parts[5]) : undefined;
    }
    if (/^https?:\/\//.test(ref)) {
      let path: string[];
      try {
        path = new URL(ref).pathname.split('/').filter(Boolean);
      } catch {
        return undefined;
      }
      return path.length === 2 && path[0] === this.opts.account ? this.queues.get(path[1]) : undefined;
    }
    return this.queues.get(ref);
  }

  private need(ref: unknown): LocalQueue {
    const q = this.queue(str(ref, 'QueueUrl'));
    if (!q) throw noQueue();
    return q;
  }

  private changed(q: LocalQueue): void {
    const waiters = [...q.waiters];
    q.waiters.clear();
    for (const w of waiters) w();
    for (const l of this.listeners) l(q);
    this.arm(q);
  }

  /** While someone waits on the queue (a long poll, the poller's idle), wakes them when the next message becomes visible. */
  private arm(q: LocalQueue): void {
    const now = Date.now();
    let next = Infinity;
    for (const m of q.hidden) {
      if (m.visibleAt <= now) q.hidden.delete(m);
      else if (m.visibleAt < next) next = m.visibleAt;
    }
    if (next === Infinity || (q.waiters.size === 0 && this.listeners.size === 0)) {
      if (q.timer) clearTimeout(q.timer);
      q.timer = undefined;
      return;
    }
    if (q.timer && q.timerAt === next) return;
    if (q.timer) clearTimeout(q.timer);
    q.timerAt = next;
    q.timer = setTimeout(() => {
      q.timer = undefined;
      this.changed(q);
    }, next - now + 1);
    q.timer.unref();
  }

  /** Stops the timers and closes the journal (the cloud's stop). */
  close(): void {
    this.journal?.close();
    for (const q of this.queues.values()) {
      if (q.timer) clearTimeout(q.timer);
      q.timer = undefined;
      const waiters = [...q.waiters];
      q.waiters.clear();
      waiters.forEach((w) => w());
    }
  }

  private parseAttributes(input: Record<string, unknown>, base: QueueAttributes): QueueAttributes {
    const out: QueueAttributes = { ...base };
    for (const [name, raw] of Object.entries(input)) {
      const value = String(raw);
      switch (name) {
        case 'VisibilityTimeout':
          out.VisibilityTimeout = intIn(value, name, 0, MAX_VISIBILITY_SECONDS, 30);
          break;
        case 'MessageRetentionPeriod':
          out.MessageRetentionPeriod = intIn(value, name, 60, 1_209_600, 345_600);
          break;
        case 'MaximumMessageSize':
          out.MaximumMessageSize = intIn(value, name, 1024, MAX_MESSAGE_BYTES, MAX_MESSAGE_BYTES);
          break;
        case 'DelaySeconds':
          out.DelaySeconds = intIn(value, name, 0, 900, 0);
          break;
        case 'ReceiveMessageWaitTimeSeconds':
          out.ReceiveMessageWaitTimeSeconds = intIn(value, name, 0, MAX_WAIT_SECONDS, 0);
          break;
        case 'RedrivePolicy': {
          if (value === '') {
            delete out.RedrivePolicy;
            break;
          }
          let p: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
          try {
            p = JSON.parse(value) as typeof p;
          } catch {
            throw invalidParameter(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Invalid value for the parameter RedrivePolicy.`);
          }
          const max = Number(p.maxReceiveCount);
          if (typeof p.deadLetterTargetArn !== 'string' || !Number.isInteger(max) || max < 1 || max > 1000) {
            throw invalidParameter(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy needs deadLetterTargetArn and a maxReceiveCount from 1 to 1000.`);
          }
          if (!this.queue(p.deadLetterTargetArn)) throw invalidParameter(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
          out.RedrivePolicy = { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: max };
          break;
        }
        case 'FifoQueue':
        case 'ContentBasedDeduplication':
        case 'DeduplicationScope':
        case 'FifoThroughputLimit':
          throw new SqsError('AWS.SimpleQueueService.UnsupportedOperation', 'UnsupportedOperation', 'FIFO queues are not emulated by the local cloud.');
        case 'Policy':
        case 'KmsMasterKeyId':
        case 'KmsDataKeyReusePeriodSeconds':
        case 'SqsManagedSseEnabled':
        case 'RedriveAllowPolicy':
          break; // accepted and not enforced (no IAM or encryption locally)
        default:
          throw new SqsError('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
    }
    return out;
  }

  createQueue(name: string, attributes: Record<string, unknown> = {}, host?: string): LocalQueue {
    if (name.endsWith('.fifo')) throw new SqsError('AWS.SimpleQueueService.UnsupportedOperation', 'UnsupportedOperation', 'FIFO queues are not emulated by the local cloud.');
    if (!QUEUE_NAME.test(name)) throw invalidParameter('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    const defaults: QueueAttributes = { VisibilityTimeout: 30, MessageRetentionPeriod: 345_600, MaximumMessageSize: MAX_MESSAGE_BYTES, DelaySeconds: 0, ReceiveMessageWaitTimeSeconds: 0 };
    const parsed = this.parseAttributes(attributes, defaults);
    const existing = this.queues.get(name);
    if (existing) {
      if (JSON.stringify(existing.attributes) !== JSON.stringify(parsed)) {
        throw new SqsError('QueueAlreadyExists', 'QueueNameExists', `A queue already exists with the same name and a different value for attribute(s) ${Object.keys(attributes).join(', ')}`);
      }
      return existing;
    }
    const base = this.opts.baseUrl ?? `http://${host ?? 'localhost'}`;
    const q = new LocalQueue(name, this.arnOf(name), `${base}/${this.opts.account}/${name}`, parsed);
    this.queues.set(name, q);
    return q;
  }

  queueAttributes(q: LocalQueue, names: string[] = ['All']): Record<string, string> {
    const c = q.counts();
    const all: Record<string, string | undefined> = {
      QueueArn: q.arn,
      ApproximateNumberOfMessages: String(c.visible),
      ApproximateNumberOfMessagesNotVisible: String(c.notVisible),
      ApproximateNumberOfMessagesDelayed: String(c.delayed),
      CreatedTimestamp: String(q.createdTimestamp),
      LastModifiedTimestamp: String(q.lastModifiedTimestamp),
      VisibilityTimeout: String(q.attributes.VisibilityTimeout),
      MaximumMessageSize: String(q.attributes.MaximumMessageSize),
      MessageRetentionPeriod: String(q.attributes.MessageRetentionPeriod),
      DelaySeconds: String(q.attributes.DelaySeconds),
      ReceiveMessageWaitTimeSeconds: String(q.attributes.ReceiveMessageWaitTimeSeconds),
      RedrivePolicy: q.attributes.RedrivePolicy ? JSON.stringify(q.attributes.RedrivePolicy) : undefined,
    };
    const wanted = names.includes('All') ? QUEUE_ATTRIBUTE_NAMES : names;
    const out: Record<string, string> = {};
    for (const n of wanted) {
      if (!(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(n)) throw new SqsError('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${n}.`);
      const v = all[n];
      if (v !== undefined) out[n] = v;
    }
    return out;
  }

  private validateAttributes(raw: unknown): Record<string, MessageAttributeValue> {
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== 'object') throw invalidParameter('MessageAttributes must be a map.');
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length > 10) throw invalidParameter(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
    const out: Record<string, MessageAttributeValue> = {};
    for (const [name, v] of entries) {
      const a = v as Partial<MessageAttributeValue> & { StringListValues?: unknown[]; BinaryListValues?: unknown[] };
      if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name) || name.includes('..') || name.startsWith('.') || name.endsWith('.')) {
        throw invalidParameter(`Message (user) attribute name ${name} is invalid.`);
      }
      if (a.StringListValues?.length || a.BinaryListValues?.length) throw invalidParameter(`Message (user) attribute ${name}: list values are not supported (reserved by SQS).`);
      const type = a.DataType;
      if (typeof type !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(type) || type.length > 256) {
        throw invalidParameter(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
      }
      if (type.startsWith('Binary')) {
        if (typeof a.BinaryValue !== 'string') throw invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of type '${type}'.`);
        out[name] = { DataType: type, BinaryValue: a.BinaryValue };
      } else {
        if (typeof a.StringValue !== 'string' || a.StringValue === '') throw invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of type '${type}'.`);
        if (INVALID_CHARACTERS.test(a.StringValue)) throw invalidParameter(`Message (user) attribute '${name}' contains characters outside the allowed set.`);
        if (type.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(a.StringValue)) {
          throw invalidParameter(`Can't cast the value of message (user) attribute '${name}' to a number.`);
        }
        out[name] = { DataType: type, StringValue: a.StringValue };
      }
    }
    return out;
  }

  /** Sends one message (the API's SendMessage); throws an SqsError that a batch reports per entry. */
  send(q: LocalQueue, input: Record<string, unknown>): { MessageId: string; MD5OfMessageBody: string; MD5OfMessageAttributes?: string } {
    if (typeof input.MessageBody !== 'string' || input.MessageBody === '') throw new SqsError('MissingParameter', 'MissingParameter', 'The request must contain the parameter MessageBody.');
    const body = input.MessageBody;
    if (INVALID_CHARACTERS.test(body)) {
      throw new SqsError('InvalidMessageContents', 'InvalidMessageContents', 'Invalid binary character in the message body. Allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    }
    const attributes = this.validateAttributes(input.MessageAttributes);
    const size = messageSize(body, attributes);
    if (size > q.attributes.MaximumMessageSize) {
      throw invalidParameter(`One or more parameters are invalid. Reason: Message must be shorter than ${q.attributes.MaximumMessageSize} bytes.`);
    }
    const delay = intIn(input.DelaySeconds, 'DelaySeconds', 0, 900, q.attributes.DelaySeconds);
    const now = Date.now();
    const m: StoredMessage = {
      id: randomUUID(),
      body,
      md5OfBody: md5Hex(body),
      attributes,
      senderId: this.opts.senderId ?? this.opts.account,
      sentTimestamp: nowMs(),
      receiveCount: 0,
      visibleAt: now + delay * 1000,
      expiresAt: now + q.attributes.MessageRetentionPeriod * 1000,
      inFlight: false,
    };
    // On disk before the sender hears it was accepted.
    this.journal?.append(LocalSqs.sendLine(q, m, delay));
    q.messages.set(m.id, m);
    if (delay > 0) q.hidden.add(m);
    this.stats.sent++;
    this.messagesSent.set(q.name, (this.messagesSent.get(q.name) ?? 0) + 1);
    this.changed(q);
    const hasAttributes = Object.keys(attributes).length > 0;
    return { MessageId: m.id, MD5OfMessageBody: m.md5OfBody, ...(hasAttributes ? { MD5OfMessageAttributes: md5OfMessageAttributes(attributes) } : {}) };
  }

  private static batchEntries(entries: unknown, action: 'Send' | 'Delete' | 'ChangeMessageVisibility'): Array<Record<string, unknown> & { Id: string }> {
    const list = Array.isArray(entries) ? (entries as Array<Record<string, unknown>>) : [];
    if (list.length === 0) {
      throw new SqsError('AWS.SimpleQueueService.EmptyBatchRequest', 'EmptyBatchRequest', `There should be at least one ${action}MessageBatchRequestEntry in the request.`);
    }
    if (list.length > MAX_BATCH) {
      throw new SqsError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH}. You have sent ${list.length}.`);
    }
    const seen = new Set<string>();
    for (const e of list) {
      if (typeof e.Id !== 'string' || !BATCH_ID.test(e.Id)) {
        throw new SqsError('AWS.SimpleQueueService.InvalidBatchEntryId', 'InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
      }
      if (seen.has(e.Id)) throw new SqsError('AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`);
      seen.add(e.Id);
    }
    return list as Array<Record<string, unknown> & { Id: string }>;
  }

  sendBatch(q: LocalQueue, entries: unknown) {
    const list = LocalSqs.batchEntries(entries, 'Send');
    const total = list.reduce(
      (n, e) => n + (typeof e.MessageBody === 'string' ? Buffer.byteLength(e.MessageBody, 'utf8') : 0) + messageSize('', this.safeAttributes(e.MessageAttributes)),
      0,
    );
    if (total > MAX_MESSAGE_BYTES) {
      throw new SqsError('AWS.SimpleQueueService.BatchRequestTooLong', 'BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${total} bytes.`);
    }
    const Successful: Array<Record<string, string>> = [];
    const Failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
    for (const e of list) {
      try {
        Successful.push({ Id: e.Id, ...this.send(q, e) });
      } catch (err) {
        if (!(err instanceof SqsError)) throw err;
        Failed.push({ Id: e.Id, SenderFault: err.fault === 'Sender', Code: err.queryCode, Message: err.message });
      }
    }
    return { Successful, Failed };
  }

  private safeAttributes(raw: unknown): Record<string, MessageAttributeValue> {
    try {
      return this.validateAttributes(raw);
    } catch {
      return {};
    }
  }

  /** Drops the messages past their retention period (looked for at most once a second). */
  private dropExpired(q: LocalQueue, now: number): void {
    if (now - q.lastExpiryCheck < 1000) return;
    q.lastExpiryCheck = now;
    let expired = false;
    for (const [id, m] of q.messages) {
      if (m.expiresAt > now) continue;
      this.journal?.append({ e: q.name, i: id });
      q.messages.delete(id);
      q.hidden.delete(m);
      expired = true;
    }
    if (expired) this.journalSettled();
  }

  /** Takes up to `max` visible messages now (moving those past maxReceiveCount to the dead-letter queue). */
  private take(q: LocalQueue, max: number, visibilitySeconds: number): StoredMessage[] {
    const now = Date.now();
    this.dropExpired(q, now);
    const taken: StoredMessage[] = [];
    const redrive = q.attributes.RedrivePolicy;
    const dlq = redrive ? this.queue(redrive.deadLetterTargetArn) : undefined;
    let moved = false;
    for (const m of q.messages.values()) {
      if (taken.length >= max) break;
      if (m.visibleAt > now) continue;
      if (redrive && dlq && m.receiveCount >= redrive.maxReceiveCount) {
        // As SQS does: on the receive after the maxReceiveCount-th, the message goes to the dead-letter
        // queue (same id, body, attributes and SentTimestamp; its receive count carries on).
        const dead: StoredMessage = { ...m, receipt: undefined, inFlight: false, visibleAt: now, expiresAt: m.expiresAt };
        this.journal?.append({ ...LocalSqs.sendLine(dlq, dead), from: q.name });
        q.messages.delete(m.id);
        q.hidden.delete(m);
        dlq.messages.set(m.id, dead);
        this.stats.movedToDeadLetter++;
        moved = true;
        if (dlq !== q) this.changed(dlq);
        continue;
      }
      m.receiveCount++;
      m.firstReceiveTimestamp ??= nowMs();
      m.receipt = receiptHandle(q.name, m.id);
      m.visibleAt = now + visibilitySeconds * 1000;
      m.inFlight = true;
      q.hidden.add(m);
      taken.push(m);
    }
    if (taken.length) this.journal?.append({ r: q.name, m: taken.map((m) => m.id), t: nowMs() });
    if (taken.length || moved) {
      this.stats.received += taken.length;
      this.journalSettled();
      this.changed(q);
    }
    return taken;
  }

  /**
   * ReceiveMessage: up to `max` messages, waiting up to `waitSeconds` for the first one (long polling:
   * it answers as soon as there is one). `signal` ends the wait early (the caller went away).
   */
  async receive(q: LocalQueue, opts: { max?: number; visibilityTimeout?: number; waitSeconds?: number; signal?: AbortSignal } = {}): Promise<StoredMessage[]> {
    const max = opts.max ?? 1;
    const visibility = opts.visibilityTimeout ?? q.attributes.VisibilityTimeout;
    const deadline = Date.now() + (opts.waitSeconds ?? q.attributes.ReceiveMessageWaitTimeSeconds) * 1000;
    for (;;) {
      if (!this.queues.has(q.name)) throw noQueue();
      const taken = this.take(q, max, visibility);
      const left = deadline - Date.now();
      if (taken.length || left <= 0 || opts.signal?.aborted) return taken;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          q.waiters.delete(done);
          opts.signal?.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, left);
        q.waiters.add(done);
        opts.signal?.addEventListener('abort', done);
        this.arm(q);
      });
    }
  }

  /** The message a receipt handle names, if it is the latest handle of a message still in the queue. */
  private byReceipt(q: LocalQueue, handle: unknown): StoredMessage | undefined {
    const h = str(handle, 'ReceiptHandle');
    const parsed = parseReceipt(h);
    if (!parsed || parsed.queue !== q.name) throw invalidReceipt(h);
    const m = q.messages.get(parsed.id);
    return m && m.receipt === h ? m : undefined;
  }

  /**
   * DeleteMessage. As on AWS, a well-formed handle that is not the message's latest (it was received
   * again since) or whose message is gone deletes nothing and still succeeds; a malformed one fails.
   */
  delete(q: LocalQueue, handle: unknown): void {
    const m = this.byReceipt(q, handle);
    if (!m) return;
    this.journal?.append({ e: q.name, i: m.id });
    q.messages.delete(m.id);
    q.hidden.delete(m);
    this.stats.deleted++;
    this.journalSettled();
    this.changed(q);
  }

  deleteBatch(q: LocalQueue, entries: unknown) {
    const list = LocalSqs.batchEntries(entries, 'Delete');
    const Successful: Array<{ Id: string }> = [];
    const Failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
    for (const e of list) {
      try {
        this.delete(q, e.ReceiptHandle);
        Successful.push({ Id: e.Id });
      } catch (err) {
        if (!(err instanceof SqsError)) throw err;
        Failed.push({ Id: e.Id, SenderFault: true, Code: err.queryCode, Message: err.message });
      }
    }
    return { Successful, Failed };
  }

  /** ChangeMessageVisibility: only for a message in flight under this (latest) handle. */
  changeVisibility(q: LocalQueue, handle: unknown, timeout: unknown): void {
    const seconds = intIn(timeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS, NaN);
    if (Number.isNaN(seconds)) throw new SqsError('MissingParameter', 'MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
    const m = this.byReceipt(q, handle);
    if (!m) throw invalidParameter(`Value ${String(handle)} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
    const now = Date.now();
    if (!m.inFlight || m.visibleAt <= now) throw new SqsError('AWS.SimpleQueueService.MessageNotInflight', 'MessageNotInflight', 'The message referred to is not in flight.');
    m.visibleAt = now + seconds * 1000;
    q.hidden.add(m);
    this.changed(q);
  }

  purge(q: LocalQueue): void {
    const now = Date.now();
    if (q.lastPurge && now - q.lastPurge < PURGE_INTERVAL_MS) {
      throw new SqsError('AWS.SimpleQueueService.PurgeQueueInProgress', 'PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`, 403);
    }
    q.lastPurge = now;
    this.journal?.append({ p: q.name });
    q.messages.clear();
    q.hidden.clear();
    this.journalSettled();
    this.changed(q);
  }

  /** A stored message as ReceiveMessage answers it, with the system and message attributes asked for. */
  static received(m: StoredMessage, systemNames: string[], attributeNames: string[]): ReceivedMessage {
    const out: ReceivedMessage = { MessageId: m.id, ReceiptHandle: m.receipt ?? '', MD5OfBody: m.md5OfBody, Body: m.body };
    const all = systemNames.includes('All');
    const system: Record<string, string> = {};
    const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string> = {
      ApproximateReceiveCount: String(m.receiveCount),
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
      SentTimestamp: String(m.sentTimestamp),
      SenderId: m.senderId,
    };
    for (const n of SYSTEM_ATTRIBUTES) if (all || systemNames.includes(n)) system[n] = values[n];
    if (Object.keys(system).length) out.Attributes = system;
    const wantAll = attributeNames.some((n) => n === 'All' || n === '.*');
    const picked: Record<string, MessageAttributeValue> = {};
    for (const [name, a] of Object.entries(m.attributes)) {
      const match = wantAll || attributeNames.some((n) => n === name || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))));
      if (match) picked[name] = a;
    }
    if (Object.keys(picked).length) {
      out.MessageAttributes = picked;
      out.MD5OfMessageAttributes = md5OfMessageAttributes(picked);
    }
    return out;
  }

  /** One request of the JSON protocol: `action` from `X-Amz-Target: AmazonSQS.<action>`. */
  async handle(action: string, input: Record<string, unknown>, ctx: { host?: string; signal?: AbortSignal } = {}): Promise<Record<string, unknown>> {
    this.stats.requests++;
    switch (action) {
      case 'CreateQueue': {
        const q = this.createQueue(str(input.QueueName, 'QueueName'), (input.Attributes as Record<string, unknown> | undefined) ?? {}, ctx.host);
        return { QueueUrl: q.url };
      }
      case 'GetQueueUrl': {
        const q = this.queues.get(str(input.QueueName, 'QueueName'));
        if (!q || (input.QueueOwnerAWSAccountId !== undefined && input.QueueOwnerAWSAccountId !== this.opts.account)) throw noQueue();
        return { QueueUrl: q.url };
      }
      case 'ListQueues': {
        const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
        return { QueueUrls: this.list().filter((q) => q.name.startsWith(prefix)).map((q) => q.url) };
      }
      case 'DeleteQueue': {
        const q = this.need(input.QueueUrl);
        this.journal?.append({ p: q.name });
        this.queues.delete(q.name);
        if (q.timer) clearTimeout(q.timer);
        this.journalSettled();
        this.changed(q);
        return {};
      }
      case 'GetQueueAttributes': {
        const q = this.need(input.QueueUrl);
        const names = Array.isArray(input.AttributeNames) && input.AttributeNames.length ? (input.AttributeNames as string[]) : [];
        return names.length ? { Attributes: this.queueAttributes(q, names) } : {};
      }
      case 'SetQueueAttributes': {
        const q = this.need(input.QueueUrl);
        q.attributes = this.parseAttributes((input.Attributes as Record<string, unknown> | undefined) ?? {}, q.attributes);
        q.lastModifiedTimestamp = Math.floor(nowMs() / 1000);
        return {};
      }
      case 'SendMessage': {
        if (input.MessageSystemAttributes !== undefined || input.MessageGroupId !== undefined || input.MessageDeduplicationId !== undefined) {
          throw invalidParameter('Message system attributes and FIFO parameters are not emulated by the local cloud.');
        }
        return this.send(this.need(input.QueueUrl), input);
      }
      case 'SendMessageBatch': {
        const q = this.need(input.QueueUrl);
        const entries = input.Entries as Array<Record<string, unknown>> | undefined;
        if (entries?.some((e) => e.MessageSystemAttributes !== undefined || e.MessageGroupId !== undefined || e.MessageDeduplicationId !== undefined)) {
          throw invalidParameter('Message system attributes and FIFO parameters are not emulated by the local cloud.');
        }
        return this.sendBatch(q, entries);
      }
      case 'ReceiveMessage': {
        const q = this.need(input.QueueUrl);
        const max = intIn(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, MAX_BATCH, 1);
        const visibilityTimeout = intIn(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_SECONDS, q.attributes.VisibilityTimeout);
        const waitSeconds = intIn(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS, q.attributes.ReceiveMessageWaitTimeSeconds);
        const systemNames = [...((input.AttributeNames as string[] | undefined) ?? []), ...((input.MessageSystemAttributeNames as string[] | undefined) ?? [])];
        const attributeNames = (input.MessageAttributeNames as string[] | undefined) ?? [];
        const taken = await this.receive(q, { max, visibilityTimeout, waitSeconds, signal: ctx.signal });
        // As SQS answers no messages: `{}`, no empty list.
        return taken.length ? { Messages: taken.map((m) => LocalSqs.received(m, systemNames, attributeNames)) } : {};
      }
      case 'DeleteMessage':
        this.delete(this.need(input.QueueUrl), input.ReceiptHandle);
        return {};
      case 'DeleteMessageBatch':
        return this.deleteBatch(this.need(input.QueueUrl), input.Entries);
      case 'ChangeMessageVisibility':
        this.changeVisibility(this.need(input.QueueUrl), input.ReceiptHandle, input.VisibilityTimeout);
        return {};
      case 'ChangeMessageVisibilityBatch': {
        const q = this.need(input.QueueUrl);
        const list = LocalSqs.batchEntries(input.Entries, 'ChangeMessageVisibility');
        const Successful: Array<{ Id: string }> = [];
        const Failed: Array<{ Id: string; SenderFault: boolean; Code: string; Message: string }> = [];
        for (const e of list) {
          try {
            this.changeVisibility(q, e.ReceiptHandle, e.VisibilityTimeout);
            Successful.push({ Id: e.Id });
          } catch (err) {
            if (!(err instanceof SqsError)) throw err;
            Failed.push({ Id: e.Id, SenderFault: true, Code: err.queryCode, Message: err.message });
          }
        }
        return { Successful, Failed };
      }
      case 'PurgeQueue':
        this.purge(this.need(input.QueueUrl));
        return {};
      default:
        throw new SqsError('UnknownOperationException', 'UnknownOperationException', `The local SQS does not implement ${action}.`);
    }
  }
}

/** Opaque to clients; names the queue and message, and is new on every receive. */
function receiptHandle(queue: string, id: string): string {
  return Buffer.from(JSON.stringify({ q: queue, m: id, r: randomBytes(12).toString('base64url') })).toString('base64url');
}

function parseReceipt(handle: string): { queue: string; id: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(handle, 'base64url').toString('utf8')) as { q?: unknown; m?: unknown; r?: unknown };
    return typeof v.q === 'string' && typeof v.m === 'string' && typeof v.r === 'string' ? { queue: v.q, id: v.m } : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP answer to one JSON-protocol request (the AWS endpoint's SQS route, and `createSqsEndpoint`). */
export async function handleSqsRequest(
  sqs: LocalSqs,
  target: string,
  body: Buffer,
  ctx: { host?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const requestId = randomUUID();
  const headers = { 'content-type': SQS_JSON, 'x-amzn-requestid': requestId };
  try {
    let input: unknown = {};
    if (body.length) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        input = undefined;
      }
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidParameter('The request body must be a JSON object.');
    const out = await sqs.handle(target.slice('AmazonSQS.'.length), input as Record<string, unknown>, ctx);
    return { status: 200, body: JSON.stringify(out), headers };
  } catch (err) {
    const e = err instanceof SqsError ? err : new SqsError('InternalError', 'InternalError', (err as Error).message, 500, 'Receiver');
    return {
      status: e.status,
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${e.shape}`, message: e.message }),
      headers: { ...headers, 'x-amzn-query-error': `${e.queryCode};${e.fault}` },
    };
  }
}

/** Whether a request is SQS's JSON protocol. */
export function isSqsRequest(req: IncomingMessage): boolean {
  return String(req.headers['x-amz-target'] ?? '').startsWith('AmazonSQS.');
}

/** Serves one SQS request; a long poll ends when its caller goes away. */
export async function serveSqs(sqs: LocalSqs, req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const out = await handleSqsRequest(sqs, String(req.headers['x-amz-target']), body, { host: req.headers.host, signal: abort.signal });
  if (res.destroyed) return;
  res.writeHead(out.status, out.headers);
  res.end(out.body);
}

/** A server with just the SQS endpoint (tests; the cloud routes SQS on its AWS endpoint). */
export function createSqsEndpoint(sqs: LocalSqs): Server {
  return createServer(async (req, res) => {
    const body = await readBody(req);
    if (!isSqsRequest(req)) {
      res.writeHead(400, { 'content-type': SQS_JSON });
      return res.end(JSON.stringify({ __type: 'com.amazon.coral.service#UnknownOperationException', message: 'Not an SQS request' }));
    }
    await serveSqs(sqs, req, res, body);
  });
}
