/**
 * `POST /series/{seriesId}/subscriptions`: subscribe to a seminar series' announcements (new seminars
 * with their registration link, and the recording link once published). JSON `{ email, language? }`
 * or the form on a seminar's registration page. Double opt-in: 202 (a form post: 303 to the page it
 * came from, or to `GET /series/{seriesId}/subscriptions`, saying "check your email", so that a reload
 * does not post again) and a confirm-your-address email,
 * the same answer whether or not the address already subscribes (a confirmed address gets nothing, a
 * pending one the link again at most once a day). Rate-limited like the scheme subscription route
 * (shared/rate-limits.ts). A series takes subscriptions while one of its seminars is published;
 * otherwise 404. Confirming and unsubscribing use the shared `/subscriptions/confirm` and
 * `/unsubscribe` links (shared/routes/public-schemes.ts).
 */
import { SubscriptionInput } from '../domain/public-inputs.js';
import type { Seminar } from '../domain/model.js';
import { Id } from '../domain/primitives.js';
import { registrationState } from '../domain/registration-lifecycle.js';
import { getSeminar } from '../store/seminars.js';
import { now } from '../clock.js';
import { fieldErrors, json } from '../http/responses.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { htmlResponse, pickLang, seeOther, withLang, type PageError } from '../pages/layout.js';
import type { Lang } from '../domain/primitives.js';
import { paths, registerPage } from '../pages/registration.js';
import { SERIES_EMAIL_FIELD, seriesNotFoundPage, seriesPaths, seriesSubscribePage, type SeriesFormView } from '../pages/series.js';
import { loadSeries, type SeriesInfo } from '../app/series.js';
import { invalidBodyProblem, problemJson, str, bodyFields } from '../http/public-route.js';
import { requestSubscription } from '../app/subscriptions.js';

const emailMessage = (lang: Lang) =>
  lang === 'nb' ? 'Skriv inn en gyldig e-postadresse, for eksempel navn@example.no.' : 'Enter a valid email address, such as name@example.com.';

/** The published seminar of this series whose page the form was on, if it names one. */
async function pageSeminar(seminarId: string | undefined, series: SeriesInfo): Promise<Seminar | undefined> {
  const id = Id.safeParse(seminarId ?? '');
  if (!id.success) return undefined;
  const s = series.seminars.find((x) => x.id === id.data) ? await getSeminar(id.data, true) : undefined;
  return s && s.status === 'scheduled' && s.seriesId === series.id ? s : undefined;
}

/** A form post is answered with the page it came from (the seminar's registration page), or the series' own small page. */
async function formAnswer(status: number, lang: Lang, series: SeriesInfo, fields: Record<string, unknown>, form: Omit<SeriesFormView, 'id' | 'name'>): Promise<HttpResult> {
  const from = await pageSeminar(str(fields.seminarId), series);
  const view: SeriesFormView = { id: series.id, name: series.name(lang, from), ...form };
  if (!from) return htmlResponse(status, seriesSubscribePage(lang, view));
  return htmlResponse(status, registerPage({ lang, seminar: from, state: registrationState(from, now()), series: view }));
}

/** Where a form post that worked lands (Post/Redirect/Get): the seminar page it came from, or the series' own page. */
async function sentLocation(lang: Lang, series: SeriesInfo, fields: Record<string, unknown>): Promise<string> {
  const from = await pageSeminar(str(fields.seminarId), series);
  if (from) return `${withLang(paths.register(from.id), { seriesSent: '1' }, lang)}#subscribe-series`;
  return withLang(seriesPaths.subscribe(series.id), { sent: '1' }, lang);
}

/** `GET /series/{seriesId}/subscriptions`: the series' subscribe form on a page of its own; `?sent=1`: "check your email". Changes nothing. */
export async function seriesSubscribePageRoute(ctx: RouteContext): Promise<HttpResult> {
  const lang = pickLang(ctx.query.lang);
  const id = Id.safeParse(ctx.params.seriesId ?? '');
  const series = id.success ? await loadSeries(id.data) : undefined;
  if (!series?.open) return htmlResponse(404, seriesNotFoundPage(lang));
  return htmlResponse(200, seriesSubscribePage(lang, { id: series.id, name: series.name(lang), sent: ctx.query.sent === '1' }));
}

export async function subscribeToSeriesRoute(ctx: RouteContext): Promise<HttpResult> {
  const fields = bodyFields(ctx.body);
  const lang = pickLang(str(fields.language) ?? ctx.query.lang);
  const id = Id.safeParse(ctx.params.seriesId ?? '');
  const series = id.success ? await loadSeries(id.data) : undefined;
  if (!series?.open) {
    return ctx.isForm ? htmlResponse(404, seriesNotFoundPage(lang)) : problemJson(404, 'Not found', `No published seminar series with id ${ctx.params.seriesId}`);
  }
  // A form sends an empty language as ''; extra form fields (seminarId) are not part of the input.
  const body = ctx.isForm ? { email: fields.email, language: fields.language === '' ? undefined : fields.language } : fields;
  const parsed = SubscriptionInput.safeParse(body);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    if (ctx.isForm) {
      const pageErrors: PageError[] = [{ field: errors.some((e) => e.field === 'email') ? SERIES_EMAIL_FIELD : '', message: emailMessage(lang) }];
      return formAnswer(400, lang, series, fields, { email: str(fields.email), errors: pageErrors });
    }
    return invalidBodyProblem(errors);
  }
  await requestSubscription({ kind: 'series', id: series.id }, parsed.data);
  if (ctx.isForm) return seeOther(await sentLocation(lang, series, fields));
  return json(202, { status: 'pending_confirmation' }, { 'cache-control': 'no-store' });
}
