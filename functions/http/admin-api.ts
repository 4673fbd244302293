/**
 * Lambda for the admin routes (JWT verified by the authorizer; the admins group is checked here), and
 * the public OpenAPI document, which is generated from the admin request schemas this function holds.
 */
import { createHttpHandler, type RouteTable } from '../../shared/http/router.js';
import { json } from '../../shared/http/responses.js';
import { openApiDocument } from '../../shared/http/openapi.js';
import {
  cancelSeminarRoute,
  createSeminarRoute,
  getSeminarAdminRoute,
  listRegistrationsRoute,
  listSeminarsAdminRoute,
  publishRecordingRoute,
  scheduleSeminarRoute,
  updateSeminarRoute,
} from '../seminars/admin-seminars.js';
import { auditRoute, deliveriesRoute, putEventRoute } from '../admin/admin-operations.js';
import {
  createDeadlineRoute,
  createSchemeRoute,
  getDeadlineAdminRoute,
  getSchemeAdminRoute,
  listSchemesAdminRoute,
  updateDeadlineRoute,
  updateSchemeRoute,
} from '../schemes/admin-schemes.js';
import { erasePersonRoute } from '../admin/admin-people.js';

export const routes: RouteTable = {
  'GET /openapi.json': { handler: async () => json(200, openApiDocument(), { 'cache-control': 'public, max-age=300' }) },
  'POST /admin/seminars': { handler: createSeminarRoute, admin: true },
  'GET /admin/seminars': { handler: listSeminarsAdminRoute, admin: true },
  'GET /admin/seminars/{seminarId}': { handler: getSeminarAdminRoute, admin: true },
  'PUT /admin/seminars/{seminarId}': { handler: updateSeminarRoute, admin: true },
  'POST /admin/seminars/{seminarId}/schedule': { handler: scheduleSeminarRoute, admin: true },
  'POST /admin/seminars/{seminarId}/cancel': { handler: cancelSeminarRoute, admin: true },
  'POST /admin/seminars/{seminarId}/recording': { handler: publishRecordingRoute, admin: true },
  'GET /admin/seminars/{seminarId}/registrations': { handler: listRegistrationsRoute, admin: true },
  'GET /admin/deliveries': { handler: deliveriesRoute, admin: true },
  'POST /admin/events': { handler: putEventRoute, admin: true },
  'GET /admin/audit': { handler: auditRoute, admin: true },
  'POST /admin/schemes': { handler: createSchemeRoute, admin: true },
  'GET /admin/schemes': { handler: listSchemesAdminRoute, admin: true },
  'GET /admin/schemes/{schemeId}': { handler: getSchemeAdminRoute, admin: true },
  'PUT /admin/schemes/{schemeId}': { handler: updateSchemeRoute, admin: true },
  'POST /admin/schemes/{schemeId}/deadlines': { handler: createDeadlineRoute, admin: true },
  'GET /admin/deadlines/{deadlineId}': { handler: getDeadlineAdminRoute, admin: true },
  'PUT /admin/deadlines/{deadlineId}': { handler: updateDeadlineRoute, admin: true },
  'DELETE /admin/people/{email}': { handler: erasePersonRoute, admin: true },
};

export const handler = createHttpHandler(routes);
