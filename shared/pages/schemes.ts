/**
 * The funding-scheme pages, as pure functions of data: the schemes with their rounds, deadlines (Oslo
 * time), sessions (guidance sessions, a pitch day: words from roundSessionWords, with their registration
 * links) and a subscribe form that promises only what the open rounds have; "check your email";
 * the confirm and unsubscribe pages (a button: a GET never changes anything) and their outcomes; and a
 * page for a link that does not work. Norwegian bokmål by default, English on request; no JavaScript.
 */
import type { Seminar } from '../domain/model.js';
import { promisedSessions, roundSessionWords, schemeDescription, schemeName, type Deadline, type RoundStatus, type Scheme, type SessionGroup } from '../domain/funding.js';
import { amountText, deadlineText, pick, venueLine, whenText } from '../text.js';
import {
  button,
  errorFor,
  errorSummary,
  facts,
  form,
  hidden,
  notice,
  page,
  paragraph,
  text,
  textField,
  withLang,
  type PageError,
} from './layout.js';
import type { Lang } from '../domain/primitives.js';

export type { Lang, PageError };

export const schemePaths = {
  list: '/schemes',
  one: (schemeId: string) => `/schemes/${encodeURIComponent(schemeId)}`,
  subscribe: (schemeId: string) => `/schemes/${encodeURIComponent(schemeId)}/subscriptions`,
  confirm: '/subscriptions/confirm',
  unsubscribe: '/unsubscribe',
  register: (seminarId: string) => `/seminars/${encodeURIComponent(seminarId)}/register`,
};

export interface RoundView {
  round: Deadline;
  status: RoundStatus;
  sessions: Seminar[];
}

export interface SchemeView {
  scheme: Scheme;
  rounds: RoundView[];
}

/** What the subscribe form sends back when shown again. */
export interface SubscribeForm {
  schemeId: string;
  email?: string;
  errors: PageError[];
}

function paragraphs(value: string): string {
  return value
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${text(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function sessionItem(s: Seminar, group: SessionGroup<Seminar>, lang: Lang): string {
  const when = whenText(s, lang);
  const where = venueLine(s.venue);
  const href = withLang(schemePaths.register(s.id), {}, lang);
  return `<li><strong>${text(s.title)}</strong><br>${text(when)}${where ? `<br>${text(where)}` : ''}<br><a href="${text(href)}">${text(
    group.register,
  )}<span class="visually-hidden">: ${text(s.title)}</span></a></li>`;
}

/** The round's coming sessions, one list per kind (guidance sessions, a pitch day), in that kind's words. */
function sessionLists(sessions: Seminar[], lang: Lang): string {
  return roundSessionWords(sessions, lang)
    .groups.map((g) => `<p>${text(g.intro.page)}</p><ul>${g.sessions.map((s) => sessionItem(s, g, lang)).join('')}</ul>`)
    .join('');
}

function roundBlock(r: RoundView, lang: Lang, h: string): string {
  const d = r.round;
  const deadline = deadlineText(d.deadline, d.endOfDay, lang);
  // A closed round still shows what comes after its deadline (a pitch day).
  const sessions = sessionLists(r.sessions, lang);
  if (r.status === 'closed') {
    return `<div class="notice" id="round-${text(d.id)}"><${h}>${text(d.round)}</${h}>${paragraph(
      pick(lang, `Søknadsfristen var ${deadline}. Runden er stengt.`, `The application deadline was ${deadline}. This round is closed.`),
    )}${sessions}</div>`;
  }
  return `<div class="notice info" id="round-${text(d.id)}"><${h}>${text(d.round)}</${h}>${paragraph(
    pick(lang, `Søknadsfrist: ${deadline}.`, `Application deadline: ${deadline}.`),
  )}${sessions}</div>`;
}

/** On the list page several forms share the page: their email fields need ids of their own. */
function listEmailField(lang: Lang, schemeId: string): string {
  const id = `email-${schemeId}`;
  return `<div class="field"><label for="${text(id)}">${text(pick(lang, 'E-postadresse', 'Email address'))}</label><input type="email" id="${text(
    id,
  )}" name="email" value="" autocomplete="email" required aria-required="true" maxlength="254" spellcheck="false" autocapitalize="off"></div>`;
}

function subscribeBlock(v: SchemeView, lang: Lang, sub: SubscribeForm | undefined, sent: boolean, h: string, onList: boolean): string {
  const id = v.scheme.id;
  const heading = `<${h} id="subscribe-${text(id)}">${text(pick(lang, 'Få varsler på e-post', 'Get notices by email'))}</${h}>`;
  if (sent) {
    return heading + notice('success', checkEmailText(lang));
  }
  const errors = sub && sub.schemeId === id ? sub.errors : [];
  const body = [
    paragraph(
      pick(
        lang,
        `Vi sender deg ${roundSessionWords(promisedSessions(v.rounds), lang).promise}. Du bekrefter adressen først, og kan melde deg av med ett klikk i hver e-post.`,
        `We email you ${roundSessionWords(promisedSessions(v.rounds), lang).promise}. You confirm your address first, and can unsubscribe with one click in every email.`,
      ),
    ),
    errorSummary(lang, errors),
    form({
      action: withLang(schemePaths.subscribe(id), {}, lang),
      body: [
        hidden('language', lang),
        onList
          ? listEmailField(lang, id)
          : textField({
              lang,
              name: 'email',
              type: 'email',
              label: pick(lang, 'E-postadresse', 'Email address'),
              value: sub && sub.schemeId === id ? sub.email : undefined,
              autocomplete: 'email',
              required: true,
              maxLength: 254,
              error: errorFor(errors, 'email'),
            }),
        `<p>${button(pick(lang, 'Abonner', 'Subscribe'))}</p>`,
      ].join(''),
    }),
  ];
  return heading + body.join('');
}

/** "Check your email" after a subscription was asked for (the series form says the same). */
export function checkEmailText(lang: Lang): string {
  return (
    paragraph(pick(lang, 'Sjekk e-posten din.', 'Check your email.')) +
    paragraph(
      pick(
        lang,
        'Vi har sendt en lenke du må åpne for å bekrefte abonnementet. Du får ingen varsler før du har bekreftet. Abonnerer du allerede, er ingenting endret.',
        'We have sent a link that you must open to confirm the subscription. You get no notices until you confirm. If you already subscribe, nothing has changed.',
      ),
    )
  );
}

function schemeSection(v: SchemeView, lang: Lang, headingLevel: 'h1' | 'h2', sub: SubscribeForm | undefined, sentFor: string | undefined): string {
  const s = v.scheme;
  const name = schemeName(s, lang);
  const parts: string[] = [];
  if (headingLevel === 'h2') parts.push(`<h2 id="scheme-${text(s.id)}"><a href="${text(withLang(schemePaths.one(s.id), {}, lang))}">${text(name)}</a></h2>`);
  const description = schemeDescription(s, lang);
  if (description) parts.push(paragraphs(description));
  parts.push(
    facts([
      [pick(lang, 'Ramme', 'Budget'), s.budgetNok !== undefined ? amountText(s.budgetNok, lang) : undefined],
      [
        pick(lang, 'Støtte', 'Funding'),
        s.maxSharePercent !== undefined ? pick(lang, `opptil ${s.maxSharePercent} prosent av prosjektkostnadene`, `up to ${s.maxSharePercent}% of the project costs`) : undefined,
      ],
    ]),
  );
  if (s.url) {
    const href = /^https?:\/\//i.test(s.url) ? s.url : undefined;
    if (href) parts.push(`<p><a href="${text(href)}">${text(pick(lang, 'Les mer om ordningen', 'Read more about the scheme'))}</a></p>`);
  }
  const open = v.rounds.filter((r) => r.status === 'open');
  const closed = v.rounds.filter((r) => r.status === 'closed');
  const h2 = headingLevel === 'h1' ? 'h2' : 'h3';
  const h3 = headingLevel === 'h1' ? 'h3' : 'h4';
  parts.push(`<${h2}>${text(pick(lang, 'Søknadsrunder', 'Application rounds'))}</${h2}>`);
  if (open.length === 0) {
    parts.push(paragraph(pick(lang, 'Ingen søknadsrunde er åpen nå. Abonner for å få beskjed når neste runde kommer.', 'No round is open now. Subscribe to hear when the next one comes.')));
  }
  parts.push(...open.map((r) => roundBlock(r, lang, h3)), ...closed.map((r) => roundBlock(r, lang, h3)));
  parts.push(subscribeBlock(v, lang, sub, sentFor === s.id, h2, headingLevel === 'h2'));
  return headingLevel === 'h2' ? `<section aria-labelledby="scheme-${text(s.id)}">${parts.join('\n')}</section>` : parts.join('\n');
}

export interface SchemesPageInput {
  lang: Lang;
  schemes: SchemeView[];
  /** The form shown again with its errors. */
  form?: SubscribeForm;
  /** The scheme whose form was just sent: "check your email" in its place. */
  sentFor?: string;
}

/** All schemes. */
export function schemesPage(input: SchemesPageInput): string {
  const { lang } = input;
  // Not every scheme is a grant (a sketch competition is one too): neutral words.
  const title = pick(lang, 'Ordninger og søknadsfrister', 'Schemes and application deadlines');
  const body = input.schemes.length
    ? input.schemes.map((v) => schemeSection(v, lang, 'h2', input.form, input.sentFor)).join('\n')
    : paragraph(pick(lang, 'Det er ingen ordninger å vise nå.', 'There are no schemes to show now.'));
  return page({ lang, title, body, switchHref: withLang(schemePaths.list, {}, lang === 'nb' ? 'en' : 'nb') });
}

/** One scheme, with its form (or "check your email" after a post). */
export function schemePage(input: Omit<SchemesPageInput, 'schemes'> & { scheme: SchemeView }): string {
  const { lang, scheme: v } = input;
  const body = [
    schemeSection(v, lang, 'h1', input.form, input.sentFor),
    `<p><a href="${text(withLang(schemePaths.list, {}, lang))}">${text(pick(lang, 'Alle ordninger', 'All schemes'))}</a></p>`,
  ].join('\n');
  const sent = input.sentFor === v.scheme.id ? { sent: '1' } : {};
  return page({ lang, title: schemeName(v.scheme, lang), body, switchHref: withLang(schemePaths.one(v.scheme.id), sent, lang === 'nb' ? 'en' : 'nb') });
}

export function schemeNotFoundPage(lang: Lang): string {
  return page({
    lang,
    title: pick(lang, 'Fant ikke ordningen', 'Scheme not found'),
    body:
      notice('error', paragraph(pick(lang, 'Vi finner ikke denne ordningen. Sjekk lenken.', 'We cannot find this scheme. Check the link.'))) +
      `<p><a href="${text(withLang(schemePaths.list, {}, lang))}">${text(pick(lang, 'Alle ordninger', 'All schemes'))}</a></p>`,
  });
}

// ---------------------------------------------------------------------------------------------
// Confirm and unsubscribe

export function confirmSubscriptionPage(lang: Lang, name: string, email: string, token: string): string {
  const body = [
    paragraph(pick(lang, `Vil du ha varsler på e-post om ${name}?`, `Do you want email notices about ${name}?`)),
    facts([[pick(lang, 'E-post', 'Email'), email]]),
    form({
      action: schemePaths.confirm,
      body: [hidden('token', token), hidden('lang', lang), `<p>${button(pick(lang, 'Bekreft abonnementet', 'Confirm subscription'))}</p>`].join(''),
    }),
  ].join('\n');
  return page({
    lang,
    title: pick(lang, 'Bekreft abonnementet', 'Confirm your subscription'),
    body,
    switchHref: withLang(schemePaths.confirm, { token }, lang === 'nb' ? 'en' : 'nb'),
  });
}

/**
 * After confirming: what they get, and a one-click unsubscribe button (a POST, RFC 8058 style). For a
 * scheme, `sessions` are its coming sessions: only their kinds are promised (roundSessionWords).
 */
export function subscriptionConfirmedPage(
  lang: Lang,
  name: string,
  already: boolean,
  unsubscribeToken: string,
  kind: 'scheme' | 'series' = 'scheme',
  sessions: ReadonlyArray<{ kind?: string }> = [],
): string {
  const body = [
    notice(
      'success',
      paragraph(
        already
          ? pick(lang, `Abonnementet ditt på varsler om ${name} var allerede bekreftet.`, `Your subscription to notices about ${name} was already confirmed.`)
          : pick(lang, `Takk! Du får nå varsler på e-post om ${name}.`, `Thank you! You will now get email notices about ${name}.`),
      ),
    ),
    paragraph(
      kind === 'series'
        ? pick(
            lang,
            'Du får en e-post med lenke til påmeldingen når det kommer et nytt seminar i serien, og lenken til opptaket når det er publisert. Hver e-post har en lenke for å melde deg av.',
            'You will get an email with the registration link whenever there is a new seminar in the series, and the link to the recording once it is published. Every email has a link to unsubscribe.',
          )
        : pick(
            lang,
            `Du får ${roundSessionWords(sessions, lang).promise}. Hver e-post har en lenke for å melde deg av.`,
            `You will get ${roundSessionWords(sessions, lang).promise}. Every email has a link to unsubscribe.`,
          ),
    ),
    form({
      action: schemePaths.unsubscribe,
      body: [hidden('token', unsubscribeToken), hidden('lang', lang), `<p>${button(pick(lang, 'Meld meg av med en gang', 'Unsubscribe now'), { variant: 'secondary' })}</p>`].join(''),
    }),
  ].join('\n');
  return page({ lang, title: pick(lang, 'Abonnementet er bekreftet', 'Subscription confirmed'), body });
}

export function subscriptionEndedPage(lang: Lang, name: string): string {
  return page({
    lang,
    title: pick(lang, 'Du er meldt av', 'You have unsubscribed'),
    body:
      notice('warning', paragraph(pick(lang, `Du har meldt deg av varsler om ${name}.`, `You have unsubscribed from notices about ${name}.`))) +
      paragraph(pick(lang, 'Vil du ha varsler igjen, kan du abonnere på nytt.', 'To get notices again, subscribe again.')),
  });
}

export function unsubscribePage(lang: Lang, name: string, email: string, token: string, already: boolean): string {
  if (already) return unsubscribedPage(lang, name, true);
  const body = [
    paragraph(pick(lang, `Vil du melde deg av varsler om ${name}?`, `Do you want to unsubscribe from notices about ${name}?`)),
    facts([[pick(lang, 'E-post', 'Email'), email]]),
    form({
      action: schemePaths.unsubscribe,
      body: [hidden('token', token), hidden('lang', lang), `<p>${button(pick(lang, 'Meld meg av', 'Unsubscribe'), { variant: 'danger' })}</p>`].join(''),
    }),
  ].join('\n');
  return page({
    lang,
    title: pick(lang, 'Meld deg av', 'Unsubscribe'),
    body,
    switchHref: withLang(schemePaths.unsubscribe, { token }, lang === 'nb' ? 'en' : 'nb'),
  });
}

export function unsubscribedPage(lang: Lang, name: string, already: boolean): string {
  const body = [
    notice(
      'success',
      paragraph(
        already
          ? pick(lang, `Du var allerede meldt av varsler om ${name}.`, `You had already unsubscribed from notices about ${name}.`)
          : pick(lang, `Du er meldt av. Du får ikke flere varsler om ${name}.`, `You have unsubscribed. You will get no more notices about ${name}.`),
      ),
    ),
    paragraph(pick(lang, 'Ombestemmer du deg, kan du abonnere igjen.', 'If you change your mind, you can subscribe again.')),
  ].join('\n');
  return page({ lang, title: pick(lang, 'Du er meldt av', 'You have unsubscribed'), body });
}

export type SubscriptionLinkProblem = 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired' | 'not-found';

export function subscriptionLinkProblemPage(lang: Lang, problem: SubscriptionLinkProblem): string {
  const body =
    problem === 'expired'
      ? pick(
          lang,
          'Lenken er utløpt. Lenker for å bekrefte et abonnement virker i sju dager. Abonner igjen for å få en ny lenke.',
          'The link has expired. Links to confirm a subscription work for seven days. Subscribe again to get a new link.',
        )
      : problem === 'not-found'
        ? pick(lang, 'Vi finner ikke abonnementet som lenken gjelder. Det kan være slettet.', 'We cannot find the subscription this link is about. It may have been deleted.')
        : pick(
            lang,
            'Lenken er ufullstendig eller endret. Åpne lenken direkte fra e-posten, eller kopier hele lenken inn i nettleseren.',
            'The link is incomplete or has been changed. Open it straight from the email, or copy the whole link into your browser.',
          );
  return page({ lang, title: pick(lang, 'Lenken virker ikke', 'This link does not work'), body: notice('error', paragraph(body)) });
}
