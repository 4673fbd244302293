/**
 * The OpenAPI document (`GET /openapi.json`, served by the admin API function) is generated from the
 * wiring and from the zod/mini schemas the handlers validate with: every route, and request bodies with
 * their limits, defaults and descriptions as JSON Schema.
 */
import { describe, expect, it } from 'vitest';
import { allRoutes, functions } from '../../infra/wiring.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { routes as adminRoutes } from '../../functions/http/admin-api.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = openApiDocument(allRoutes()) as Json;
const body = (path: string, method: string): Json => doc.paths[path][method].requestBody.content['application/json'].schema;

describe('OpenAPI document', () => {
  it('has every route of the wiring, admin routes with the bearer scheme', () => {
    for (const r of allRoutes()) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op.tags).toEqual([r.auth]);
      if (r.auth === 'admin') expect(op.security).toEqual([{ bearer: [] }]);
      else expect(op.security).toBeUndefined();
    }
    expect(doc.openapi).toBe('3.1.0');
  });

  it('is served, without a token, by the function that holds the admin schemas', () => {
    const spec = functions.find((f) => f.routes?.some((r) => r.path === '/openapi.json'))!;
    expect(spec.name).toBe('admin-api');
    expect(spec.routes!.find((r) => r.path === '/openapi.json')!.auth).toBe('public');
    expect(adminRoutes['GET /openapi.json'].auth).toBe('public');
  });

  it('request bodies carry the schemas’ limits, defaults, requirements and descriptions', () => {
    const seminar = body('/admin/seminars', 'post');
    expect(seminar.required).toEqual(['title', 'start', 'end', 'capacity']);
    expect(seminar.properties.capacity).toEqual({ type: 'integer', minimum: 0, maximum: 100000 });
    expect(seminar.properties.language).toEqual({ default: 'nb', type: 'string', enum: ['nb', 'en'] });
    expect(seminar.properties.reminderOffsetsMinutes).toEqual({ default: [1440], maxItems: 10, type: 'array', items: { type: 'integer', minimum: 5, maximum: 86400 } });
    expect(seminar.properties.eligibility.oneOf.map((o: Json) => o.properties.kind.const)).toEqual(['open', 'restricted']);

    const registration = body('/seminars/{seminarId}/registrations', 'post');
    expect(registration.required).toEqual(['email', 'name', 'mode']);
    expect(registration.properties.email).toEqual({ type: 'string', maxLength: 254 });
    expect(registration.properties.digitalIfFull).toEqual({ default: false, type: 'boolean' });

    const update = body('/admin/deadlines/{deadlineId}', 'put');
    expect(update.required).toBeUndefined();
    expect(update.properties.deadline.description).toMatch(/^ISO 8601 time with offset, or a date YYYY-MM-DD/);
    expect(update.properties.guidanceSessions.items).toEqual({ type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
    expect(body('/admin/schemes', 'post').properties.url).toMatchObject({ type: 'string', format: 'uri' });
  });

  it('documents the PATCH routes as JSON merge patches: both media types, every field optional and nullable', () => {
    for (const [path, post] of [
      ['/admin/seminars/{seminarId}', ['/admin/seminars', 'post']],
      ['/admin/schemes/{schemeId}', ['/admin/schemes', 'post']],
      ['/admin/deadlines/{deadlineId}', ['/admin/schemes/{schemeId}/deadlines', 'post']],
    ] as const) {
      const op = doc.paths[path].patch;
      expect(Object.keys(op.requestBody.content)).toEqual(['application/merge-patch+json', 'application/json']);
      const patch = op.requestBody.content['application/merge-patch+json'].schema;
      expect(patch.required).toBeUndefined();
      expect(Object.keys(patch.properties).sort()).toEqual(Object.keys(body(post[0], post[1]).properties).sort());
      for (const p of Object.values(patch.properties) as Json[]) expect(p.anyOf.some((a: Json) => a.type === 'null'), JSON.stringify(p)).toBe(true);
      expect(op.description).toContain('RFC 7396');
    }
    expect(doc.paths['/admin/seminars/{seminarId}/registrations'].get.description).toMatch(/delimiter=semicolon.*\?sep=semicolon.*Oslo time with the offset/);
    expect(doc.paths['/admin/people/{email}'].get.description).toContain('person index');
    expect(doc.paths['/admin/audit'].get.description).toMatch(/`actor`.*`action`.*`cursor`/);
  });
});
