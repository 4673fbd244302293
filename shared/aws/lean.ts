/**
 * A lean JSON client for the few AWS calls a sender makes for every email (issue 15: CPU per email): SES
 * SendEmail, and the ledger's claim transactions and `sent` records in DynamoDB. Everything else goes
 * through the SDK clients (clients.ts).
 *
 * Why: measured on the sender (bench/cpu-per-email.ts), the SDK spends about 0.3 ms of CPU on one
 * SendEmail, and 0.12 ms on each ledger item it writes, most of it in its schema-driven serializer, which
 * writes JSON one character at a time, and in its middleware. Here the request is `JSON.stringify`'d, signed
 * (shared/aws/sigv4.ts: SigV4 with the day's derived key kept, checked against the SDK's signer; with the
 * credentials the SDK client resolves, so Lambda's role credentials and their refresh are the SDK's), and
 * sent on a keep-alive connection of its own HTTP/1.1 pool (shared/aws/wire.ts).
 *
 * What it keeps of the SDK's behaviour:
 * - endpoints: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else the service's regional endpoint;
 * - errors: an `Error` named as the SDK names it (`ThrottlingException`, `TransactionCanceledException`,
 *   `MessageRejected` …) with `$metadata.httpStatusCode`, `$fault`, and the error's own fields
 *   (`CancellationReasons`, raw AttributeValues);
 * - retries: throttling, 5xx and connection errors are retried up to `maxAttempts` (6, as clients.ts
 *   configures the SDK), with the SDK's backoff (full jitter, 100 ms doubling, at most 20 s); a caller's
 *   `aroundAttempt` wraps each attempt (the mailer takes a send slot for every attempt, retries included);
 * - the call counts of the cost benchmark (clients.ts `countAwsCall`);
 * - clock skew: a request refused because this machine's clock is off (`RequestTimeTooSkewed`,
 *   `InvalidSignatureException` …) is signed again with the time of the refusal's `Date` header, and so is
 *   every request after it, as the SDK corrects its `systemClockOffset`;
 * - integrity: an answer whose body does not match its `x-amz-crc32` (DynamoDB's checksum) is not used
 *   but retried, as the SDK v2 did (`CRC32CheckFailed`).
 *
 * `intercept` adds a hook that runs before each attempt and may answer instead of AWS (the local cloud's
 * chaos, a test's fault); it sits where the SDK's `finalizeRequest` middleware does, under the retries.
 */
import { crc32 } from 'node:zlib';
import { SigV4Signer, type SigningCredentials } from './sigv4.js';
import { WirePool } from './wire.js';

export interface LeanService {
  /** As the cost benchmark counts it: `DynamoDB`, `SES`. */
  name: string;
  /** SigV4's service name. */
  signingName: string;
  /** The `<SERVICE>` of `AWS_ENDPOINT_URL_<SERVICE>`. */
  endpointEnv: string;
  /** The regional host's first label: `dynamodb`, `email`. */
  hostPrefix: string;
  /** Method, path and headers of an operation (JSON 1.0 targets, or REST-JSON paths). */
  route(operation: string): { method: string; path: string; headers: Record<string, string> };
}

export interface LeanCall {
  service: string;
  operation: string;
  input: unknown;
}

/** What a hook answers instead of AWS: an HTTP status and a JSON body. */
export interface LeanAnswer {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
}
export type LeanHook = (call: LeanCall) => LeanAnswer | undefined | Promise<LeanAnswer | undefined>;

export interface LeanCallOptions {
  /** Wraps every attempt, retries included (the mailer holds one of its SES slots and waits for a send slot of the budget). */
  aroundAttempt?: <T>(attempt: () => Promise<T>) => Promise<T>;
}

/** AWS's error, shaped as the SDK shapes it. */
export class AwsError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  readonly $fault: 'client' | 'server';
  [field: string]: unknown;
  constructor(name: string, message: string, status: number, fields: Record<string, unknown>, requestId?: string) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$metadata = { httpStatusCode: status, requestId };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

/** Error names the SDK's standard retry strategy retries as throttling (and 5xx, 429 and network errors). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);
/** Errors AWS gives a request signed at a time too far from its own (the SDK's clock skew errors). */
const CLOCK_SKEW = new Set(['AuthFailure', 'InvalidSignatureException', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed', 'SignatureDoesNotMatch']);
/** A clock this far from AWS's (the `Date` of an answer) is corrected (the SDK's threshold). */
const SKEW_MS = 5 * 60_000;

/** Whether `err` is AWS's error of this name (the lean client's errors are not the SDK's classes). */
export const isAwsError = (err: unknown, name: string): boolean => (err as { name?: string } | undefined)?.name === name;

export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return THROTTLING.has(e?.name ?? '') || NETWORK.has(e?.code ?? e?.name ?? '') || status === 429 || (status !== undefined && status >= 500);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The SDK's default backoff: a random wait up to 100 ms × 2^(attempt-1), at most 20 s. */
const backoff = (attempt: number) => Math.random() * Math.min(20_000, 100 * 2 ** (attempt - 1));

export class LeanClient {
  private readonly hooks: LeanHook[] = [];
  private signer: SigV4Signer | undefined;
  private endpoint: URL | undefined;
  private wire: WirePool | undefined;
  /** AWS's time minus this machine's, once an answer showed them more than `SKEW_MS` apart; requests are signed at now + this. */
  clockOffsetMs = 0;

  private readonly onCall: (call: LeanCall) => void;
  readonly maxAttempts: number;

  constructor(
    readonly service: LeanService,
    /** The credentials to sign with, as the SDK client resolves them (its provider caches and refreshes them). */
    private readonly credentials: () => Promise<SigningCredentials>,
    opts: { onCall?: (call: LeanCall) => void; maxAttempts?: number; endpoint?: string } = {},
  ) {
    this.onCall = opts.onCall ?? (() => undefined);
    this.maxAttempts = opts.maxAttempts ?? 6;
    if (opts.endpoint) this.endpoint = new URL(opts.endpoint);
  }

  /** Connections kept alive (shared/aws/wire.ts), as many at once as the mailer has SES slots at most. */
  private pool(url: URL): WirePool {
    this.wire ??= new WirePool(url, { maxSockets: 64, timeoutMs: 30_000 });
    return this.wire;
  }

  /**
   * Takes AWS's time from a refusal's `Date`: when it is more than `SKEW_MS` from the time this client
   * signs at, the offset becomes the difference (true: corrected now).
   */
  private correctClock(date: string | undefined): boolean {
    const server = date ? Date.parse(date) : NaN;
    if (Number.isNaN(server)) return false;
    const now = Date.now();
    if (Math.abs(server - (now + this.clockOffsetMs)) <= SKEW_MS) return false;
    this.clockOffsetMs = server - now;
    return true;
  }

  /** Adds a hook run before each attempt, which may answer instead of AWS; returns a function that removes it. */
  intercept(hook: LeanHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  private region(): string {
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) throw new Error('AWS_REGION is not set');
    return region;
  }

  private url(): URL {
    if (!this.endpoint) {
      const configured = process.env[`AWS_ENDPOINT_URL_${this.service.endpointEnv}`] ?? process.env.AWS_ENDPOINT_URL;
      this.endpoint = new URL(configured ?? `https://${this.service.hostPrefix}.${this.region()}.amazonaws.com`);
    }
    return this.endpoint;
  }

  /**
   * Calls `operation` with `input` (JSON-ready: blobs already base64), retrying as the SDK would; resolves
   * to the parsed answer. `input` may be a function that builds it: called once, inside the first attempt
   * (after `aroundAttempt` let it start), so a request waiting for its turn holds nothing yet.
   */
  async call<T = Record<string, unknown>>(operation: string, input: unknown, opts: LeanCallOptions = {}): Promise<T> {
    let encoded: { call: LeanCall; body: Buffer } | undefined;
    let unbuildable = false;
    const encode = async () => {
      if (!encoded) {
        let json: unknown;
        try {
          json = typeof input === 'function' ? await (input as () => unknown)() : input;
        } catch (err) {
          unbuildable = true;
          throw err;
        }
        const call = { service: this.service.name, operation, input: json };
        this.onCall(call);
        // Encoded once: the signer hashes these bytes and the connection writes them, with no copy between.
        encoded = { call, body: Buffer.from(JSON.stringify(json), 'utf8') };
      }
      return encoded;
    };
    const once = async () => {
      const { call, body } = await encode();
      return this.attempt(call, body);
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return (await (opts.aroundAttempt ? opts.aroundAttempt(once) : once())) as T;
      } catch (err) {
        // A request that could not be built is not tried again; anything else as the SDK would.
        if (unbuildable || attempt >= this.maxAttempts) throw err;
        // Refused for the time it was signed at, and the clock now corrected: signed again at once.
        if ((err as { clockCorrected?: boolean }).clockCorrected) continue;
        if (!isRetryable(err)) throw err;
        await sleep(backoff(attempt));
      }
    }
  }

  private async attempt(call: LeanCall, body: Buffer): Promise<unknown> {
    for (const hook of this.hooks) {
      const answer = await hook(call);
      if (answer) return parse(answer.statusCode, answer.headers ?? {}, answer.body);
    }
    const url = this.url();
    const route = this.service.route(call.operation);
    this.signer ??= new SigV4Signer(this.region(), this.service.signingName);
    const headers = this.signer.sign(
      { method: route.method, path: route.path, headers: { ...route.headers, host: url.host, 'content-length': String(body.length) }, body },
      await this.credentials(),
      new Date(Date.now() + this.clockOffsetMs),
    );
    const res = await this.pool(url)
      .request(route.method, route.path, headers, body)
      .catch((err: unknown) => {
        // A connection's error (its code kept, for the retries) says which call it was.
        if (err instanceof Error) err.message = `${call.service}.${call.operation}: ${err.message}`;
        throw err;
      });
    // Only a refusal can be for the clock (AWS took the time of an answered request): a success is not
    // parsed for its Date, off the sender's path.
    const skewed = res.status >= 400 && this.correctClock(res.headers.date);
    const expected = res.headers['x-amz-crc32'];
    if (expected !== undefined && crc32(res.body) >>> 0 !== Number(expected)) {
      // Damaged on the way: a server-side error (500), so retried.
      throw new AwsError('CRC32CheckFailed', `${call.service}.${call.operation}: the answer does not match its x-amz-crc32`, 500, {}, res.headers['x-amzn-requestid']);
    }
    try {
      return parse(res.status, res.headers, res.body.toString('utf8'));
    } catch (err) {
      if (skewed && CLOCK_SKEW.has((err as Error).name)) (err as { clockCorrected?: boolean }).clockCorrected = true;
      throw err;
    }
  }
}

/** The answer's JSON, or the error it carries, named as the SDK names it. */
function parse(status: number, headers: Record<string, string | undefined>, text: string): unknown {
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not AWS's JSON (a proxy's page, a cut-off answer): an error named by its status, retried as the SDK would a 5xx.
    throw new AwsError(status >= 400 ? `Http${status}` : 'UnparsableResponse', `answer not JSON (HTTP ${status}): ${text.slice(0, 200)}`, status >= 400 ? status : 502, {}, headers['x-amzn-requestid']);
  }
  if (status >= 200 && status < 300) return json;
  const type = String(headers['x-amzn-errortype'] ?? json.__type ?? json.code ?? json.Code ?? `Http${status}`);
  const name = type.split('#').pop()!.split(':')[0];
  const message = String(json.message ?? json.Message ?? name);
  const fields = { ...json };
  delete fields.__type;
  delete fields.message;
  throw new AwsError(name, message, status, fields, headers['x-amzn-requestid']);
}

/** DynamoDB's JSON 1.0 protocol: every operation a POST to `/` with its target. */
export const DYNAMODB: LeanService = {
  name: 'DynamoDB',
  signingName: 'dynamodb',
  endpointEnv: 'DYNAMODB',
  hostPrefix: 'dynamodb',
  route: (operation) => ({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` } }),
};

/** SES v2's REST-JSON protocol: only the operations the mailer sends this way. */
export const SESV2: LeanService = {
  name: 'SES',
  signingName: 'ses',
  endpointEnv: 'SESV2',
  hostPrefix: 'email',
  route: (operation) => {
    if (operation !== 'SendEmail') throw new Error(`SES ${operation} is not sent by the lean client`);
    return { method: 'POST', path: '/v2/email/outbound-emails', headers: { 'content-type': 'application/json' } };
  },
};

/** A DynamoDB AttributeValue map of a flat item (strings, numbers, booleans; undefined left out). */
export type FlatItem = Record<string, string | number | boolean | undefined>;
export function toAttributes(item: FlatItem): Record<string, { S: string } | { N: string } | { BOOL: boolean }> {
  const out: Record<string, { S: string } | { N: string } | { BOOL: boolean }> = {};
  for (const k in item) {
    const v = item[k];
    if (v === undefined) continue;
    if (typeof v === 'string') out[k] = { S: v };
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TypeError(`${k} is not a finite number`);
      out[k] = { N: String(v) };
    } else out[k] = { BOOL: v };
  }
  return out;
}

/** The flat item back from its AttributeValues (S, N, BOOL; other types are left out). */
export function fromAttributes(attrs: Record<string, { S?: string; N?: string; BOOL?: boolean }> | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const k in attrs ?? {}) {
    const a = attrs![k];
    if (a.S !== undefined) out[k] = a.S;
    else if (a.N !== undefined) out[k] = Number(a.N);
    else if (a.BOOL !== undefined) out[k] = a.BOOL;
  }
  return out;
}
