/**
 * How long personal data is kept: registrations, their guard items and the email ledger entries of a
 * seminar expire (DynamoDB TTL on `expiresAt`, which the stack and the local table enable) the
 * configured retention after the seminar ended: RETENTION_DAYS, from the `retentionMonths` context
 * parameter (default 12 months = 365 days).
 */
import { config } from './config.js';

const DAY = 86400;

/** Epoch seconds: `endIso` + the retention period. */
export function expiresAfter(endIso: string, retentionDays = config().retentionDays): number {
  return Math.floor(Date.parse(endIso) / 1000) + retentionDays * DAY;
}

/** Epoch seconds for data not tied to a seminar's end (e.g. a deadline's emails): now + the retention period. */
export function expiresFromNow(nowMs: number, retentionDays = config().retentionDays): number {
  return Math.floor(nowMs / 1000) + retentionDays * DAY;
}
