/**
 * The public seminar list (`GET /seminars` with `Accept: text/html`), as a pure function of data: the
 * upcoming seminars with when (Oslo time), where, what registration is open for and a link to each
 * registration page, then the past ones with their recordings. What is open comes from the lifecycle
 * (shared/domain/registration-lifecycle.ts) through the state the route hands in; the page decides no
 * rule of its own. Norwegian bokmål by default, English on request; no JavaScript.
 */
import type { Seminar } from '../domain/model.js';
import type { RegistrationState } from '../domain/registration-lifecycle.js';
import { safeHref } from '../email/html.js';
import { pick, venueLine, whenText } from '../text.js';
import { facts, page, paragraph, text, withLang } from './layout.js';
import type { Lang } from '../domain/primitives.js';
import { modesText, paths, seatsText } from './registration.js';

export type { Lang };

export const seminarListPath = '/seminars';

type Kind = NonNullable<Seminar['kind']>;

const KIND_NAMES: Record<Kind, { nb: string; en: string }> = {
  seminar: { nb: 'Seminar', en: 'Seminar' },
  'breakfast-seminar': { nb: 'Frokostseminar', en: 'Breakfast seminar' },
  'guidance-session': { nb: 'Veiledningssamling', en: 'Guidance session' },
  pitch: { nb: 'Pitch', en: 'Pitch' },
  gathering: { nb: 'Samling', en: 'Gathering' },
};

/** "Frokostseminar" / "Breakfast seminar". */
export function kindName(kind: Seminar['kind'] | undefined, lang: Lang): string {
  return (KIND_NAMES[kind ?? 'seminar'] ?? KIND_NAMES.seminar)[lang];
}

/** An upcoming (or running) seminar with its registration state at the moment the page is made. */
export interface UpcomingSeminarView {
  seminar: Seminar;
  state: RegistrationState;
}

export interface SeminarsPageInput {
  lang: Lang;
  /** Soonest first. */
  upcoming: UpcomingSeminarView[];
  /** Ended seminars (scheduled, not cancelled), newest first. */
  past: Seminar[];
}

/** A link whose words are the same for every item; the hidden title tells screen readers which one. `href` is escaped. */
function itemLink(href: string, label: string, title: string): string {
  return `<a href="${href}">${text(label)}<span class="visually-hidden">: ${text(title)}</span></a>`;
}

/** The title, linked to the seminar's registration page (which also shows the recording after the end). */
function titleLink(s: Seminar, lang: Lang): string {
  return `<h3><a href="${text(withLang(paths.register(s.id), {}, lang))}">${text(s.title)}</a></h3>`;
}

function upcomingItem(v: UpcomingSeminarView, lang: Lang): string {
  const { seminar: s, state } = v;
  const rows: Array<readonly [string, string | undefined]> = [
    [pick(lang, 'Type', 'Kind'), kindName(s.kind, lang)],
    [pick(lang, 'Tid', 'When'), whenText(s, lang)],
    [pick(lang, 'Sted', 'Where'), venueLine(s.venue) || (s.livestream ? pick(lang, 'Digitalt (strømming)', 'Online (livestream)') : undefined)],
    [pick(lang, 'Ledige plasser i salen', 'Seats left'), seatsText(s, state, lang)],
    [pick(lang, 'Påmelding åpen for', 'Registration open for'), modesText(state, lang)],
  ];
  const started = state.phase === 'running' ? paragraph(pick(lang, 'Arrangementet har startet.', 'The event has started.'), 'muted') : '';
  return [
    '<li>',
    titleLink(s, lang),
    started,
    facts(rows),
    '</li>',
  ].join('');
}

function pastItem(s: Seminar, lang: Lang): string {
  const recording = safeHref(s.recordingUrl);
  return [
    '<li>',
    titleLink(s, lang),
    facts([
      [pick(lang, 'Type', 'Kind'), kindName(s.kind, lang)],
      [pick(lang, 'Tid', 'When'), whenText(s, lang)],
      [pick(lang, 'Sted', 'Where'), venueLine(s.venue) || undefined],
    ]),
    recording ? `<p>${itemLink(recording, pick(lang, 'Opptak av seminaret', 'Recording of the seminar'), s.title)}</p>` : '',
    '</li>',
  ].join('');
}

/** The list page: upcoming seminars, then past ones with their recordings. */
export function seminarsPage(input: SeminarsPageInput): string {
  const { lang } = input;
  const title = pick(lang, 'Seminarer og arrangementer', 'Seminars and events');
  const upcoming = input.upcoming.length
    ? `<ul class="seminars" aria-labelledby="upcoming">${input.upcoming.map((v) => upcomingItem(v, lang)).join('')}</ul>`
    : paragraph(pick(lang, 'Det er ingen kommende arrangementer nå.', 'There are no upcoming events right now.'));
  const past = input.past.length
    ? `<ul class="seminars" aria-labelledby="past">${input.past.map((s) => pastItem(s, lang)).join('')}</ul>`
    : paragraph(pick(lang, 'Det er ingen tidligere arrangementer å vise.', 'There are no past events to show.'));
  const body = [
    `<h2 id="upcoming">${text(pick(lang, 'Kommende arrangementer', 'Upcoming events'))}</h2>`,
    upcoming,
    `<h2 id="past">${text(pick(lang, 'Tidligere arrangementer', 'Past events'))}</h2>`,
    past,
  ].join('\n');
  return page({ lang, title, body, switchHref: withLang(seminarListPath, {}, lang === 'nb' ? 'en' : 'nb') });
}
