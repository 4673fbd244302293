/**
 * The rate limits of the public routes, in one place: the CDK stack (API Gateway stage and route
 * throttling, and the environment of the functions), the local gateway (the same throttling) and the
 * HTTP router (the per-IP and per-address counters in DynamoDB) all read them from here.
 *
 * Two layers:
 * - **Throttling** (token bucket per route, like API Gateway's route settings): every route gets the
 *   stage default; the public write routes that send email get their own. Which routes those are
 *   is declared on the route in the wiring (`throttle: 'write'`, infra/wiring.ts). A route's bucket is
 *   shared by every client, so it is sized for real peaks plus one flooding address (below); locally
 *   the gateway also keeps a bucket per client IP on the write routes, taken BEFORE the shared one, so
 *   a request refused for its address never empties the bucket everyone else needs.
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
  /** The public write routes (`throttle: 'write'` in the wiring): one bucket per route, shared by all clients. */
  writeRoute: Throttle;
  /**
   * Per client IP on the write routes, taken before the route's shared bucket (the local gateway; an
   * HTTP API cannot have a WAF web ACL, so on AWS the function's per-IP counter below is the per-address
   * layer, and `writeRoute` is sized so that one address's flood cannot empty it).
   */
  perIpThrottle: Throttle;
  /** Submissions per client IP on the write routes. */
  perIp: WindowLimit;
  /** Submissions per email address (the body's `email`) on the write routes. */
  perAddress: WindowLimit;
}

/*
 * Sizing for real peaks. A popular seminar opens: the announcement reaches ~1,500 people (the largest
 * fan-out we test), and ~600 of them register in the first minute, a third of those in the first ten
 * seconds: 200 in 10 s, a peak of ~20–30 submissions a second, with bursts of ~60 in a second. Add one
 * flooding address at 50 requests/s, which on AWS reaches the shared bucket before the function refuses
 * it: 30 + 50 = 80/s < 100/s, and a burst of 200 holds the first seconds' 60 + 50 with room to spare.
 * The stage default (every other route, each its own bucket) is twice that: the pages are cheap reads.
 * Per IP, a whole agency behind one NAT address registering in the first minute (say 30 people) fits in
 * a burst of 30 with 2 a second after it.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  stage: { rateLimit: 200, burstLimit: 400 },
  writeRoute: { rateLimit: 100, burstLimit: 200 },
  perIpThrottle: { rateLimit: 2, burstLimit: 30 },
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
  perIpRate: Env.rateLimitPerIpRps,
  perIpBurst: Env.rateLimitPerIpBurst,
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
    perIpThrottle: {
      rateLimit: num(env, RateLimitEnv.perIpRate, base.perIpThrottle.rateLimit, 0.001),
      burstLimit: num(env, RateLimitEnv.perIpBurst, base.perIpThrottle.burstLimit, 1),
    },
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

export type ThrottleResult = { ok: true } | { ok: false; retryAfterSeconds: number; limit: 'route' | 'ip' };

/**
 * A token bucket per route, as API Gateway throttles, and on the write routes one per client IP taken
 * first: `take` answers whether a request may pass now, and if not, which limit refused it and in how
 * many seconds the next token comes (the Retry-After). A request refused for its IP takes nothing from
 * the route's shared bucket. Idle per-IP buckets (full again) are forgotten, so a spray of addresses
 * cannot grow the map without bound.
 */
export class RouteThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perIp = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limits: Pick<RateLimits, 'stage' | 'writeRoute'> & Partial<Pick<RateLimits, 'perIpThrottle'>>) {}

  limitFor(throttling: RouteThrottling): Throttle {
    return throttling === 'write' ? this.limits.writeRoute : this.limits.stage;
  }

  /** One request from `sourceIp` on the route `routeKey`, whose throttling the wiring declares. */
  take(routeKey: string, throttling: RouteThrottling, nowMs = Date.now(), sourceIp?: string): ThrottleResult {
    const ipLimit = this.limits.perIpThrottle;
    if (throttling === 'write' && ipLimit && sourceIp !== undefined) {
      if (this.perIp.size > 10_000) this.forgetFullBuckets(ipLimit, nowMs);
      const wait = takeToken(this.perIp, sourceIp, ipLimit, nowMs);
      if (wait > 0) return { ok: false, retryAfterSeconds: wait, limit: 'ip' };
    }
    const wait = takeToken(this.buckets, routeKey, this.limitFor(throttling), nowMs);
    return wait > 0 ? { ok: false, retryAfterSeconds: wait, limit: 'route' } : { ok: true };
  }

  private forgetFullBuckets({ rateLimit, burstLimit }: Throttle, nowMs: number): void {
    for (const [ip, b] of this.perIp) if (b.tokens + ((nowMs - b.at) / 1000) * rateLimit >= burstLimit) this.perIp.delete(ip);
  }
}

/** Refills `key`'s bucket to now and takes a token: 0 when it passes, else the seconds until the next token. */
function takeToken(buckets: Map<string, { tokens: number; at: number }>, key: string, { rateLimit, burstLimit }: Throttle, nowMs: number): number {
  const b = buckets.get(key) ?? { tokens: burstLimit, at: nowMs };
  b.tokens = Math.min(burstLimit, b.tokens + ((nowMs - b.at) / 1000) * rateLimit);
  b.at = nowMs;
  buckets.set(key, b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / rateLimit));
}
