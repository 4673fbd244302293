/**
 * Fuzzing every public route of the wiring with fast-check: path parameters, query strings, tokens,
 * bodies of every shape and content type, Unicode, huge strings, wrong types. Whatever comes in, the
 * answer is never a 5xx, and an error is always a problem+json document or an HTML error page.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../infra/wiring.js';
import { api, apiUrl, daysFromNow } from '../support/local.js';
import { createSeminar } from '../support/seminars.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const publicRoutes = allRoutes().filter((r) => r.auth === 'public');

let seminarId = '';
let schemeId = '';
/** The fuzz seminar's series, so that the series subscription route is fuzzed on a real series too. */
const FUZZ_SERIES = 'fuzz-serie';

const nasty = fc.constantFrom(
  '',
  ' ',
  '%',
  '%E0%A4%A',
  '..',
  '../../etc/passwd',
  'æøå ÆØÅ',
  '😀'.repeat(50),
  '<script>alert(1)</script>',
  "'; DROP TABLE x; --",
  '\u0000',
  '\r\nBcc: x@evil.example',
  'null',
  'undefined',
  '[object Object]',
  '__proto__',
  'constructor',
  'a'.repeat(5_000),
);
const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), nasty);
/** Token-like strings: dotted base64url parts, mangled. */
const token = fc.oneof(
  text,
  fc.tuple(fc.base64String({ maxLength: 120 }), fc.base64String({ maxLength: 60 })).map(([a, b]) => `${a.replace(/=+$/, '')}.${b.replace(/=+$/, '')}`),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{1,60}$/),
);
const jsonValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(null), fc.array(text, { maxLength: 5 }));
/** Bodies that look like a registration or subscription, with fields of every wrong type. */
const almostRight = fc.record(
  {
    email: fc.oneof(fc.emailAddress(), text, jsonValue),
    name: fc.oneof(text, jsonValue),
    organisation: fc.oneof(text, jsonValue),
    mode: fc.oneof(fc.constantFrom('physical', 'digital', 'PHYSICAL', ''), jsonValue),
    digitalIfFull: fc.oneof(fc.boolean(), text, jsonValue),
    joinWaitlist: fc.oneof(fc.boolean(), text, jsonValue),
    language: fc.oneof(fc.constantFrom('nb', 'en', 'sv'), jsonValue),
    token: token,
  },
  { requiredKeys: [] },
);

interface Req {
  path: string;
  query: string;
  body?: string;
  contentType?: string;
  accept?: string;
}

function request(route: { method: string; path: string }): fc.Arbitrary<Req> {
  const param = fc.oneof(
    { weight: 3, arbitrary: fc.constant('known') },
    // Empty, "." and ".." segments never reach a route (URL normalisation; API Gateway's own 404).
    { weight: 5, arbitrary: text.filter((s) => !['', '.', '..'].includes(s)).map((s) => encodeURIComponent(s)) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%00', '%2F', '%C0%AF') },
  );
  const query = fc.oneof(
    fc.constant(''),
    fc.record({ token, lang: fc.oneof(fc.constantFrom('nb', 'en', 'de', ''), text) }, { requiredKeys: [] }).map((q) => new URLSearchParams(q as Record<string, string>).toString()),
    fc.dictionary(text, text, { maxKeys: 4 }).map((q) => new URLSearchParams(q).toString()),
    fc.constantFrom('token', 'token=', 'token=%', '&&&', 'lang[]=en&lang[]=nb', `token=${'x'.repeat(8_000)}`),
  );
  const body = fc.oneof(
    fc.record({ contentType: fc.constant('application/json'), body: fc.oneof(almostRight, jsonValue).map((v) => JSON.stringify(v) ?? '') }),
    fc.record({ contentType: fc.constant('application/json'), body: fc.oneof(text, fc.constantFrom('{', '{"email":', '[1,2', 'nul', '\uFEFF{}')) }),
    fc.record({ contentType: fc.constant('application/x-www-form-urlencoded'), body: almostRight.map((v) => new URLSearchParams(Object.entries(v).map(([k, x]): [string, string] => [k, typeof x === 'string' ? x : (JSON.stringify(x) ?? '')])).toString()) }),
    fc.record({ contentType: fc.constant('application/x-www-form-urlencoded'), body: fc.oneof(text, fc.constantFrom('%', 'a=%ZZ', '=&=', 'List-Unsubscribe=One-Click')) }),
    fc.record({ contentType: fc.constantFrom('text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', ''), body: text }),
    fc.record({ contentType: fc.constant('application/json'), body: fc.constant(JSON.stringify({ email: `${'a'.repeat(300_000)}@example.no`, name: 'x'.repeat(100_000) })) }),
  );
  return fc.record({
    path: fc.array(param, { minLength: 4, maxLength: 4 }).map((ps) => {
      let i = 0;
      return route.path.replace(/\{[^}]+\}/g, () => {
        const p = ps[i++];
        if (p !== 'known') return p;
        return route.path.includes('scheme') ? schemeId : route.path.startsWith('/series/') ? FUZZ_SERIES : seminarId;
      });
    }),
    query,
    accept: fc.constantFrom(undefined, 'text/html', 'application/json', '*/*', 'text/csv'),
    payload: route.method === 'GET' ? fc.constant(undefined) : body,
  }).map(({ path, query, accept, payload }) => ({ path, query, accept, body: payload?.body, contentType: payload?.contentType }));
}

describe('fuzzing the public routes', () => {
  beforeAll(async () => {
    seminarId = await createSeminar({ title: 'Fuzz-seminar', seriesId: FUZZ_SERIES, start: daysFromNow(40, 10), end: daysFromNow(40, 12), capacity: 5, livestream: true });
    const schemes = await api('GET', '/schemes');
    schemeId = schemes.status === 200 ? (schemes.body?.items?.[0]?.id ?? 'none') : 'none';
  });

  it('has public routes to fuzz', () => {
    expect(publicRoutes.length).toBeGreaterThanOrEqual(10);
  });

  for (const route of publicRoutes) {
    it(`${route.method} ${route.path}: never a 5xx, errors always problem+json or an HTML page (${RUNS} requests)`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(request(route), async (r) => {
          const headers: Record<string, string> = {};
          if (r.contentType) headers['content-type'] = r.contentType;
          if (r.accept) headers.accept = r.accept;
          const res = await fetch(`${apiUrl()}${r.path}${r.query ? `?${r.query}` : ''}`, { method: route.method, headers, body: r.body, redirect: 'manual' });
          const body = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${route.method} ${r.path}?${r.query.slice(0, 200)} → ${res.status}: ${body.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) {
            const type = res.headers.get('content-type') ?? '';
            expect(type, `error without a readable body: ${res.status} ${type}`).toMatch(/application\/problem\+json|text\/html/);
            if (type.includes('problem+json')) {
              const doc = JSON.parse(body);
              expect(doc.status).toBe(res.status);
              expect(typeof doc.title).toBe('string');
            }
          }
        }),
        {
          numRuns: RUNS,
          endOnFailure: true,
          // Counterexamples can hold 300 kB strings: report a readable prefix.
          reporter: (out) => {
            if (out.failed) throw new Error(`${String(out.errorInstance ?? '').slice(0, 800)}\ncounterexample: ${JSON.stringify(out.counterexample).slice(0, 800)}`);
          },
        },
      );
      const total = [...statuses.values()].reduce((a, b) => a + b, 0);
      expect(total).toBe(RUNS);
    });
  }
});
