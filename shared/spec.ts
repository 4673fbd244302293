/**
 * The shape of the wiring (infra/wiring.ts): what a function and a route declare. It lives below both
 * infra/ and shared/ so that the runtime (the HTTP router, the OpenAPI document, the environment the
 * functions get) and the infrastructure (the CDK stack, the local cloud) read the same declarations,
 * and nothing in shared/ imports infra/.
 *
 * Plain types and constants: no SDK or CDK imports.
 */
import type { EventDefinition } from '../events/define.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `admin` routes need a JWT of the ADMIN_GROUP group; `public` routes need nothing. */
export type RouteAuth = 'public' | 'admin';

/**
 * `stage`: the stage-wide throttle only (every route). `write`: a public write route whose every
 * submission sends an email or takes a seat: the tighter route throttle (API Gateway route settings,
 * and the local gateway) and the per-IP and per-address counters (the HTTP router, in DynamoDB). The
 * numbers are in shared/rate-limits.ts.
 */
export type RouteThrottling = 'stage' | 'write';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path syntax: /seminars/{seminarId} */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Defaults to `stage`. */
  readonly throttle?: RouteThrottling;
  readonly summary: string;
}

export interface EventRuleSpec {
  /** Rule name, unique in the wiring. */
  readonly name: string;
  readonly events: readonly EventDefinition[];
}

/**
 * What a function may touch. Its IAM grants (infra/constructs/wired-function.ts) and its environment
 * (`functionEnvironment`, shared/env-names.ts) both come from this one declaration.
 */
export interface Access {
  /** The table; `readwrite` also gets the retention (written items expire). */
  readonly table?: 'read' | 'readwrite';
  /** May put events on the bus. */
  readonly bus?: boolean;
  /** May create, update and delete schedules in the group (and pass the scheduler role). */
  readonly scheduler?: boolean;
  /** May send email through SES (an email carries links to the public site, so this implies `links`). */
  readonly ses?: boolean;
  /** May read the token-signing secret. */
  readonly secret?: boolean;
  /** Writes absolute links to the public site (pages, JSON) without sending email. */
  readonly links?: boolean;
  /**
   * May put notices on the send queue (a fan-out: it pages the recipients and enqueues their ids; the
   * function that `drains` the queue sends). Grants sqs:SendMessage on that queue only.
   */
  readonly notices?: boolean;
}

export interface FunctionSpec {
  /** kebab-case, unique; becomes the construct id. */
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly routes?: readonly RouteSpec[];
  readonly rules?: readonly EventRuleSpec[];
  /**
   * The rules' events reach the function in batches: each rule targets the function's SQS queue, which
   * an event source mapping drains (one invocation per batch on AWS, as locally), with partial-batch
   * failures reported and a dead-letter queue behind it. Without it, each event is its own invocation.
   */
  readonly queue?: QueueSpec;
  /**
   * `notices`: the function drains the send queue (what functions with `access.notices` put on it) with
   * the event source mapping `queue` describes; its concurrency is set from the account's send rate
   * (`senderConcurrency`, shared/email/rate.ts), not by `queue.maxConcurrency`.
   */
  readonly drains?: 'notices';
  readonly access: Access;
}

export interface QueueSpec {
  /** Events per invocation (SQS standard queues: at most 10 without a batching window). */
  readonly batchSize: number;
  /** How long the mapping gathers a batch before it invokes (0–300 s). */
  readonly maxBatchingWindowSeconds: number;
  /** Batches at once (the event source mapping's maximum concurrency, at least 2). */
  readonly maxConcurrency: number;
  /** Receives before an event goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
}

/** The Cognito group whose members may use the admin routes. */
export const ADMIN_GROUP = 'admins';

/** Route key as API Gateway writes it in payload 2.0 (`GET /seminars/{seminarId}`). */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The route keys of a list of routes declared `as const`, as a union of string literals. */
export type RouteKeyOf<R extends readonly RouteSpec[]> = R[number] extends infer X
  ? X extends RouteSpec
    ? `${X['method']} ${X['path']}`
    : never
  : never;

/** A route's throttling, with its default. */
export const throttlingOf = (r: Pick<RouteSpec, 'throttle'>): RouteThrottling => r.throttle ?? 'stage';
