/** Lambda for the public routes. Each route key maps to a thin route handler. */
import { createHttpHandler, routeTable } from '../../shared/http/router.js';
import { wired } from '../../infra/wiring.js';
import { json } from '../../shared/http/responses.js';
import { getPublicSeminarRoute, listPublicSeminarsRoute } from '../../shared/routes/public-seminars.js';
import {
  confirmPageRoute as confirmSubscriptionPageRoute,
  confirmRoute as confirmSubscriptionRoute,
  getSchemeRoute,
  listSchemesRoute,
  subscribeRoute,
  unsubscribePageRoute,
  unsubscribeRoute,
} from '../../shared/routes/public-schemes.js';
import { seriesSubscribePageRoute, subscribeToSeriesRoute } from '../../shared/routes/public-series.js';
import { cancelPageRoute, cancelRoute, confirmPageRoute, confirmRoute, registerPageRoute, stopEmailsPageRoute, stopEmailsRoute, submitRegistrationRoute } from '../../shared/routes/registrations.js';

// One handler per route of this function in the wiring (a key missing or extra does not compile);
// each route's auth and throttling come from the wiring.
export const routes = routeTable(wired('public-api').routes, {
  'GET /health': async () => json(200, { status: 'ok' }, { 'cache-control': 'no-store' }),
  'GET /seminars': listPublicSeminarsRoute,
  'GET /seminars/{seminarId}': getPublicSeminarRoute,
  'GET /seminars/{seminarId}/register': registerPageRoute,
  'POST /seminars/{seminarId}/registrations': submitRegistrationRoute,
  'GET /registrations/confirm': confirmPageRoute,
  'POST /registrations/confirm': confirmRoute,
  'GET /registrations/cancel': cancelPageRoute,
  'POST /registrations/cancel': cancelRoute,
  'GET /registrations/stop-emails': stopEmailsPageRoute,
  'POST /registrations/stop-emails': stopEmailsRoute,
  'GET /schemes': listSchemesRoute,
  'GET /schemes/{schemeId}': getSchemeRoute,
  'POST /schemes/{schemeId}/subscriptions': subscribeRoute,
  'GET /series/{seriesId}/subscriptions': seriesSubscribePageRoute,
  'POST /series/{seriesId}/subscriptions': subscribeToSeriesRoute,
  'GET /subscriptions/confirm': confirmSubscriptionPageRoute,
  'POST /subscriptions/confirm': confirmSubscriptionRoute,
  'GET /unsubscribe': unsubscribePageRoute,
  'POST /unsubscribe': unsubscribeRoute,
});

export const handler = createHttpHandler(routes);
