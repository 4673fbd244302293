/**
 * A small kit for the server-rendered public pages (registration, confirm, cancel, subscriptions).
 *
 * Pages work without JavaScript (the CSP allows none), in Norwegian bokmål (default) or English.
 * Every piece of text that comes from a person or the database goes through `escapeHtml`; helpers
 * take plain text, except `body`/`bodyHtml` parameters, which take markup built with this kit.
 *
 * Accessibility: one <h1>, a skip link, `<label for>` on every field, `<fieldset>/<legend>` for radio
 * groups, errors next to their field (`aria-describedby`, `aria-invalid`) and an error summary at the
 * top that links to the fields, visible focus outlines, contrast above WCAG AA.
 */
import { escapeHtml, safeHref } from '../email/html.js';
import { html } from '../http/responses.js';
import type { HttpResult } from '../http/types.js';
import type { Lang } from '../domain/primitives.js';

/** `?lang=en` (or a form field) → 'en'; anything else → 'nb', the default. */
export function pickLang(value: unknown): Lang {
  return typeof value === 'string' && value.trim().toLowerCase() === 'en' ? 'en' : 'nb';
}

/** Texts the layout itself shows. Page-specific texts live with the page. */
export const layoutTexts = {
  nb: {
    skip: 'Hopp til innholdet',
    switchLabel: 'Language',
    switchTo: 'English',
    switchLang: 'en' as Lang,
    errorSummary: 'Det er noe som må rettes',
    errorPrefix: 'Feil:',
    required: 'må fylles ut',
    optional: 'valgfritt',
  },
  en: {
    skip: 'Skip to content',
    switchLabel: 'Språk',
    switchTo: 'Norsk (bokmål)',
    switchLang: 'nb' as Lang,
    errorSummary: 'There is a problem',
    errorPrefix: 'Error:',
    required: 'required',
    optional: 'optional',
  },
} as const;

/** Escaped text for element content or a quoted attribute. */
export const text = escapeHtml;

/** The id a field gets, so that labels, error links and `aria-describedby` agree. */
export const fieldId = (name: string): string => `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const errorId = (name: string): string => `${fieldId(name)}-error`;
const hintId = (name: string): string => `${fieldId(name)}-hint`;

/**
 * The same path with `lang` set to `target`; other query parameters are kept (a token, say).
 * Only a path is accepted (no scheme or host), so the result is always a same-site link.
 */
export function withLang(path: string, query: Record<string, string | undefined>, target: Lang): string {
  const safePath = path.startsWith('/') && !path.startsWith('//') ? path : '/';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'lang') params.set(k, v);
  params.set('lang', target);
  return `${safePath}?${params.toString()}`;
}

const CSS = `
:root{--fg:#1b1b1f;--muted:#4a4a55;--bg:#fff;--panel:#f4f5f7;--line:#b8bcc6;--accent:#0b4f8a;--accent-fg:#fff;
--focus:#ffbf47;--err:#b00020;--ok:#1f6b35;--warn:#7a4d00;--info:#0b4f8a}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
.skip{position:absolute;left:-999px;top:0;background:var(--focus);color:#000;padding:.5rem 1rem}
.skip:focus{left:0;z-index:10}
header.site,footer.site{background:var(--panel);border-bottom:1px solid var(--line)}
footer.site{border-top:1px solid var(--line);border-bottom:0;margin-top:3rem;color:var(--muted);font-size:.9rem}
.wrap{max-width:44rem;margin:0 auto;padding:1rem 1.25rem}
header.site .wrap{display:flex;justify-content:flex-end;gap:1rem;align-items:center}
main{display:block}
h1{font-size:1.9rem;line-height:1.2;margin:1.5rem 0 1rem}
h2{font-size:1.35rem;margin:2rem 0 .75rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
p,ul,ol,dl{margin:0 0 1rem}
a{color:var(--accent);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px #000}
a:focus-visible{background:var(--focus);color:#000;box-shadow:none;outline-color:#000}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
@media (max-width:32rem){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}}
.field{margin:0 0 1.25rem}
label,legend{display:block;font-weight:600;margin-bottom:.3rem}
.hint{display:block;color:var(--muted);font-size:.95rem;margin:-.1rem 0 .35rem}
input[type=text],input[type=email],input[type=tel],input[type=url],select,textarea{display:block;width:100%;max-width:32rem;
font:inherit;padding:.55rem .65rem;border:2px solid var(--fg);border-radius:2px;background:#fff;color:var(--fg)}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--err);border-width:3px}
fieldset{border:0;padding:0;margin:0 0 1.25rem}
fieldset.invalid{border-left:4px solid var(--err);padding-left:.9rem}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin:.4rem 0}
.choice input{width:1.35rem;height:1.35rem;margin:.15rem 0 0;flex:none;accent-color:var(--accent)}
.choice label{font-weight:400;margin:0}
.choice .hint{margin:.1rem 0 0}
.error-text{display:block;color:var(--err);font-weight:600;margin:.2rem 0 .35rem}
.field.invalid{border-left:4px solid var(--err);padding-left:.9rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.65rem 1.3rem;border:2px solid var(--accent);border-radius:3px;
background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none;min-height:2.75rem}
button:hover,.button:hover{background:#083a66}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:var(--err);border-color:var(--err)}
.notice{border-left:6px solid var(--info);background:var(--panel);padding:.85rem 1rem;margin:0 0 1.25rem}
.notice>:last-child{margin-bottom:0}
.notice.success{border-color:var(--ok)}
.notice.warning{border-color:var(--warn)}
.notice.error{border-color:var(--err)}
.error-summary{border:4px solid var(--err);padding:1rem 1.25rem;margin:0 0 1.5rem}
.error-summary h2{margin-top:0;font-size:1.25rem}
.error-summary a{color:var(--err);font-weight:600}
.program{list-style:none;padding:0}
.program li{padding:.5rem 0;border-bottom:1px solid var(--line)}
.program .time{font-variant-numeric:tabular-nums;font-weight:600;margin-right:.5rem}
.seminars{list-style:none;padding:0}
.seminars>li{padding:.25rem 0 .75rem;border-bottom:1px solid var(--line)}
.seminars h3{margin-top:1rem}
.muted{color:var(--muted)}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
@media print{header.site,footer.site,.skip{display:none}}
`
  .replace(/\n/g, '')
  .trim();

export interface PageOptions {
  lang: Lang;
  /** Plain text; escaped. Also the <h1> unless `heading` is false. */
  title: string;
  /** Markup built with this kit (already escaped): never put unescaped user text here. */
  body: string;
  /** Where the language switch points; build it with `withLang`. Without it there is no switch. */
  switchHref?: string;
  /** Show the title as <h1> (default true). */
  heading?: boolean;
  /** Plain text for the footer, e.g. the organiser. */
  footer?: string;
}

/** A full HTML5 document. */
export function page(opts: PageOptions): string {
  const t = layoutTexts[opts.lang];
  const other = t.switchLang;
  const switchLink = opts.switchHref
    ? `<nav aria-label="${text(t.switchLabel)}"><a href="${text(opts.switchHref)}" hreflang="${other}" lang="${other}">${text(t.switchTo)}</a></nav>`
    : '';
  return [
    '<!doctype html>',
    `<html lang="${opts.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${text(opts.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<a class="skip" href="#main">${text(t.skip)}</a>`,
    `<header class="site"><div class="wrap">${switchLink}</div></header>`,
    '<main id="main" tabindex="-1"><div class="wrap">',
    opts.heading === false ? '' : `<h1>${text(opts.title)}</h1>`,
    opts.body,
    '</div></main>',
    opts.footer ? `<footer class="site"><div class="wrap"><p>${text(opts.footer)}</p></div></footer>` : '',
    '</body>',
    '</html>',
  ].join('\n');
}

/** An HTML response with the page's security headers; pages are personal, so never cached. */
export function htmlResponse(status: number, document: string, headers: Record<string, string> = {}): HttpResult {
  return html(status, document, { 'cache-control': 'no-store', ...headers });
}

/** A 303 See Other to a same-site path (Post/Redirect/Get). */
export function seeOther(path: string): HttpResult {
  const location = path.startsWith('/') && !path.startsWith('//') ? path : '/';
  return { statusCode: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

export interface PageError {
  /** The field name (as in the form), or '' for an error about the whole form. */
  field: string;
  message: string;
}

/** The error summary at the top of a form: a list of links to the fields. Empty when there are no errors. */
export function errorSummary(lang: Lang, errors: readonly PageError[]): string {
  if (errors.length === 0) return '';
  const items = errors
    .map((e) =>
      e.field ? `<li><a href="#${fieldId(e.field)}">${text(e.message)}</a></li>` : `<li>${text(e.message)}</li>`,
    )
    .join('');
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"><h2 id="error-summary-title">${text(layoutTexts[lang].errorSummary)}</h2><ul>${items}</ul></div>`;
}

/** The first error for a field, if any. */
export function errorFor(errors: readonly PageError[] | undefined, field: string): string | undefined {
  return errors?.find((e) => e.field === field)?.message;
}

function errorLine(lang: Lang, name: string, error: string | undefined): string {
  if (!error) return '';
  return `<span class="error-text" id="${errorId(name)}"><span class="visually-hidden">${text(layoutTexts[lang].errorPrefix)} </span>${text(error)}</span>`;
}

function describedBy(name: string, hint: string | undefined, error: string | undefined): string {
  const ids = [hint ? hintId(name) : '', error ? errorId(name) : ''].filter(Boolean);
  return ids.length ? ` aria-describedby="${ids.join(' ')}"` : '';
}

export interface TextFieldOptions {
  lang: Lang;
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'email' | 'tel' | 'url';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  error?: string;
  maxLength?: number;
}

/** A labelled text input with its hint and error next to it. */
export function textField(o: TextFieldOptions): string {
  const id = fieldId(o.name);
  const type = o.type ?? 'text';
  const attrs = [
    `type="${type}"`,
    `id="${id}"`,
    `name="${text(o.name)}"`,
    `value="${text(o.value ?? '')}"`,
    o.autocomplete ? `autocomplete="${text(o.autocomplete)}"` : '',
    o.required ? 'required aria-required="true"' : '',
    o.maxLength ? `maxlength="${o.maxLength}"` : '',
    type === 'email' ? 'spellcheck="false" autocapitalize="off"' : '',
    o.error ? 'aria-invalid="true"' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return [
    `<div class="field${o.error ? ' invalid' : ''}">`,
    `<label for="${id}">${text(o.label)}</label>`,
    o.hint ? `<span class="hint" id="${hintId(o.name)}">${text(o.hint)}</span>` : '',
    errorLine(o.lang, o.name, o.error),
    `<input ${attrs}${describedBy(o.name, o.hint, o.error)}>`,
    '</div>',
  ].join('');
}

export interface ChoiceOption {
  value: string;
  label: string;
  hint?: string;
  disabled?: boolean;
}

export interface RadioGroupOptions {
  lang: Lang;
  name: string;
  legend: string;
  options: readonly ChoiceOption[];
  value?: string;
  required?: boolean;
  hint?: string;
  error?: string;
}

/** Radio buttons in a fieldset; the first option carries the field id so the error summary can link to it. */
export function radioGroup(o: RadioGroupOptions): string {
  const radios = o.options
    .map((opt, i) => {
      const id = i === 0 ? fieldId(o.name) : `${fieldId(o.name)}-${i + 1}`;
      const optHint = opt.hint ? `${id}-hint` : '';
      const attrs = [
        'type="radio"',
        `id="${id}"`,
        `name="${text(o.name)}"`,
        `value="${text(opt.value)}"`,
        opt.value === o.value ? 'checked' : '',
        opt.disabled ? 'disabled' : '',
        o.required ? 'required' : '',
        optHint ? `aria-describedby="${optHint}"` : '',
      ]
        .filter(Boolean)
        .join(' ');
      return `<div class="choice"><input ${attrs}><div><label for="${id}">${text(opt.label)}</label>${
        opt.hint ? `<span class="hint" id="${optHint}">${text(opt.hint)}</span>` : ''
      }</div></div>`;
    })
    .join('');
  return [
    `<fieldset class="field${o.error ? ' invalid' : ''}"${describedBy(o.name, o.hint, o.error)}${o.error ? ' aria-invalid="true"' : ''}>`,
    `<legend>${text(o.legend)}</legend>`,
    o.hint ? `<span class="hint" id="${hintId(o.name)}">${text(o.hint)}</span>` : '',
    errorLine(o.lang, o.name, o.error),
    radios,
    '</fieldset>',
  ].join('');
}

export interface CheckboxOptions {
  lang: Lang;
  name: string;
  label: string;
  checked?: boolean;
  /** The value sent when ticked (default "true"). */
  value?: string;
  hint?: string;
  error?: string;
}

/** One labelled checkbox. An unticked box sends nothing, as browsers do. */
export function checkbox(o: CheckboxOptions): string {
  const id = fieldId(o.name);
  const attrs = [
    'type="checkbox"',
    `id="${id}"`,
    `name="${text(o.name)}"`,
    `value="${text(o.value ?? 'true')}"`,
    o.checked ? 'checked' : '',
    o.error ? 'aria-invalid="true"' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<div class="field${o.error ? ' invalid' : ''}">${errorLine(o.lang, o.name, o.error)}<div class="choice"><input ${attrs}${describedBy(
    o.name,
    o.hint,
    o.error,
  )}><div><label for="${id}">${text(o.label)}</label>${
    o.hint ? `<span class="hint" id="${hintId(o.name)}">${text(o.hint)}</span>` : ''
  }</div></div></div>`;
}

export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${text(name)}" value="${text(value)}">`;
}

export interface ButtonOptions {
  name?: string;
  value?: string;
  variant?: 'primary' | 'secondary' | 'danger';
}

export function button(label: string, o: ButtonOptions = {}): string {
  const cls = o.variant && o.variant !== 'primary' ? ` class="${o.variant}"` : '';
  const nv = o.name ? ` name="${text(o.name)}" value="${text(o.value ?? '')}"` : '';
  return `<button type="submit"${cls}${nv}>${text(label)}</button>`;
}

/** A link styled as a button; `undefined` when the URL is not a safe http(s)/mailto link or same-site path. */
export function linkButton(label: string, href: string, variant: 'primary' | 'secondary' = 'primary'): string {
  const safe = href.startsWith('/') && !href.startsWith('//') ? text(href) : safeHref(href);
  if (!safe) return '';
  return `<a class="button${variant === 'secondary' ? ' secondary' : ''}" href="${safe}">${text(label)}</a>`;
}

export interface FormOptions {
  /** A same-site path. */
  action: string;
  method?: 'post' | 'get';
  /** Markup built with this kit. */
  body: string;
  /** Leave browser validation off so that our own, translated errors show (default true). */
  novalidate?: boolean;
}

export function form(o: FormOptions): string {
  const action = o.action.startsWith('/') && !o.action.startsWith('//') ? o.action : '/';
  return `<form action="${text(action)}" method="${o.method ?? 'post'}" accept-charset="utf-8"${
    o.novalidate === false ? '' : ' novalidate'
  }>${o.body}</form>`;
}

export type NoticeKind = 'info' | 'success' | 'warning' | 'error';

/** A highlighted message; `bodyHtml` is markup built with this kit (use `paragraph` for plain text). */
export function notice(kind: NoticeKind, bodyHtml: string, heading?: string): string {
  const role = kind === 'error' ? ' role="alert"' : kind === 'success' ? ' role="status"' : '';
  return `<div class="notice ${kind}"${role}>${heading ? `<h2>${text(heading)}</h2>` : ''}${bodyHtml}</div>`;
}

/** A paragraph of plain text. */
export function paragraph(value: string, className?: string): string {
  return `<p${className ? ` class="${text(className)}"` : ''}>${text(value)}</p>`;
}

/** A definition list of label → plain-text value pairs; empty values are left out. */
export function facts(rows: ReadonlyArray<readonly [string, string | undefined]>): string {
  const items = rows
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `<dt>${text(k)}</dt><dd>${text(v)}</dd>`)
    .join('');
  return items ? `<dl class="facts">${items}</dl>` : '';
}

/**
 * 503 Service Unavailable while the request ran out of its invocation's time (shared/aws/deadline.ts):
 * nothing was changed, and trying again in `retryAfterSeconds` is safe.
 */
export function busyPage(lang: Lang, retryAfterSeconds: number): string {
  const body =
    lang === 'nb'
      ? `Mange gjør det samme akkurat nå, og vi rakk ikke å fullføre forespørselen. Ingenting er endret. Prøv igjen om ${retryAfterSeconds} sekunder.`
      : `Many people are doing the same right now, and we could not finish your request in time. Nothing was changed. Try again in ${retryAfterSeconds} seconds.`;
  return page({ lang, title: lang === 'nb' ? 'Prøv igjen om litt' : 'Please try again shortly', body: notice('warning', paragraph(body)) });
}
