/**
 * The keyed hash that stands for a person's email address (normalised: shared/domain/primitives.ts)
 * where it must not appear in clear: erasure receipts, anonymised ledger entries, the audit log,
 * rate-limit counters. HMAC-SHA256 with the stack's secret key, so the hash cannot be reversed by
 * hashing guessed addresses without that key.
 */
import { createHmac } from 'node:crypto';
import { tokenSecret } from './aws/secret.js';
import { normaliseEmail } from './domain/primitives.js';

/** 32 hex characters (128 bits) of HMAC-SHA256(secret, `<label>:<value>`). */
export async function keyedHash(label: string, value: string): Promise<string> {
  return createHmac('sha256', await tokenSecret()).update(`${label}:${value}`).digest('hex').slice(0, 32);
}

/** The anonymous stand-in for an email address. */
export const personHash = (email: string): Promise<string> => keyedHash('person', normaliseEmail(email));
