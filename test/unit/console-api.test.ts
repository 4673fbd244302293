/**
 * The console's typed client (console/src/api.d.ts, openapi-typescript) is generated from the document
 * the API serves at GET /openapi.json; this fails when the committed file drifts from it. Fix with
 * `npm run console:api`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_PATH, apiTypes } from '../../console/api-types.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import { allRoutes } from '../../infra/wiring.js';

describe("the console's API types", () => {
  it('match the served OpenAPI document (run `npm run console:api` after changing the API)', async () => {
    const committed = readFileSync(API_TYPES_PATH, 'utf8');
    expect(committed, 'console/src/api.d.ts is stale: run `npm run console:api`').toBe(await apiTypes());
  });

  it('type every admin route of the document', () => {
    const doc = openApiDocument(allRoutes()) as { paths: Record<string, Record<string, unknown>> };
    const committed = readFileSync(API_TYPES_PATH, 'utf8');
    const adminPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/admin/'));
    expect(adminPaths.length).toBeGreaterThan(10);
    for (const p of adminPaths) expect(committed).toContain(`"${p}": {`);
  });
});
