/**
 * Local EventBridge: PutEvents and TestEventPattern over the real JSON 1.1 protocol, rules from the
 * wiring, asynchronous delivery to the in-process handlers with retries and a dead-letter list.
 */
import { randomUUID } from 'node:crypto';
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
  /** Deliveries running at once (Lambda concurrency). */
  concurrency?: number;
  now: () => Date;
  chaos?: Chaos;
  log?: (line: string) => void;
}

export class LocalBus {
  readonly rules: LocalRule[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly stats = { putEvents: 0, entries: 0, deliveries: 0, failures: 0 };
  private inflight = 0;
  private running = 0;
  private waiting: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: BusOptions) {}

  addRule(rule: LocalRule): void {
    validatePattern(rule.pattern);
    this.rules.push(rule);
  }

  /** PutEvents semantics: validates each entry, matches rules, schedules delivery, returns ids. */
  putEvents(entries: Array<Record<string, unknown>>): { FailedEntryCount: number; Entries: Array<Record<string, string>> } {
    this.stats.putEvents++;
    let failed = 0;
    const results = entries.map((e): Record<string, string> => {
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
      for (let i = 0; i < copies; i++) void this.deliver(rule, event);
    }
  }

  private async deliver(rule: LocalRule, event: BusEvent): Promise<void> {
    this.inflight++;
    const maxAttempts = this.opts.maxAttempts ?? 4;
    const base = this.opts.retryBaseMs ?? 200;
    try {
      const delay = this.opts.chaos?.deliveryDelayMs ?? 0;
      if (delay > 0) await sleep(Math.random() * delay);
      for (let attempt = 1; ; attempt++) {
        await this.acquire();
        let error: unknown;
        try {
          this.stats.deliveries++;
          await rule.target(event);
          return;
        } catch (err) {
          error = err;
          this.stats.failures++;
        } finally {
          this.release();
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
      this.inflight--;
      if (this.inflight === 0) {
        const waiters = this.idleWaiters.splice(0);
        waiters.forEach((w) => w());
      }
    }
  }

  private async acquire(): Promise<void> {
    const limit = this.opts.concurrency ?? 16;
    if (this.running < limit) {
      this.running++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** Resolves when no delivery is in flight (deliveries caused by deliveries included). */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get inFlight(): number {
    return this.inflight;
  }

  /** The JSON 1.1 protocol (X-Amz-Target: AWSEvents.<Operation>). */
  handleRequest(target: string, body: Record<string, unknown>): { status: number; body: unknown } {
    const op = target.replace(/^AWSEvents\./, '');
    switch (op) {
      case 'PutEvents': {
        const entries = body.Entries;
        if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
          return awsError(400, 'ValidationException', 'Entries must hold 1 to 10 entries');
        }
        return { status: 200, body: this.putEvents(entries as Array<Record<string, unknown>>) };
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

export function awsError(status: number, type: string, message: string) {
  return { status, body: { __type: type, message, Message: message } };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
