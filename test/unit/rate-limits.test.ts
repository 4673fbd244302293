/** The rate-limit numbers (one config for the stack and the local gateway) and the route throttle's token bucket. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, rateLimitEnvironment, rateLimitsFrom, RouteThrottle } from '../../shared/rate-limits.js';
import { DEFAULT_THROTTLE, WRITE_ROUTE_THROTTLE } from '../../infra/stack.js';
import { allRoutes, routeKey, throttlingOf } from '../../infra/wiring.js';

describe('rate-limit configuration', () => {
  it('the stack throttles with the same numbers the local gateway uses', () => {
    expect(DEFAULT_THROTTLE).toEqual(DEFAULT_RATE_LIMITS.stage);
    expect(WRITE_ROUTE_THROTTLE).toEqual(DEFAULT_RATE_LIMITS.writeRoute);
    expect(WRITE_ROUTE_THROTTLE.rateLimit).toBeLessThan(DEFAULT_THROTTLE.rateLimit);
  });

  it('the wiring throttles the public write routes that send email; admin, read and token routes are not', () => {
    const throttling = Object.fromEntries(allRoutes().map((r) => [routeKey(r), throttlingOf(r)]));
    expect(Object.keys(throttling).filter((k) => throttling[k] === 'write').sort()).toEqual([
      'POST /schemes/{schemeId}/subscriptions',
      'POST /seminars/{seminarId}/registrations',
      'POST /series/{seriesId}/subscriptions',
    ]);
    for (const r of allRoutes().filter((x) => throttlingOf(x) === 'write')) expect(r.auth, routeKey(r)).toBe('public');
    expect(throttling['GET /seminars/{seminarId}/register']).toBe('stage');
    expect(throttling['POST /admin/seminars']).toBe('stage');
    expect(throttling['POST /registrations/confirm']).toBe('stage');
  });

  it('every number can be overridden by the environment; 0 turns a counter off; nonsense is refused', () => {
    const l = rateLimitsFrom({
      RATE_LIMIT_STAGE_RPS: '1000',
      RATE_LIMIT_STAGE_BURST: '2000',
      RATE_LIMIT_ROUTE_RPS: '500',
      RATE_LIMIT_ROUTE_BURST: '600',
      RATE_LIMIT_PER_IP_RPS: '3',
      RATE_LIMIT_PER_IP_BURST: '9',
      RATE_LIMIT_PER_IP: '0',
      RATE_LIMIT_PER_IP_WINDOW_SECONDS: '60',
      RATE_LIMIT_PER_ADDRESS: '3',
      RATE_LIMIT_PER_ADDRESS_WINDOW_SECONDS: '120',
    });
    expect(l).toEqual({
      stage: { rateLimit: 1000, burstLimit: 2000 },
      writeRoute: { rateLimit: 500, burstLimit: 600 },
      perIpThrottle: { rateLimit: 3, burstLimit: 9 },
      perIp: { max: 0, windowSeconds: 60 },
      perAddress: { max: 3, windowSeconds: 120 },
    });
    expect(rateLimitsFrom({})).toEqual(DEFAULT_RATE_LIMITS);
    expect(() => rateLimitsFrom({ RATE_LIMIT_PER_IP: 'lots' })).toThrow(/RATE_LIMIT_PER_IP must be a number/);
    expect(() => rateLimitsFrom({ RATE_LIMIT_ROUTE_BURST: '0' })).toThrow(/RATE_LIMIT_ROUTE_BURST/);
    expect(rateLimitEnvironment()).toEqual({
      RATE_LIMIT_PER_IP: String(DEFAULT_RATE_LIMITS.perIp.max),
      RATE_LIMIT_PER_IP_WINDOW_SECONDS: String(DEFAULT_RATE_LIMITS.perIp.windowSeconds),
      RATE_LIMIT_PER_ADDRESS: String(DEFAULT_RATE_LIMITS.perAddress.max),
      RATE_LIMIT_PER_ADDRESS_WINDOW_SECONDS: String(DEFAULT_RATE_LIMITS.perAddress.windowSeconds),
    });
  });
});

describe('route throttle (token bucket per route, as API Gateway)', () => {
  const throttle = () => new RouteThrottle({ stage: { rateLimit: 2, burstLimit: 4 }, writeRoute: { rateLimit: 0.5, burstLimit: 2 } });

  it('lets the burst through, then refuses with the seconds until the next token', () => {
    const t = throttle();
    const key = 'GET /seminars';
    for (let i = 0; i < 4; i++) expect(t.take(key, 'stage', 1000)).toEqual({ ok: true });
    expect(t.take(key, 'stage', 1000)).toEqual({ ok: false, retryAfterSeconds: 1, limit: 'route' });
    // Two tokens a second: after 500 ms one more request passes, and only one.
    expect(t.take(key, 'stage', 1500)).toEqual({ ok: true });
    expect(t.take(key, 'stage', 1500).ok).toBe(false);
    // A long pause refills up to the burst, never beyond.
    for (let i = 0; i < 4; i++) expect(t.take(key, 'stage', 60_000).ok).toBe(true);
    expect(t.take(key, 'stage', 60_000).ok).toBe(false);
  });

  it('write routes get the tighter limit, and each route has its own bucket', () => {
    const t = throttle();
    const write = 'POST /seminars/{seminarId}/registrations';
    expect(t.take(write, 'write', 0).ok).toBe(true);
    expect(t.take(write, 'write', 0).ok).toBe(true);
    expect(t.take(write, 'write', 0)).toEqual({ ok: false, retryAfterSeconds: 2, limit: 'route' });
    expect(t.take('GET /seminars', 'stage', 0).ok).toBe(true);
    expect(t.take(write, 'write', 2000).ok).toBe(true);
  });

  it('on a write route the bucket of the client address is taken first: a request refused for its address takes nothing from the shared bucket', () => {
    const t = new RouteThrottle({ stage: { rateLimit: 2, burstLimit: 4 }, writeRoute: { rateLimit: 1, burstLimit: 3 }, perIpThrottle: { rateLimit: 0.1, burstLimit: 1 } });
    const write = 'POST /seminars/{seminarId}/registrations';
    expect(t.take(write, 'write', 0, '203.0.113.9')).toEqual({ ok: true });
    // A flood from one address: every further request is refused for the address…
    for (let i = 0; i < 50; i++) expect(t.take(write, 'write', 0, '203.0.113.9')).toEqual({ ok: false, retryAfterSeconds: 10, limit: 'ip' });
    // …and the shared bucket still holds the other two tokens for two other addresses.
    expect(t.take(write, 'write', 0, '198.51.100.1')).toEqual({ ok: true });
    expect(t.take(write, 'write', 0, '198.51.100.2')).toEqual({ ok: true });
    expect(t.take(write, 'write', 0, '198.51.100.3')).toEqual({ ok: false, retryAfterSeconds: 1, limit: 'route' });
    // Read routes keep only their route bucket, per address or not.
    for (let i = 0; i < 4; i++) expect(t.take('GET /seminars', 'stage', 0, '203.0.113.9').ok).toBe(true);
  });

  it('the production numbers: the shared write bucket outlasts a peak plus one flooding address; the per-address bucket lets an office through', () => {
    const { writeRoute, perIpThrottle, stage } = DEFAULT_RATE_LIMITS;
    // ~30 submissions/s at a popular seminar's opening plus one address at 50/s, on AWS where the
    // per-address counter runs after API Gateway's bucket.
    expect(writeRoute.rateLimit).toBeGreaterThanOrEqual(30 + 50);
    expect(writeRoute.burstLimit).toBeGreaterThanOrEqual(60 + 50);
    expect(stage.rateLimit).toBeGreaterThanOrEqual(writeRoute.rateLimit);
    // 30 colleagues behind one NAT address in the first minute.
    expect(perIpThrottle.burstLimit).toBeGreaterThanOrEqual(30);
    expect(perIpThrottle.rateLimit).toBeLessThan(writeRoute.rateLimit / 10);
  });
});
