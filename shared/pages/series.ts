/**
 * Subscribing to a seminar series, as pure functions of data: the block on a seminar's registration
 * page ("Få varsel om nye seminarer i serien"), with its own form that posts to
 * `POST /series/{seriesId}/subscriptions`, and "check your email" in its place after a post (the post
 * redirects back with `?seriesSent=1`); and a small page of its own (`GET /series/{seriesId}/subscriptions`)
 * for a post that did not come from a registration page. No JavaScript;
 * Norwegian bokmål by default, English on request.
 */
import { button, errorSummary, fieldId, form, hidden, notice, page, paragraph, text, withLang, type PageError } from './layout.js';
import type { Lang } from '../domain/primitives.js';
import { checkEmailText } from './schemes.js';
import { pick } from '../text.js';

export type { Lang, PageError };

export const seriesPaths = {
  subscribe: (seriesId: string) => `/series/${encodeURIComponent(seriesId)}/subscriptions`,
};

/** The form field's id: the registration form on the same page has its own `email` field. */
export const SERIES_EMAIL_FIELD = 'series-email';

export interface SeriesFormView {
  id: string;
  /** The series' name in the page's language (shared/domain/series.ts). */
  name: string;
  /** The address as typed, when the form is shown again. */
  email?: string;
  /** Errors of this form (field `series-email`, or '' for the whole form). */
  errors?: PageError[];
  /** Just posted: "check your email" in place of the form. */
  sent?: boolean;
}

function emailField(lang: Lang, value: string | undefined, error: string | undefined): string {
  const id = fieldId(SERIES_EMAIL_FIELD);
  const errorId = `${id}-error`;
  return [
    `<div class="field${error ? ' invalid' : ''}">`,
    `<label for="${id}">${text(pick(lang, 'E-postadresse', 'Email address'))}</label>`,
    error
      ? `<span class="error-text" id="${errorId}"><span class="visually-hidden">${text(pick(lang, 'Feil:', 'Error:'))} </span>${text(error)}</span>`
      : '',
    `<input type="email" id="${id}" name="email" value="${text(value ?? '')}" autocomplete="email" required aria-required="true" maxlength="254" spellcheck="false" autocapitalize="off"${
      error ? ` aria-invalid="true" aria-describedby="${errorId}"` : ''
    }>`,
    '</div>',
  ].join('');
}

function checkEmail(lang: Lang): string {
  return notice('success', checkEmailText(lang));
}

/** What subscribers get, and the form (or "check your email"). */
function seriesContent(lang: Lang, v: SeriesFormView, seminarId?: string): string {
  if (v.sent) return checkEmail(lang);
  const about = paragraph(
    pick(
      lang,
      `Vi sender deg en e-post når det kommer et nytt seminar i ${v.name}, og lenken til opptaket når det er publisert. Du bekrefter adressen først, og kan melde deg av med ett klikk i hver e-post.`,
      `We email you when there is a new seminar in ${v.name}, and the link to the recording once it is published. You confirm your address first, and can unsubscribe with one click in every email.`,
    ),
  );
  const errors = v.errors ?? [];
  const fieldError = errors.find((e) => e.field === SERIES_EMAIL_FIELD)?.message;
  const body = form({
    action: withLang(seriesPaths.subscribe(v.id), {}, lang),
    body: [
      hidden('language', lang),
      seminarId ? hidden('seminarId', seminarId) : '',
      emailField(lang, v.email, fieldError),
      `<p>${button(pick(lang, 'Abonner', 'Subscribe'))}</p>`,
    ].join(''),
  });
  return about + errorSummary(lang, errors) + body;
}

/**
 * The series block of a seminar's registration page: a heading, what subscribers get, and the form (or
 * "check your email"). `seminarId` (the page it is on) goes with the post, so that the answer can show
 * that page again.
 */
export function seriesBlock(lang: Lang, v: SeriesFormView, seminarId?: string): string {
  const heading = `<h2 id="subscribe-series">${text(pick(lang, 'Få varsel om nye seminarer i serien', 'Get notified of new seminars in this series'))}</h2>`;
  return `<section aria-labelledby="subscribe-series">${heading}${seriesContent(lang, v, seminarId)}</section>`;
}

/** The answer to a form post that did not come from a seminar's page: the form (or "check your email") on a page of its own. */
export function seriesSubscribePage(lang: Lang, v: SeriesFormView): string {
  const title = v.sent ? pick(lang, 'Sjekk e-posten din', 'Check your email') : pick(lang, 'Få varsel om nye seminarer i serien', 'Get notified of new seminars in this series');
  const switchHref = withLang(seriesPaths.subscribe(v.id), v.sent ? { sent: '1' } : {}, lang === 'nb' ? 'en' : 'nb');
  return page({ lang, title, body: `<p class="muted">${text(v.name)}</p>\n${seriesContent(lang, v)}`, switchHref });
}

export function seriesNotFoundPage(lang: Lang): string {
  return page({
    lang,
    title: pick(lang, 'Fant ikke seminarserien', 'Series not found'),
    body: notice('error', paragraph(pick(lang, 'Vi finner ingen seminarserie med denne lenken. Sjekk lenken.', 'We cannot find a seminar series at this link. Check the link.'))),
  });
}
