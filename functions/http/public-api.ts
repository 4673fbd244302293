/** Lambda for the public routes. Each route key maps to a thin route handler. */
import { createHttpHandler, type RouteTable } from '../../shared/http/router.js';
import { json } from '../../shared/http/responses.js';
import { getPublicSeminarRoute, listPublicSeminarsRoute } from '../seminars/public-seminars.js';
import { openApiDocument } from '../../shared/http/openapi.js';

export const routes: RouteTable = {
  'GET /health': { handler: async () => json(200, { status: 'ok' }, { 'cache-control': 'no-store' }) },
  'GET /openapi.json': { handler: async () => json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' }) },
  'GET /seminars': { handler: listPublicSeminarsRoute },
  'GET /seminars/{seminarId}': { handler: getPublicSeminarRoute },
};

export const handler = createHttpHandler(routes);
