/**
 * The rate limits of the public routes, in one place: the CDK stack (API Gateway stage and route
 * throttling, and the environment of the functions), the local gateway (the same throttling) and the
 * HTTP router (the per-IP and per-address counters in DynamoDB) all read them from here.
 *
 * Two layers:
 * - **Throttling** (token bucket per route, like API Gateway's route settings): every route gets the
 *   stage default; the public write routes that send email get a tighter one. Which routes those are
 *   is declared on the route in the wiring (`throttle: 'write'`, infra/wiring.ts).
 * - **Counters** (fixed window, one conditional DynamoDB counter item per window with a TTL): per
 *   client IP and per email address, on the same write routes. They work the same on AWS and locally.
 *
 * Every number can be changed with an environment variable (tests and benchmarks raise them); `0`
 * turns a counter off. Plain data: no SDK or CDK imports.
 */
import { perEnvironment } from './config.js';
import { Env } from './env-names.js';
import type { RouteThrottling } from './spec.js';

export interface Throttle {
  /** Steady requests per second. */
  rateLimit: number;
  /** Bucket size: requests allowed at once. */
  burstLimit: number;
}

export interface WindowLimit {
  /** Requests allowed per window; 0 means no limit. */
  max: number;
  windowSeconds: number;
}

export interface RateLimits {
  /** Every route (API Gateway DefaultRouteSettings; per route, not shared). */
  stage: Throttle;
  /** The public write routes (`throttle: 'write'` in the wiring). */
  writeRoute: Throttle;
  /** Submissions per client IP on the write routes. */
  perIp: WindowLimit;
  /** Submissions per email address (the body's `email`) on the write routes. */
  perAddress: WindowLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  stage: { rateLimit: 50, burstLimit: 100 },
  writeRoute: { rateLimit: 10, burstLimit: 20 },
  // A whole agency may sit behind one NAT address; 100 sign-ups in 10 minutes is still far from a flood.
  perIp: { max: 100, windowSeconds: 600 },
  // One person has no reason to submit more than a few times an hour; each submission sends an email.
  perAddress: { max: 5, windowSeconds: 3600 },
};

/** Environment variables that override each number. */
export const RateLimitEnv = {
  stageRate: Env.rateLimitStageRps,
  stageBurst: Env.rateLimitStageBurst,
  routeRate: Env.rateLimitRouteRps,
  routeBurst: Env.rateLimitRouteBurst,
  perIp: Env.rateLimitPerIp,
  perIpWindow: Env.rateLimitPerIpWindowSeconds,
  perAddress: Env.rateLimitPerAddress,
  perAddressWindow: Env.rateLimitPerAddressWindowSeconds,
} as const;

function num(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`Invalid environment: ${name} must be a number ≥ ${min}; got ${JSON.stringify(raw)}`);
  return n;
}

/** The limits with the environment's overrides applied. */
export function rateLimitsFrom(env: Record<string, string | undefined>, base: RateLimits = DEFAULT_RATE_LIMITS): RateLimits {
  return {
    stage: { rateLimit: num(env, RateLimitEnv.stageRate, base.stage.rateLimit, 0.001), burstLimit: num(env, RateLimitEnv.stageBurst, base.stage.burstLimit, 1) },
    writeRoute: { rateLimit: num(env, RateLimitEnv.routeRate, base.writeRoute.rateLimit, 0.001), burstLimit: num(env, RateLimitEnv.routeBurst, base.writeRoute.burstLimit, 1) },
    perIp: { max: Math.floor(num(env, RateLimitEnv.perIp, base.perIp.max, 0)), windowSeconds: num(env, RateLimitEnv.perIpWindow, base.perIp.windowSeconds, 1) },
    perAddress: {
      max: Math.floor(num(env, RateLimitEnv.perAddress, base.perAddress.max, 0)),
      windowSeconds: num(env, RateLimitEnv.perAddressWindow, base.perAddress.windowSeconds, 1),
    },
  };
}

/** The environment the stack hands the functions (the counters are enforced in the function). */
export function rateLimitEnvironment(l: RateLimits = DEFAULT_RATE_LIMITS): Record<string, string> {
  return {
    [RateLimitEnv.perIp]: String(l.perIp.max),
    [RateLimitEnv.perIpWindow]: String(l.perIp.windowSeconds),
    [RateLimitEnv.perAddress]: String(l.perAddress.max),
    [RateLimitEnv.perAddressWindow]: String(l.perAddress.windowSeconds),
  };
}

/** Parsed once per environment (a cold start), like the rest of the configuration. */
export const rateLimits: () => RateLimits = perEnvironment((env) => rateLimitsFrom(env));

/**
 * A token bucket per route, as API Gateway throttles: `take` answers whether a request may pass now,
 * and if not, in how many seconds the next token comes (the Retry-After).
 */
export class RouteThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limits: Pick<RateLimits, 'stage' | 'writeRoute'>) {}

  limitFor(throttling: RouteThrottling): Throttle {
    return throttling === 'write' ? this.limits.writeRoute : this.limits.stage;
  }

  /** One request on the route `routeKey`, whose throttling the wiring declares. */
  take(routeKey: string, throttling: RouteThrottling, nowMs = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const { rateLimit, burstLimit } = this.limitFor(throttling);
    const b = this.buckets.get(routeKey) ?? { tokens: burstLimit, at: nowMs };
    b.tokens = Math.min(burstLimit, b.tokens + ((nowMs - b.at) / 1000) * rateLimit);
    b.at = nowMs;
    this.buckets.set(routeKey, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rateLimit)) };
  }
}
