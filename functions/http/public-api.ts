/** Lambda for the public routes. Each route key maps to a thin route handler. */
import { createHttpHandler, type RouteTable } from '../../shared/http/router.js';
import { json } from '../../shared/http/responses.js';
import { getPublicSeminarRoute, listPublicSeminarsRoute } from '../seminars/public-seminars.js';
import {
  confirmPageRoute as confirmSubscriptionPageRoute,
  confirmRoute as confirmSubscriptionRoute,
  getSchemeRoute,
  listSchemesRoute,
  subscribeRoute,
  unsubscribePageRoute,
  unsubscribeRoute,
} from '../schemes/public-schemes.js';
import { seriesSubscribePageRoute, subscribeToSeriesRoute } from '../series/public-series.js';
import { cancelPageRoute, cancelRoute, confirmPageRoute, confirmRoute, registerPageRoute, stopEmailsPageRoute, stopEmailsRoute, submitRegistrationRoute } from '../registrations/routes.js';

export const routes: RouteTable = {
  'GET /health': { handler: async () => json(200, { status: 'ok' }, { 'cache-control': 'no-store' }) },
  'GET /seminars': { handler: listPublicSeminarsRoute },
  'GET /seminars/{seminarId}': { handler: getPublicSeminarRoute },
  'GET /seminars/{seminarId}/register': { handler: registerPageRoute },
  'POST /seminars/{seminarId}/registrations': { handler: submitRegistrationRoute },
  'GET /registrations/confirm': { handler: confirmPageRoute },
  'POST /registrations/confirm': { handler: confirmRoute },
  'GET /registrations/cancel': { handler: cancelPageRoute },
  'POST /registrations/cancel': { handler: cancelRoute },
  'GET /registrations/stop-emails': { handler: stopEmailsPageRoute },
  'POST /registrations/stop-emails': { handler: stopEmailsRoute },
  'GET /schemes': { handler: listSchemesRoute },
  'GET /schemes/{schemeId}': { handler: getSchemeRoute },
  'POST /schemes/{schemeId}/subscriptions': { handler: subscribeRoute },
  'GET /series/{seriesId}/subscriptions': { handler: seriesSubscribePageRoute },
  'POST /series/{seriesId}/subscriptions': { handler: subscribeToSeriesRoute },
  'GET /subscriptions/confirm': { handler: confirmSubscriptionPageRoute },
  'POST /subscriptions/confirm': { handler: confirmSubscriptionRoute },
  'GET /unsubscribe': { handler: unsubscribePageRoute },
  'POST /unsubscribe': { handler: unsubscribeRoute },
};

export const handler = createHttpHandler(routes);
