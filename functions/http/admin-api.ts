/**
 * Lambda for the admin routes (JWT verified by the authorizer; the admins group is checked here), and
 * the public OpenAPI document, which is generated from the admin request schemas this function holds.
 */
import { createHttpHandler, routeTable } from '../../shared/http/router.js';
import { allRoutes, wired } from '../../infra/wiring.js';
import { json } from '../../shared/http/responses.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import {
  cancelSeminarRoute,
  createSeminarRoute,
  getSeminarAdminRoute,
  listRegistrationsRoute,
  listSeminarsAdminRoute,
  patchSeminarRoute,
  publishRecordingRoute,
  scheduleSeminarRoute,
  updateSeminarRoute,
} from '../../shared/routes/admin-seminars.js';
import { auditRoute, deliveriesRoute, putEventRoute } from '../../shared/routes/admin-operations.js';
import {
  createDeadlineRoute,
  createSchemeRoute,
  getDeadlineAdminRoute,
  getSchemeAdminRoute,
  listSchemesAdminRoute,
  patchDeadlineRoute,
  patchSchemeRoute,
  updateDeadlineRoute,
  updateSchemeRoute,
} from '../../shared/routes/admin-schemes.js';
import { erasePersonRoute, findPersonRoute } from '../../shared/routes/admin-people.js';

// One handler per route of this function in the wiring (a key missing or extra does not compile);
// each route's auth and throttling come from the wiring.
export const routes = routeTable(wired('admin-api').routes, {
  'GET /openapi.json': async () => json(200, openApiDocument(allRoutes()), { 'cache-control': 'public, max-age=300' }),
  'POST /admin/seminars': createSeminarRoute,
  'GET /admin/seminars': listSeminarsAdminRoute,
  'GET /admin/seminars/{seminarId}': getSeminarAdminRoute,
  'PUT /admin/seminars/{seminarId}': updateSeminarRoute,
  'PATCH /admin/seminars/{seminarId}': patchSeminarRoute,
  'POST /admin/seminars/{seminarId}/schedule': scheduleSeminarRoute,
  'POST /admin/seminars/{seminarId}/cancel': cancelSeminarRoute,
  'POST /admin/seminars/{seminarId}/recording': publishRecordingRoute,
  'GET /admin/seminars/{seminarId}/registrations': listRegistrationsRoute,
  'GET /admin/deliveries': deliveriesRoute,
  'POST /admin/events': putEventRoute,
  'GET /admin/audit': auditRoute,
  'POST /admin/schemes': createSchemeRoute,
  'GET /admin/schemes': listSchemesAdminRoute,
  'GET /admin/schemes/{schemeId}': getSchemeAdminRoute,
  'PUT /admin/schemes/{schemeId}': updateSchemeRoute,
  'PATCH /admin/schemes/{schemeId}': patchSchemeRoute,
  'POST /admin/schemes/{schemeId}/deadlines': createDeadlineRoute,
  'GET /admin/deadlines/{deadlineId}': getDeadlineAdminRoute,
  'PUT /admin/deadlines/{deadlineId}': updateDeadlineRoute,
  'PATCH /admin/deadlines/{deadlineId}': patchDeadlineRoute,
  'GET /admin/people/{email}': findPersonRoute,
  'DELETE /admin/people/{email}': erasePersonRoute,
});

export const handler = createHttpHandler(routes);
