/**
 * Local EventBridge: PutEvents and TestEventPattern over the real JSON 1.1 protocol, rules from the
 * wiring, asynchronous delivery to the in-process handlers with retries and a dead-letter list.
 */
import { randomUUID } from 'node:crypto';
import { Journal } from './journal.js';
import { matchesPattern, validatePattern, PatternError } from './pattern.js';
import type { Chaos } from './chaos.js';

export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export type Target = (event: BusEvent) => Promise<unknown>;

export interface LocalRule {
  name: string;
  pattern: unknown;
  targetName: string;
  target: Target;
}

export interface DeadLetter {
  rule: string;
  target: string;
  event: BusEvent;
  error: string;
  attempts: number;
  at: string;
}

export interface BusOptions {
  account: string;
  region: string;
  busName: string;
  /** Attempts per delivery before the event goes to the dead-letter list (AWS: up to 185). */
  maxAttempts?: number;
  /** First retry delay; doubles each time. */
  retryBaseMs?: number;
  /**
   * Deliveries running at once per target function (its Lambda concurrency). Per function, as on AWS: a
   * function whose invocations wait (a sender waiting out another's claim) never holds up another
   * function's events, such as SES's `Email Sent` that would settle that claim.
   */
  concurrency?: number;
  now: () => Date;
  chaos?: Chaos;
  log?: (line: string) => void;
  /**
   * A file where every accepted delivery is written before it starts and marked done when it ends
   * (delivered or dead-lettered), emptied whenever nothing is in flight. After a crash, `recover()`
   * delivers what was in flight again, as EventBridge keeps retrying an event whose target did not finish.
   */
  journal?: string;
}

type JournalLine = { p: number; r: string; e: BusEvent } | { d: number };

export class LocalBus {
  readonly rules: LocalRule[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly stats = { putEvents: 0, entries: 0, deliveries: 0, failures: 0 };
  private inflight = 0;
  private slots = new Map<string, { running: number; waiting: Array<() => void> }>();
  private idleWaiters: Array<() => void> = [];
  private readonly journal: Journal<JournalLine> | undefined;
  private nextDelivery = 1;

  constructor(private readonly opts: BusOptions) {
    this.journal = opts.journal ? new Journal<JournalLine>(opts.journal) : undefined;
  }

  /**
   * Opens the journal and delivers again every delivery that had not ended when the process stopped
   * (call once, after the rules are added). Returns how many were redelivered.
   */
  recover(): number {
    if (!this.journal) return 0;
    const pending = new Map<number, { r: string; e: BusEvent }>();
    for (const line of this.journal.read()) {
      if ('d' in line) pending.delete(line.d);
      else pending.set(line.p, { r: line.r, e: line.e });
    }
    // Rewrite the journal with just what is still pending (fresh ids), then deliver those again.
    const again: Array<{ id: number; rule: LocalRule; event: BusEvent }> = [];
    for (const { r, e } of pending.values()) {
      const rule = this.rules.find((x) => x.name === r);
      if (!rule) {
        this.deadLetters.push({ rule: r, target: '?', event: e, error: 'rule no longer exists', attempts: 0, at: new Date().toISOString() });
        continue;
      }
      again.push({ id: this.nextDelivery++, rule, event: e });
    }
    this.journal.replace(again.map((a) => ({ p: a.id, r: a.rule.name, e: a.event })));
    for (const a of again) void this.deliver(a.rule, a.event, a.id);
    const redelivered = again.length;
    if (redelivered) this.opts.log?.(`[bus] redelivering ${redelivered} deliveries that were in flight when the bus stopped`);
    return redelivered;
  }

  /** Closes the journal (on a clean stop, after idle). */
  close(): void {
    this.journal?.close();
  }

  private start(rule: LocalRule, event: BusEvent): void {
    const id = this.nextDelivery++;
    this.journal?.append({ p: id, r: rule.name, e: event });
    void this.deliver(rule, event, id);
  }

  addRule(rule: LocalRule): void {
    validatePattern(rule.pattern);
    this.rules.push(rule);
  }

  /**
   * PutEvents semantics: validates each entry, matches rules, schedules delivery, returns ids. An entry
   * whose source starts with `aws.` is taken only from an AWS service (`from.awsService`: the local SES);
   * from anyone else it fails as on AWS, NotAuthorizedForSourceException, and the others go on.
   */
  putEvents(entries: Array<Record<string, unknown>>, from: { awsService?: boolean } = {}): { FailedEntryCount: number; Entries: Array<Record<string, string>> } {
    this.stats.putEvents++;
    let failed = 0;
    const results = entries.map((e): Record<string, string> => {
      if (!from.awsService && isAwsSource(e.Source)) {
        failed++;
        return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
      }
      const problem = this.validateEntry(e);
      if (problem) {
        failed++;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: problem };
      }
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': String(e.DetailType),
        source: String(e.Source),
        account: this.opts.account,
        time: (e.Time ? new Date(e.Time as string | number) : this.opts.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.opts.region,
        resources: Array.isArray(e.Resources) ? (e.Resources as string[]) : [],
        detail: JSON.parse(String(e.Detail)),
      };
      this.stats.entries++;
      this.dispatch(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  /**
   * An AWS service (the local SES) puts entries on the bus after `delayMs` (how AWS services publish
   * their events: a moment after the fact). `idle()` waits for them too.
   */
  putServiceEventsAfter(entries: Array<Record<string, unknown>>, delayMs: number): void {
    this.inflight++;
    setTimeout(() => {
      try {
        this.putEvents(entries, { awsService: true });
      } finally {
        this.settle();
      }
    }, delayMs);
  }

  private settle(): void {
    this.inflight--;
    if (this.inflight === 0) this.becameIdle();
  }

  /**
   * Nothing in flight: the journal has nothing left to recover, so it is emptied. Events carry addresses
   * (a registrant's, an SES event's recipients): like EventBridge, which keeps an event only while it
   * delivers it, the journal holds one only while its delivery runs, and an erased address does not live
   * on in it.
   */
  private becameIdle(): void {
    this.journal?.empty();
    const waiters = this.idleWaiters.splice(0);
    waiters.forEach((w) => w());
  }

  private validateEntry(e: Record<string, unknown>): string | undefined {
    if (typeof e.Source !== 'string' || !e.Source) return 'Source is required';
    if (typeof e.DetailType !== 'string' || !e.DetailType) return 'DetailType is required';
    if (typeof e.Detail !== 'string') return 'Detail is required';
    if (e.EventBusName && e.EventBusName !== this.opts.busName && !String(e.EventBusName).endsWith(`/${this.opts.busName}`)) {
      return `Event bus ${String(e.EventBusName)} does not exist`;
    }
    try {
      const d = JSON.parse(e.Detail);
      if (d === null || typeof d !== 'object' || Array.isArray(d)) return 'Detail must be a JSON object';
    } catch {
      return 'Detail is not valid JSON';
    }
    if (Buffer.byteLength(JSON.stringify(e)) > 256 * 1024) return 'Entry is larger than 256 KB';
    return undefined;
  }

  private dispatch(event: BusEvent): void {
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      const copies = this.opts.chaos?.duplicateDeliveries ? 2 : 1;
      for (let i = 0; i < copies; i++) this.start(rule, event);
    }
  }

  private async deliver(rule: LocalRule, event: BusEvent, deliveryId: number): Promise<void> {
    this.inflight++;
    const maxAttempts = this.opts.maxAttempts ?? 4;
    const base = this.opts.retryBaseMs ?? 200;
    try {
      const delay = this.opts.chaos?.deliveryDelayMs ?? 0;
      if (delay > 0) await sleep(Math.random() * delay);
      for (let attempt = 1; ; attempt++) {
        await this.acquire(rule.targetName);
        let error: unknown;
        try {
          this.stats.deliveries++;
          await rule.target(event);
          return;
        } catch (err) {
          error = err;
          this.stats.failures++;
        } finally {
          this.release(rule.targetName);
        }
        if (attempt >= maxAttempts) {
          this.deadLetters.push({
            rule: rule.name,
            target: rule.targetName,
            event,
            error: (error as Error)?.message ?? String(error),
            attempts: attempt,
            at: new Date().toISOString(),
          });
          this.opts.log?.(`[bus] ${event['detail-type']} → ${rule.targetName} failed ${attempt} times: ${(error as Error)?.message}; dead-lettered`);
          return;
        }
        await sleep(base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
      }
    } finally {
      this.journal?.append({ d: deliveryId });
      this.inflight--;
      if (this.inflight === 0) this.becameIdle();
    }
  }

  private slotsOf(target: string) {
    let s = this.slots.get(target);
    if (!s) this.slots.set(target, (s = { running: 0, waiting: [] }));
    return s;
  }

  private async acquire(target: string): Promise<void> {
    const s = this.slotsOf(target);
    if (s.running < (this.opts.concurrency ?? 16)) {
      s.running++;
      return;
    }
    await new Promise<void>((r) => s.waiting.push(r));
  }

  private release(target: string): void {
    const s = this.slotsOf(target);
    const next = s.waiting.shift();
    if (next) next();
    else s.running--;
  }

  /** Resolves when no delivery is in flight (deliveries caused by deliveries included). */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get inFlight(): number {
    return this.inflight;
  }

  /** The JSON 1.1 protocol (X-Amz-Target: AWSEvents.<Operation>); `from.awsService`: the caller is an AWS service. */
  handleRequest(target: string, body: Record<string, unknown>, from: { awsService?: boolean } = {}): { status: number; body: unknown } {
    const op = target.replace(/^AWSEvents\./, '');
    switch (op) {
      case 'PutEvents': {
        const entries = body.Entries;
        if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
          return awsError(400, 'ValidationException', 'Entries must hold 1 to 10 entries');
        }
        return { status: 200, body: this.putEvents(entries as Array<Record<string, unknown>>, from) };
      }
      case 'TestEventPattern': {
        let pattern: unknown;
        let event: Record<string, unknown>;
        try {
          pattern = JSON.parse(String(body.EventPattern));
          event = JSON.parse(String(body.Event));
        } catch {
          return awsError(400, 'InvalidEventPatternException', 'EventPattern and Event must be JSON');
        }
        try {
          validatePattern(pattern);
        } catch (err) {
          if (err instanceof PatternError) return awsError(400, 'InvalidEventPatternException', err.message);
          throw err;
        }
        for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
          if (!(field in event)) return awsError(400, 'ValidationException', `Parameter Event is not valid: ${field} is missing`);
        }
        return { status: 200, body: { Result: matchesPattern(pattern, event) } };
      }
      case 'ListRules':
        return {
          status: 200,
          body: {
            Rules: this.rules.map((r) => ({
              Name: r.name,
              EventPattern: JSON.stringify(r.pattern),
              EventBusName: this.opts.busName,
              State: 'ENABLED',
              Arn: `arn:aws:events:${this.opts.region}:${this.opts.account}:rule/${this.opts.busName}/${r.name}`,
            })),
          },
        };
      default:
        return awsError(400, 'UnknownOperationException', `Operation ${op} is not supported by the local event bus`);
    }
  }
}

/** Sources only AWS services may put (`aws.ses`, `aws.events` …). */
export const isAwsSource = (source: unknown): boolean => typeof source === 'string' && source.startsWith('aws.');

export function awsError(status: number, type: string, message: string) {
  return { status, body: { __type: type, message, Message: message } };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
