/**
 * Structured logging: one JSON line per entry, on stdout (debug, info) or stderr (warn, error), written
 * straight to the stream (Lambda adds no prefix to a line that is not written through `console`).
 *
 * A line has the fields the Powertools logger gave it before this module replaced it (`level`,
 * `message`, `timestamp`, `service`, `sampling_rate`, `xray_trace_id` during an invocation), then the
 * attributes; an attribute with one of the first five names is dropped. An Error, wherever it sits in
 * the attributes, becomes `{ name, location, message, stack, cause, …its own fields }`. `LOG_LEVEL`
 * (TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL or SILENT; default INFO) is read once, at start. Powertools
 * was 20 KiB of every bundle and a few milliseconds of every cold start for the four calls used here.
 *
 * Email addresses never appear in clear: use `maskEmail` for the addresses you log on purpose, and every
 * string that reaches a log line (messages, attributes, error messages and stacks) passes `redactEmails`
 * on the way out, as a last line of defence.
 *
 * The invocation's context (function, request id, correlation id, what it handles) sits on every line
 * written while it runs, set once by the entry layers (shared/aws/on-event.ts, shared/http/router.ts)
 * with `withLogContext`. It is scoped to the invocation's async work, not global: the local cloud runs
 * many invocations at once in one process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/** `ola.nordmann@dfo.no` → `o***@dfo.no#3f2a…`: enough to correlate, not enough to read. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const hash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 8);
  if (at < 1) return `***#${hash}`;
  return `${email[0]}***${email.slice(at)}#${hash}`;
}

/** An address in text, also URL-encoded (`ola%40dfo.no`, as in a logged request path). */
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Masks every email address in a text; a masked address (`o***@dfo.no#…`) is left as it is. */
export function redactEmails(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m.replace('%40', '@')));
}

export type LogAttributes = Record<string, unknown>;

const invocation = new AsyncLocalStorage<LogAttributes>();

/** Runs `fn` with `keys` (added to those already set) on every line logged within it and what it awaits. */
export function withLogContext<T>(keys: LogAttributes, fn: () => T): T {
  return invocation.run({ ...invocation.getStore(), ...keys }, fn);
}

/** The keys a Lambda invocation logs with (the names Powertools gives them). */
export function lambdaLogKeys(context: { functionName?: string; awsRequestId?: string } | undefined): LogAttributes {
  return { function_name: context?.functionName, function_request_id: context?.awsRequestId };
}

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof LEVELS;
const BASE_FIELDS = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);
const ERROR_OWN_FIELDS = new Set(['name', 'message', 'stack', 'cause']);

function thresholdFrom(value: string | undefined): number {
  const name = value?.trim().toUpperCase();
  return name !== undefined && Object.hasOwn(LEVELS, name) ? LEVELS[name as Level] : LEVELS.INFO;
}

/** `file:line` of the first stack frame that names one: where the error was thrown. */
function locationOf(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const frame = /\(([^()]*?):(\d+):\d+\)$/.exec(line);
    if (frame) return `${frame[1]}:${frame[2]}`;
  }
  return '';
}

function describeError(err: Error): Record<string, unknown> {
  const described: Record<string, unknown> = {
    name: err.name,
    location: locationOf(err.stack),
    message: err.message,
    stack: err.stack,
    cause: err.cause instanceof Error ? describeError(err.cause) : err.cause,
  };
  for (const key in err) if (!ERROR_OWN_FIELDS.has(key)) described[key] = (err as unknown as Record<string, unknown>)[key];
  return described;
}

/**
 * JSON.stringify's replacer for one line: redacts strings, describes errors, writes bigints as text
 * and leaves out an object that contains itself (it would make JSON.stringify throw).
 */
function lineReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const open: unknown[] = []; // the objects being written, outermost first
  return function (this: unknown, _key, value) {
    if (typeof value === 'string') return redactEmails(value);
    if (typeof value === 'bigint') return String(value);
    const v = value instanceof Error ? describeError(value) : value;
    if (typeof v !== 'object' || v === null) return v;
    // `this` is the object holding the value: every object opened after it is finished.
    while (open.length > 0 && open[open.length - 1] !== this) open.pop();
    if (open.includes(v)) return undefined;
    open.push(v);
    return v;
  };
}

/** The trace id Lambda sets for each invocation (`Root=1-…;Parent=…;Sampled=…`). */
function traceId(): string | undefined {
  return /(?:^|;)Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
}

export class Logger {
  private readonly threshold: number;

  constructor(
    private readonly service: string,
    level = process.env.LOG_LEVEL,
  ) {
    this.threshold = thresholdFrom(level);
  }

  debug(message: string, attributes?: LogAttributes): void {
    this.write('DEBUG', message, attributes);
  }

  info(message: string, attributes?: LogAttributes): void {
    this.write('INFO', message, attributes);
  }

  warn(message: string, attributes?: LogAttributes): void {
    this.write('WARN', message, attributes);
  }

  error(message: string, attributes?: LogAttributes): void {
    this.write('ERROR', message, attributes);
  }

  private write(level: Level, message: string, attributes: LogAttributes = {}): void {
    if (LEVELS[level] < this.threshold) return;
    const entry: LogAttributes = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      sampling_rate: 0,
      xray_trace_id: traceId(),
    };
    for (const [key, value] of Object.entries(invocation.getStore() ?? {})) if (!BASE_FIELDS.has(key)) entry[key] = value;
    for (const [key, value] of Object.entries(attributes)) if (!BASE_FIELDS.has(key)) entry[key] = value;
    const line = `${JSON.stringify(entry, lineReplacer())}\n`;
    (LEVELS[level] >= LEVELS.WARN ? process.stderr : process.stdout).write(line);
  }
}

export const logger = new Logger('seminar-events');
