/** Lambda for the admin routes (JWT verified by the authorizer; the admins group is checked here). */
import { createHttpHandler, type RouteTable } from '../../shared/http/router.js';
import {
  createSeminarRoute,
  listSeminarsAdminRoute,
  scheduleSeminarRoute,
  updateSeminarRoute,
} from '../seminars/admin-seminars.js';

export const routes: RouteTable = {
  'POST /admin/seminars': { handler: createSeminarRoute, admin: true },
  'GET /admin/seminars': { handler: listSeminarsAdminRoute, admin: true },
  'PUT /admin/seminars/{seminarId}': { handler: updateSeminarRoute, admin: true },
  'POST /admin/seminars/{seminarId}/schedule': { handler: scheduleSeminarRoute, admin: true },
};

export const handler = createHttpHandler(routes);
