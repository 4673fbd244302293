import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, TOKEN_PURPOSES, verifyToken, type TokenPurpose } from '../../shared/domain/tokens.js';

const SECRET = 'test-secret-0123456789abcdef0123456789';
const NOW = 1_780_000_000;

describe('signToken / verifyToken', () => {
  it('round-trips every purpose', () => {
    for (const purpose of TOKEN_PURPOSES) {
      const token = signToken(SECRET, { purpose, sub: 'reg_01HXYZ', exp: NOW + 3600 });
      expect(verifyToken(SECRET, token, purpose, NOW)).toEqual({
        ok: true,
        payload: { purpose, sub: 'reg_01HXYZ', exp: NOW + 3600 },
      });
    }
  });

  it('makes URL-safe, short tokens', () => {
    const token = signToken(SECRET, { purpose: 'cancel-registration', sub: 'reg_01J9Z3K6X2V7Q8R5T4N3M2P1AB', exp: NOW });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(100);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('accepts a token without expiry', () => {
    const token = signToken(SECRET, { purpose: 'unsubscribe', sub: 'sub_1' });
    expect(verifyToken(SECRET, token, 'unsubscribe', Number.MAX_SAFE_INTEGER)).toEqual({
      ok: true,
      payload: { purpose: 'unsubscribe', sub: 'sub_1' },
    });
  });

  it('keeps non-ASCII subjects intact', () => {
    const token = signToken(SECRET, { purpose: 'unsubscribe', sub: 'Åse Ødegård' });
    const r = verifyToken(SECRET, token, 'unsubscribe', NOW);
    expect(r.ok && r.payload.sub).toBe('Åse Ødegård');
  });

  it('refuses a token for another purpose', () => {
    const token = signToken(SECRET, { purpose: 'confirm-registration', sub: 'reg_1' });
    expect(verifyToken(SECRET, token, 'cancel-registration', NOW)).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('expires at exp', () => {
    const token = signToken(SECRET, { purpose: 'confirm-registration', sub: 'reg_1', exp: NOW });
    expect(verifyToken(SECRET, token, 'confirm-registration', NOW - 1).ok).toBe(true);
    expect(verifyToken(SECRET, token, 'confirm-registration', NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(SECRET, token, 'confirm-registration', NaN)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another secret', () => {
    const token = signToken(SECRET, { purpose: 'unsubscribe', sub: 'sub_1' });
    expect(verifyToken('another-secret-0123456789abcdef', token, 'unsubscribe', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a payload changed after signing', () => {
    const token = signToken(SECRET, { purpose: 'confirm-registration', sub: 'reg_1', exp: NOW + 10 });
    const [, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify(['cr', 'reg_1', NOW + 1e6])).toString('base64url');
    expect(verifyToken(SECRET, `${forged}.${sig}`, 'confirm-registration', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('checks the signature before the purpose and expiry', () => {
    const token = signToken('another-secret-0123456789abcdef', { purpose: 'unsubscribe', sub: 's', exp: 1 });
    expect(verifyToken(SECRET, token, 'confirm-registration', NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('says malformed for structural garbage', () => {
    for (const garbage of ['', '.', 'abc', 'a.b.c', '.abc', 'abc.', 'ab+c.def', 'a'.repeat(5000), 'abc.ZZZZ', '😀.😀']) {
      expect(verifyToken(SECRET, garbage, 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
    for (const notString of [undefined, null, 42, {}, ['a.b']]) {
      expect(verifyToken(SECRET, notString, 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('says malformed for a correctly signed payload of the wrong shape', () => {
    const sign = (json: string) => {
      const enc = Buffer.from(json).toString('base64url');
      const mac = createHmac('sha256', SECRET).update(enc).digest().subarray(0, 16).toString('base64url');
      return `${enc}.${mac}`;
    };
    expect(verifyToken(SECRET, sign('["us","x"]'), 'unsubscribe', NOW).ok).toBe(true);
    for (const json of [
      'not json',
      '[]',
      'null',
      '{"p":"us","s":"x"}',
      '["zz","x"]',
      '["us",""]',
      '["us",1]',
      '["us","x","1"]',
      '["us","x",1.5]',
      '["us","x",1,2]',
    ]) {
      expect(verifyToken(SECRET, sign(json), 'unsubscribe', NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses bad input to signToken', () => {
    expect(() => signToken('', { purpose: 'unsubscribe', sub: 's' })).toThrow();
    expect(() => signToken(SECRET, { purpose: 'unsubscribe', sub: '' })).toThrow();
    expect(() => signToken(SECRET, { purpose: 'nope' as TokenPurpose, sub: 's' })).toThrow();
    expect(() => signToken(SECRET, { purpose: 'unsubscribe', sub: 's', exp: 1.5 })).toThrow();
  });
});

describe('verifyToken fuzzing', () => {
  const purpose = fc.constantFrom(...TOKEN_PURPOSES);

  it('never throws and never accepts arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), purpose, (s, p) => {
        const r = verifyToken(SECRET, s, p, NOW);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on base64url-shaped garbage', () => {
    const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{0,80}$/);
    fc.assert(
      fc.property(b64, b64, purpose, (a, b, p) => {
        const r = verifyToken(SECRET, `${a}.${b}`, p, NOW);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any subject and refuses any single-character change', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100 }),
        purpose,
        fc.option(fc.integer({ min: NOW + 1, max: NOW + 1e8 }), { nil: undefined }),
        fc.nat(),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!'),
        (sub, p, exp, at, ch) => {
          const token = signToken(SECRET, { purpose: p, sub, exp });
          const ok = verifyToken(SECRET, token, p, NOW);
          expect(ok).toEqual({ ok: true, payload: exp === undefined ? { purpose: p, sub } : { purpose: p, sub, exp } });
          const i = at % token.length;
          if (token[i] === ch) return;
          const tampered = token.slice(0, i) + ch + token.slice(i + 1);
          expect(verifyToken(SECRET, tampered, p, NOW).ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
