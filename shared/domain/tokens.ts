/**
 * Signed link tokens for the links in emails (confirm, cancel, unsubscribe).
 *
 * Format: `base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, first part))`, the MAC
 * truncated to 128 bits to keep links short (RFC 2104 §5 allows truncation; 128 bits leaves forgery
 * out of reach). For the same reason the payload is a compact JSON array with a two-letter purpose
 * code: `["cr","<sub>",1767225600]` (the expiry left out when there is none). Tokens are not secret (the payload is readable); they
 * cannot be forged or repurposed without the secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm-registration' | 'cancel-registration' | 'stop-seminar-emails' | 'confirm-subscription' | 'unsubscribe';

export const TOKEN_PURPOSES: readonly TokenPurpose[] = [
  'confirm-registration',
  'cancel-registration',
  'stop-seminar-emails',
  'confirm-subscription',
  'unsubscribe',
];

export interface TokenPayload {
  purpose: TokenPurpose;
  /** What the token is about, e.g. a registration or subscription id. */
  sub: string;
  /** Expiry, epoch seconds; absent means the token does not expire. */
  exp?: number;
}

export type TokenFailure = 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired';

export type VerifyResult = { ok: true; payload: TokenPayload } | { ok: false; reason: TokenFailure };

const CODES: Record<TokenPurpose, string> = {
  'confirm-registration': 'cr',
  'cancel-registration': 'xr',
  'stop-seminar-emails': 'sr',
  'confirm-subscription': 'cs',
  unsubscribe: 'us',
};
const PURPOSE_BY_CODE = new Map(Object.entries(CODES).map(([purpose, code]) => [code, purpose as TokenPurpose]));

const MAC_BYTES = 16;
/** Longer input is refused before any work is done. */
const MAX_TOKEN_LENGTH = 2048;
const MAX_SUB_LENGTH = 512;
const B64URL = /^[A-Za-z0-9_-]+$/;

function mac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest().subarray(0, MAC_BYTES);
}

/** A missing secret is a configuration error, not bad input: it throws. Use 32+ random bytes. */
function requireSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) throw new Error('token secret is missing');
}

/** Strict base64url decoding: only canonical encodings (no padding, no stray bits) are accepted. */
function decodeB64url(s: string): Buffer | undefined {
  if (!B64URL.test(s)) return undefined;
  const buf = Buffer.from(s, 'base64url');
  return buf.toString('base64url') === s ? buf : undefined;
}

/** Signs a payload. Throws on a missing secret or an invalid payload (programming errors). */
export function signToken(secret: string, payload: TokenPayload): string {
  requireSecret(secret);
  const code = CODES[payload.purpose];
  if (!code) throw new Error(`unknown token purpose: ${String(payload.purpose)}`);
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > MAX_SUB_LENGTH) {
    throw new Error('token sub must be a non-empty string');
  }
  if (payload.exp !== undefined && (!Number.isSafeInteger(payload.exp) || payload.exp < 0)) {
    throw new Error('token exp must be whole epoch seconds');
  }
  const body: (string | number)[] = payload.exp === undefined ? [code, payload.sub] : [code, payload.sub, payload.exp];
  const encoded = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${encoded}.${mac(secret, encoded).toString('base64url')}`;
}

function parsePayload(encoded: string): TokenPayload | undefined {
  const raw = decodeB64url(encoded);
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return undefined;
  const [p, s, e] = value as unknown[];
  const purpose = typeof p === 'string' ? PURPOSE_BY_CODE.get(p) : undefined;
  if (!purpose) return undefined;
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_SUB_LENGTH) return undefined;
  if (e !== undefined && (typeof e !== 'number' || !Number.isSafeInteger(e) || e < 0)) return undefined;
  return e === undefined ? { purpose, sub: s } : { purpose, sub: s, exp: e };
}

/**
 * Checks a token from a link. Never throws on whatever the token is; the MAC is compared in constant
 * time before the payload is trusted. A token is valid while `nowSeconds < exp`.
 */
export function verifyToken(
  secret: string,
  token: unknown,
  expectedPurpose: TokenPurpose,
  nowSeconds: number,
): VerifyResult {
  requireSecret(secret);
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const encoded = token.slice(0, dot);
  const given = decodeB64url(token.slice(dot + 1));
  if (!B64URL.test(encoded) || !given || given.length !== MAC_BYTES) return { ok: false, reason: 'malformed' };

  if (!timingSafeEqual(given, mac(secret, encoded))) return { ok: false, reason: 'bad-signature' };

  const payload = parsePayload(encoded);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (payload.purpose !== expectedPurpose) return { ok: false, reason: 'wrong-purpose' };
  if (payload.exp !== undefined && !(nowSeconds < payload.exp)) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
