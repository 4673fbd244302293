/**
 * Rate limits raised for clouds that tests drive hard from 127.0.0.1 (the shared test cloud, the crash
 * test's): the route throttles, the per-IP bucket and counter. The per-address limit keeps its default
 * (tests use a fresh address each); test/integration/rate-limits.test.ts and fair-throttling.test.ts check
 * every limit at its real value.
 */
export const RAISED_RATE_LIMITS = {
  RATE_LIMIT_STAGE_RPS: '100000',
  RATE_LIMIT_STAGE_BURST: '100000',
  RATE_LIMIT_ROUTE_RPS: '100000',
  RATE_LIMIT_ROUTE_BURST: '100000',
  RATE_LIMIT_PER_IP_RPS: '100000',
  RATE_LIMIT_PER_IP_BURST: '100000',
  RATE_LIMIT_PER_IP: '1000000',
} as const;
