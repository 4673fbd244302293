/**
 * The registration pages, as pure functions of data: the seminar's page with its form, "check your
 * email", the confirm and cancel pages (a button; a GET never changes anything), their outcomes, and
 * the pages for a link that does not work. Norwegian bokmål by default, English on request.
 */
import type { Registration, Seminar } from '../domain/model.js';
import { hasInvitationList } from '../domain/eligibility.js';
import { standing, type RegistrationState, type ModeState, type Standing } from '../domain/registration-lifecycle.js';
import { openFor, physicalSelectable, registrationOpen, seatsOnOffer, type OpenFor } from '../domain/registration-lifecycle.js';
import { formatHhmm, formatOslo, formatOsloWeekdayDate, osloDate } from '../domain/time.js';
import { capitalise, doorsRow as doorsText, norwegianTime, pick, quote, venueLine, whenText } from '../text.js';
import {
  button,
  checkbox,
  errorFor,
  errorSummary,
  facts,
  form,
  hidden,
  linkButton,
  notice,
  page,
  paragraph,
  radioGroup,
  text,
  textField,
  withLang,
  type PageError,
} from './layout.js';
import type { Lang } from '../domain/primitives.js';
import { seriesBlock, type SeriesFormView } from './series.js';

export type { Lang, PageError };

/** What the form sends back when it is shown again: the visitor's own values, as typed. */
export interface FormValues {
  name?: string;
  email?: string;
  organisation?: string;
  mode?: string;
  digitalIfFull?: boolean;
  joinWaitlist?: boolean;
}

/** The paths the pages link to (kept here so routes and pages agree). */
export const paths = {
  register: (seminarId: string) => `/seminars/${encodeURIComponent(seminarId)}/register`,
  registrations: (seminarId: string) => `/seminars/${encodeURIComponent(seminarId)}/registrations`,
  confirm: '/registrations/confirm',
  cancel: '/registrations/cancel',
  stopEmails: '/registrations/stop-emails',
} as const;

// ---------------------------------------------------------------------------------------------
// Field messages

export type FieldProblem = 'name' | 'email' | 'organisation' | 'mode' | 'language' | 'other';

/** A visitor-facing message for an invalid field, in the visitor's language. */
export function fieldMessage(field: string, lang: Lang): string {
  switch (field) {
    case 'name':
      return pick(lang, 'Skriv inn navnet ditt (høyst 200 tegn).', 'Enter your name (at most 200 characters).');
    case 'email':
      return pick(lang, 'Skriv inn en gyldig e-postadresse, som navn@eksempel.no.', 'Enter a valid email address, such as name@example.com.');
    case 'organisation':
      return pick(lang, 'Navnet på virksomheten kan ha høyst 300 tegn.', 'The organisation name can have at most 300 characters.');
    case 'mode':
      return pick(lang, 'Velg om du vil delta fysisk eller digitalt.', 'Choose whether you will attend in person or online.');
    default:
      return pick(lang, 'Noe i skjemaet er ikke gyldig. Sjekk feltene og prøv igjen.', 'Something in the form is not valid. Check the fields and try again.');
  }
}

/** Why a mode is not open, as a sentence. */
export function modeClosedText(mode: 'physical' | 'digital', state: RegistrationState, lang: Lang): string {
  const m: ModeState = state[mode];
  if (m.open) return '';
  if (mode === 'physical') {
    switch (m.reason) {
      case 'full':
        return state.digital.open
          ? pick(
              lang,
              'Arrangementet er fulltegnet for fysisk deltakelse. Du kan delta digitalt, og du kan sette deg på venteliste for en plass i salen.',
              'The event is fully booked for in-person attendance. You can attend online, and you can join the waiting list for a seat.',
            )
          : pick(lang, 'Arrangementet er fulltegnet. Du kan sette deg på venteliste.', 'The event is fully booked. You can join the waiting list.');
      case 'not-offered':
        return pick(lang, 'Dette arrangementet har bare digital deltakelse.', 'This event is online only.');
      case 'started':
        return pick(lang, 'Arrangementet har startet.', 'The event has started.');
      case 'ended':
        return pick(lang, 'Arrangementet er over.', 'The event is over.');
      case 'not-published':
        return pick(lang, 'Påmeldingen er ikke åpen.', 'Registration is not open.');
      default:
        return state.digital.open
          ? pick(
              lang,
              'Det er ikke lenger mulig å melde seg på for fysisk deltakelse, du kan kun delta digitalt.',
              'It is no longer possible to register to attend in person; you can only attend online.',
            )
          : pick(lang, 'Påmeldingen til fysisk deltakelse er stengt.', 'Registration to attend in person has closed.');
    }
  }
  switch (m.reason) {
    case 'not-offered':
      return pick(lang, 'Arrangementet strømmes ikke.', 'The event is not streamed.');
    case 'ended':
      return pick(lang, 'Arrangementet er over.', 'The event is over.');
    default:
      return pick(lang, 'Påmeldingen til digital deltakelse er stengt.', 'Registration to attend online has closed.');
  }
}

// ---------------------------------------------------------------------------------------------
// Pieces about the seminar

function paragraphs(value: string): string {
  return value
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `<p>${text(part).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function deadlineRows(s: Seminar, lang: Lang): Array<[string, string]> {
  const fmt = (d: string) => formatOslo(d, lang, 'long') + norwegianTime(lang);
  const out: Array<[string, string]> = [];
  if (s.physicalDeadline && s.capacity > 0) out.push([pick(lang, 'Påmeldingsfrist, fysisk', 'Deadline, in person'), fmt(s.physicalDeadline)]);
  if (s.digitalDeadline && s.livestream) out.push([pick(lang, 'Påmeldingsfrist, digitalt', 'Deadline, online'), fmt(s.digitalDeadline)]);
  return out;
}

/** Seats left, shown only while seats are on offer (lifecycle `seatsOnOffer`); undefined: no row. */
export function seatsText(s: Pick<Seminar, 'capacity'>, state: RegistrationState, lang: Lang): string | undefined {
  const left = seatsOnOffer(state);
  if (left === undefined) return undefined;
  if (left === 0) return pick(lang, 'Ingen – fulltegnet', 'None – fully booked');
  return pick(lang, `${left} av ${s.capacity}`, `${left} of ${s.capacity}`);
}

const OPEN_FOR_WORDS: Record<OpenFor, { nb: string; en: string }> = {
  physical: { nb: 'fysisk', en: 'in person' },
  waitlist: { nb: 'venteliste for plass i salen', en: 'waiting list for a seat' },
  digital: { nb: 'digitalt (strømming)', en: 'online (livestream)' },
};

/** What registration is open for (lifecycle `openFor`), as the "open for" row says it. */
export function modesText(state: RegistrationState, lang: Lang): string {
  const open = openFor(state).map((o) => OPEN_FOR_WORDS[o][lang]);
  if (open.length === 0) return pick(lang, 'Påmeldingen er stengt', 'Registration is closed');
  return capitalise(open.join(pick(lang, ' og ', ' and ')));
}

function speakerLine(sp: Seminar['speakers'][number]): string {
  return [sp.name, sp.title, sp.organisation].filter((x) => x && x.trim()).join(', ');
}

function programList(s: Seminar, lang: Lang): string {
  if (s.program.length === 0) return '';
  const items = s.program
    .map((item) => {
      const time = formatHhmm(item.start, lang) + (item.end ? `–${formatHhmm(item.end, lang)}` : '');
      const who = item.speakers.map(speakerLine).join('; ');
      const slides = item.slidesUrl ? ` ${linkOrEmpty(item.slidesUrl, pick(lang, 'Presentasjon (PDF)', 'Slides (PDF)'))}` : '';
      return `<li><span class="time">${text(time)}</span>${text(item.title)}${who ? `<br><span class="muted">${text(who)}</span>` : ''}${slides}</li>`;
    })
    .join('');
  return `<h2>${text('Program')}</h2><ul class="program">${items}</ul>`;
}

function linkOrEmpty(url: string, label: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return '';
  } catch {
    return '';
  }
  return `<a href="${text(url)}">${text(label)}</a>`;
}

function speakersList(s: Seminar, lang: Lang): string {
  if (s.speakers.length === 0) return '';
  return `<h2>${text(pick(lang, 'Innledere', 'Speakers'))}</h2><ul>${s.speakers.map((sp) => `<li>${text(speakerLine(sp))}</li>`).join('')}</ul>`;
}

function eligibilityNotice(s: Seminar, lang: Lang): string {
  if (s.eligibility.kind === 'open') return '';
  const rule = s.eligibility.description?.[lang] ?? pick(lang, 'Deltakelse er forbeholdt ansatte hos partnerne og spesielt inviterte.', 'Attendance is reserved for employees of the partners and specially invited guests.');
  return notice('info', paragraph(rule));
}

function contactsBlock(s: Seminar, lang: Lang): string {
  if (s.contacts.length === 0) return '';
  const items = s.contacts
    .map((c) => {
      const parts = [c.name, c.title].filter(Boolean).join(', ');
      const phone = c.phone ? `, ${pick(lang, 'tlf.', 'phone')} ${c.phone}` : '';
      const mail = c.email ? ` <a href="mailto:${text(c.email)}">${text(c.email)}</a>` : '';
      return `<li>${text(parts + phone)}${mail}</li>`;
    })
    .join('');
  return `<h2>${text(pick(lang, 'Kontakt', 'Contact'))}</h2><ul>${items}</ul>`;
}

/** Nothing to register for any more: the seminar has ended (lifecycle phase) or was cancelled. */
const isOver = (s: Pick<Seminar, 'status'>, state: RegistrationState) => s.status === 'cancelled' || state.phase === 'ended';

/** "Arrangementet ble holdt onsdag 17. mars 2027." with the recording once it is published. */
function tookPlaceNotice(s: Seminar, lang: Lang): string {
  const held =
    osloDate(s.start) === osloDate(s.end)
      ? pick(lang, `Arrangementet ble holdt ${formatOsloWeekdayDate(s.start, lang)}.`, `The event took place on ${formatOsloWeekdayDate(s.start, lang)}.`)
      : pick(
          lang,
          `Arrangementet ble holdt fra ${formatOsloWeekdayDate(s.start, lang)} til ${formatOsloWeekdayDate(s.end, lang)}.`,
          `The event took place from ${formatOsloWeekdayDate(s.start, lang)} to ${formatOsloWeekdayDate(s.end, lang)}.`,
        );
  const recording = s.recordingUrl ? linkButton(pick(lang, 'Opptak av seminaret', 'Recording of the seminar'), s.recordingUrl) : '';
  return notice('info', paragraph(held) + (recording ? `<p>${recording}</p>` : ''));
}

/** Time, place and doors as a definition list. */
/** `attendance`: what the registration has (registration-lifecycle.ts `standing`); the venue unless they attend online. */
function seminarFacts(s: Seminar, lang: Lang, opts: { state?: RegistrationState; attendance?: Standing } = {}): string {
  const showPlace = opts.attendance !== 'digital' && opts.attendance !== 'waitlisted-online';
  const doors = showPlace ? doorsText(s, lang) : undefined;
  const rows: Array<readonly [string, string | undefined]> = [
    [pick(lang, 'Tid', 'When'), whenText(s, lang)],
    [pick(lang, 'Sted', 'Where'), showPlace ? venueLine(s.venue) || undefined : pick(lang, 'Digitalt (strømming)', 'Online (livestream)')],
  ];
  if (doors) rows.push(doors);
  // Registration rows only while there is something to register for (not after the end, nor when cancelled).
  if (opts.state && !isOver(s, opts.state)) {
    rows.push([pick(lang, 'Ledige plasser i salen', 'Seats left'), seatsText(s, opts.state, lang)]);
    rows.push([pick(lang, 'Påmelding åpen for', 'Registration open for'), modesText(opts.state, lang)]);
    for (const r of deadlineRows(s, lang)) rows.push(r);
  }
  return facts(rows);
}

// ---------------------------------------------------------------------------------------------
// The registration page

export interface RegisterPageInput {
  lang: Lang;
  seminar: Seminar;
  state: RegistrationState;
  values?: FormValues;
  errors?: PageError[];
  /** The page after a successful post (Post/Redirect/Get): "check your email". */
  sent?: boolean;
  /** The seminar is in a series: a form to subscribe to the series' new seminars (shared/pages/series.ts). */
  series?: SeriesFormView;
}

export function registerPage(input: RegisterPageInput): string {
  const { lang, seminar: s, state } = input;
  // The switch keeps what the page says after a post: "check your email" for the registration or the series.
  const switchHref = withLang(paths.register(s.id), input.sent ? { sent: '1' } : input.series?.sent ? { seriesSent: '1' } : {}, lang === 'nb' ? 'en' : 'nb');
  if (input.sent) return checkEmailPage(lang, s, switchHref);

  const errors = input.errors ?? [];
  const v = input.values ?? {};
  const parts: string[] = [];
  // After the end (or when cancelled) there is no form: no errors about it, no "closed" notices.
  const over = isOver(s, state);
  if (!over) parts.push(errorSummary(lang, errors));
  parts.push(seminarFacts(s, lang, { state }));
  const physicalClosed = modeClosedText('physical', state, lang);
  const digitalClosed = modeClosedText('digital', state, lang);
  if (s.status === 'cancelled') {
    parts.push(notice('warning', paragraph(pick(lang, 'Arrangementet er avlyst.', 'The event has been cancelled.'))));
  } else if (state.phase === 'ended') {
    parts.push(tookPlaceNotice(s, lang));
  } else if (state.phase === 'running') {
    parts.push(
      notice(
        registrationOpen(state) ? 'info' : 'warning',
        paragraph(
          state.digital.open
            ? pick(lang, 'Arrangementet har startet. Du kan fortsatt melde deg på for å følge det digitalt.', 'The event has started. You can still register to follow it online.')
            : pick(lang, 'Arrangementet har startet.', 'The event has started.'),
        ),
      ),
    );
  } else if (!state.physical.open && state.physical.reason !== 'not-offered' && state.physical.reason !== 'not-published') {
    parts.push(notice(state.digital.open ? 'warning' : 'error', paragraph(physicalClosed)));
  }
  if (!over && state.digital.open) {
    parts.push(
      notice(
        'info',
        paragraph(
          state.phase === 'running'
            ? pick(lang, 'Du får lenken til strømmingen på e-post så snart påmeldingen er bekreftet.', 'You get the streaming link by email as soon as your registration is confirmed.')
            : pick(
                lang,
                'Alle som melder seg på, får tilsendt lenke for strømming før seminaret starter.',
                'Everyone who registers gets the streaming link by email before the seminar starts.',
              ),
        ),
      ),
    );
  }
  if (!over) parts.push(eligibilityNotice(s, lang));
  if (s.description) parts.push(`<h2>${text(pick(lang, 'Om arrangementet', 'About the event'))}</h2>${paragraphs(s.description)}`);
  parts.push(programList(s, lang));
  parts.push(speakersList(s, lang));

  if (!over) {
    parts.push(`<h2 id="form-title">${text(pick(lang, 'Meld deg på', 'Register'))}</h2>`);
    if (!registrationOpen(state)) {
      parts.push(notice('error', paragraph(pick(lang, 'Påmeldingen er stengt.', 'Registration is closed.'))));
    } else {
      parts.push(registrationForm(lang, s, state, v, errors, physicalClosed, digitalClosed));
    }
  }
  if (input.series) parts.push(seriesBlock(lang, input.series, s.id));
  parts.push(contactsBlock(s, lang));
  return page({ lang, title: s.title, body: parts.join('\n'), switchHref });
}

function registrationForm(
  lang: Lang,
  s: Seminar,
  state: RegistrationState,
  v: FormValues,
  errors: PageError[],
  physicalClosed: string,
  digitalClosed: string,
): string {
  const canPickPhysical = physicalSelectable(state);
  const offered = {
    physical: s.capacity > 0,
    digital: s.livestream,
  };
  const options = [
    ...(offered.physical
      ? [
          {
            value: 'physical',
            label: pick(lang, 'Fysisk, i salen', 'In person, at the venue'),
            hint: state.physical.open ? undefined : physicalClosed,
            disabled: !canPickPhysical,
          },
        ]
      : []),
    ...(offered.digital
      ? [
          {
            value: 'digital',
            label: pick(lang, 'Digitalt, via strømming', 'Online, by livestream'),
            hint: state.digital.open ? undefined : digitalClosed,
            disabled: !state.digital.open,
          },
        ]
      : []),
  ];
  const selectable = options.filter((o) => !o.disabled);
  const mode = v.mode ?? (selectable.length === 1 ? selectable[0].value : undefined);
  const fields = [
    textField({ lang, name: 'name', label: pick(lang, 'Navn', 'Name'), value: v.name, autocomplete: 'name', required: true, maxLength: 200, error: errorFor(errors, 'name') }),
    textField({
      lang,
      name: 'email',
      type: 'email',
      label: pick(lang, 'E-postadresse', 'Email address'),
      hint: pick(lang, 'Vi sender en lenke du må klikke på for å bekrefte påmeldingen.', 'We will send you a link to confirm your registration.'),
      value: v.email,
      autocomplete: 'email',
      required: true,
      maxLength: 254,
      error: errorFor(errors, 'email'),
    }),
    textField({
      lang,
      name: 'organisation',
      label: pick(lang, 'Virksomhet (valgfritt)', 'Organisation (optional)'),
      value: v.organisation,
      autocomplete: 'organization',
      maxLength: 300,
      error: errorFor(errors, 'organisation'),
    }),
    radioGroup({
      lang,
      name: 'mode',
      legend: pick(lang, 'Hvordan vil du delta?', 'How will you attend?'),
      options,
      value: mode,
      required: true,
      error: errorFor(errors, 'mode'),
    }),
  ];
  if (offered.physical && canPickPhysical) {
    if (offered.digital && state.digital.open) {
      fields.push(
        checkbox({
          lang,
          name: 'digitalIfFull',
          label: pick(lang, 'Delta digitalt hvis det ikke er flere ledige plasser i salen', 'Attend online if no seat is left'),
          checked: v.digitalIfFull ?? true,
          error: errorFor(errors, 'digitalIfFull'),
        }),
      );
    }
    fields.push(
      checkbox({
        lang,
        name: 'joinWaitlist',
        label: pick(lang, 'Sett meg på venteliste hvis salen er full', 'Put me on the waiting list if the venue is full'),
        hint: pick(lang, 'Får du plass senere, sier vi fra på e-post.', 'If a seat becomes free, we will tell you by email.'),
        checked: v.joinWaitlist ?? false,
        error: errorFor(errors, 'joinWaitlist'),
      }),
    );
  }
  fields.push(hidden('language', lang));
  fields.push(`<p>${button(pick(lang, 'Meld meg på', 'Register'))}</p>`);
  fields.push(
    paragraph(
      pick(
        lang,
        'Vi bruker navnet, e-postadressen og virksomheten din bare til å administrere påmeldingen og sende deg informasjon om arrangementet.',
        'We use your name, email address and organisation only to manage your registration and send you information about the event.',
      ),
      'muted',
    ),
  );
  return form({ action: `${paths.registrations(s.id)}?lang=${lang}`, body: fields.join('\n') });
}

function checkEmailPage(lang: Lang, s: Seminar, switchHref: string): string {
  // The same words whether the address was new or already registered: the page reveals nothing.
  const body = [
    notice(
      'success',
      paragraph(
        // With a private invitation list the page cannot say whether a confirm link came: an address not on
        // it gets a refusal by email instead, and the page must not tell the two apart.
        hasInvitationList(s.eligibility)
          ? pick(
              lang,
              `Vi har sendt deg en e-post om ${quote(lang, s.title)}. ${s.doubleOptIn ? 'Kan du melde deg på, har den en lenke du følger for å bekrefte påmeldingen.' : 'Den sier hva du er påmeldt til, om du kan melde deg på.'}`,
              `We have sent you an email about ${quote(lang, s.title)}. ${s.doubleOptIn ? 'If you may register, it has a link to follow to confirm your registration.' : 'If you may register, it says what you are registered for.'}`,
            )
          : s.doubleOptIn
          ? pick(
              lang,
              `Vi har sendt deg en e-post om ${quote(lang, s.title)}. Følg lenken i e-posten for å bekrefte påmeldingen.`,
              `We have sent you an email about ${quote(lang, s.title)}. Follow the link in it to confirm your registration.`,
            )
          : pick(
              lang,
              `Vi har sendt deg en e-post om ${quote(lang, s.title)} med det du er påmeldt til.`,
              `We have sent you an email about ${quote(lang, s.title)} with what you are registered for.`,
            ),
      ),
    ),
    paragraph(
      s.doubleOptIn
        ? pick(
            lang,
            'Finner du ikke e-posten, sjekk søppelpostmappen. Lenken virker i sju dager.',
            'If you cannot find the email, check your spam folder. The link works for seven days.',
          )
        : pick(lang, 'Finner du ikke e-posten, sjekk søppelpostmappen.', 'If you cannot find the email, check your spam folder.'),
    ),
    seminarFacts(s, lang),
    `<p><a href="${text(withLang(paths.register(s.id), {}, lang))}">${text(pick(lang, 'Tilbake til arrangementet', 'Back to the event'))}</a></p>`,
  ].join('\n');
  return page({ lang, title: pick(lang, 'Sjekk e-posten din', 'Check your email'), body, switchHref });
}

// ---------------------------------------------------------------------------------------------
// Confirm and cancel

/** What a registration has, as registration-lifecycle.ts `standing` names it. */
type ShownAttendance = Standing;

export function attendanceText(a: ShownAttendance, lang: Lang, position?: number): string {
  switch (a) {
    case 'physical':
      return pick(lang, 'Du har plass i salen.', 'You have a seat at the venue.');
    case 'digital':
      return pick(lang, 'Du er påmeldt for å delta digitalt.', 'You are registered to attend online.');
    case 'waitlisted-online':
      return position
        ? pick(
            lang,
            `Du deltar digitalt, og du står som nummer ${position} på ventelisten for plass i salen.`,
            `You attend online, and you are number ${position} on the waiting list for a seat.`,
          )
        : pick(lang, 'Du deltar digitalt, og du står på ventelisten for plass i salen.', 'You attend online, and you are on the waiting list for a seat.');
    case 'waitlisted':
      return position
        ? pick(lang, `Du står som nummer ${position} på ventelisten for plass i salen.`, `You are number ${position} on the waiting list for a seat.`)
        : pick(lang, 'Du står på ventelisten for plass i salen.', 'You are on the waiting list for a seat.');
  }
}

export interface ConfirmPageInput {
  lang: Lang;
  seminar: Seminar;
  registration: Registration;
  token: string;
  /** The registration is already confirmed: say what it has, no button. */
  position?: number;
}

/** The page the confirm link opens: a button; nothing changes until it is pressed. */
export function confirmPage(input: ConfirmPageInput): string {
  const { lang, seminar: s, registration: r } = input;
  const switchHref = withLang(paths.confirm, { token: input.token }, lang === 'nb' ? 'en' : 'nb');
  const parts: string[] = [];
  if (r.status === 'confirmed' && r.attendance) {
    parts.push(notice('success', paragraph(pick(lang, 'Påmeldingen din er allerede bekreftet.', 'Your registration is already confirmed.')) + paragraph(attendanceText(standing(r) ?? 'digital', lang, input.position))));
    parts.push(seminarFacts(s, lang, { attendance: standing(r) }));
    return page({ lang, title: s.title, body: parts.join('\n'), switchHref });
  }
  if (r.status === 'cancelled') {
    parts.push(notice('warning', paragraph(pick(lang, 'Denne påmeldingen gjelder ikke lenger. Vil du delta, kan du melde deg på igjen.', 'This registration has been cancelled. To attend, you can register again.'))));
    parts.push(`<p>${linkButton(pick(lang, 'Meld deg på igjen', 'Register again'), withLang(paths.register(s.id), {}, lang))}</p>`);
    return page({ lang, title: s.title, body: parts.join('\n'), switchHref });
  }
  parts.push(
    paragraph(
      pick(
        lang,
        `Trykk på knappen for å bekrefte påmeldingen til ${quote(lang, s.title)}.`,
        `Press the button to confirm your registration for ${quote(lang, s.title)}.`,
      ),
    ),
  );
  parts.push(
    facts([
      [pick(lang, 'Navn', 'Name'), r.name],
      [pick(lang, 'E-post', 'Email'), r.email],
      [pick(lang, 'Virksomhet', 'Organisation'), r.organisation || undefined],
      [pick(lang, 'Ønsket deltakelse', 'Attendance asked for'), r.requestedMode === 'physical' ? pick(lang, 'Fysisk', 'In person') : pick(lang, 'Digitalt', 'Online')],
    ]),
  );
  parts.push(seminarFacts(s, lang));
  parts.push(
    form({
      action: paths.confirm,
      body: [hidden('token', input.token), hidden('lang', lang), `<p>${button(pick(lang, 'Bekreft påmeldingen', 'Confirm registration'))}</p>`].join(''),
    }),
  );
  return page({ lang, title: pick(lang, 'Bekreft påmeldingen', 'Confirm your registration'), body: parts.join('\n'), switchHref });
}

export type ConfirmOutcomeView =
  | { outcome: 'physical' | 'digital'; because?: 'full' | 'closed' }
  /** `online`: attends online while waiting (false: asked for the waitlist only). */
  | { outcome: 'waitlisted'; position: number; online: boolean }
  | { outcome: 'full' | 'closed' }
  | { outcome: 'cancelled' }
  | { outcome: 'seminar-cancelled' };

export interface ConfirmedPageInput {
  lang: Lang;
  seminar: Seminar;
  view: ConfirmOutcomeView;
  /** A same-site link that cancels (for the outcome page). */
  cancelHref?: string;
  /** The language switch: the confirm link's GET page in the other language (it shows the state, and changes nothing). */
  switchHref?: string;
}

/** What the visitor sees after pressing the confirm button. */
export function confirmedPage(input: ConfirmedPageInput): string {
  const { lang, seminar: s, view } = input;
  const parts: string[] = [];
  let title: string;
  switch (view.outcome) {
    case 'physical':
      title = pick(lang, 'Du er påmeldt', 'You are registered');
      parts.push(notice('success', paragraph(attendanceText('physical', lang))));
      parts.push(seminarFacts(s, lang, { attendance: 'physical' }));
      parts.push(paragraph(pick(lang, 'Vi har sendt deg en bekreftelse med kalenderinvitasjon på e-post.', 'We have emailed you a confirmation with a calendar invitation.')));
      break;
    case 'digital':
      title = pick(lang, 'Du er påmeldt for å delta digitalt', 'You are registered to attend online');
      // Said once: why (when a seat was asked for), or just what the registrant has.
      parts.push(
        notice(
          'success',
          paragraph(
            view.because === 'full'
              ? pick(lang, 'Det var ingen ledige plasser igjen i salen, så du er påmeldt for å delta digitalt.', 'No seats were left at the venue, so you are registered to attend online.')
              : view.because === 'closed'
                ? pick(lang, 'Påmeldingen til fysisk deltakelse er stengt, så du er påmeldt for å delta digitalt.', 'Registration to attend in person has closed, so you are registered to attend online.')
                : attendanceText('digital', lang),
          ),
        ),
      );
      parts.push(seminarFacts(s, lang, { attendance: 'digital' }));
      parts.push(paragraph(pick(lang, 'Lenken til strømmingen kommer på e-post før seminaret starter.', 'The streaming link comes by email before the seminar starts.')));
      break;
    case 'waitlisted':
      title = pick(lang, 'Du står på venteliste', 'You are on the waiting list');
      parts.push(notice('success', paragraph(attendanceText(view.online ? 'waitlisted-online' : 'waitlisted', lang, view.position))));
      parts.push(paragraph(pick(lang, 'Blir en plass ledig, får du den i tur og orden, og vi sier fra på e-post.', 'If a seat becomes free, it goes to the next in line, and we will tell you by email.')));
      parts.push(seminarFacts(s, lang, { attendance: view.online ? 'waitlisted-online' : 'waitlisted' }));
      break;
    case 'closed':
    case 'full':
      // Nothing asked for was left when the confirmation came: the registration was not kept.
      title = view.outcome === 'full' ? pick(lang, 'Fulltegnet', 'Fully booked') : pick(lang, 'Påmeldingen er stengt', 'Registration is closed');
      parts.push(
        notice(
          'error',
          paragraph(
            view.outcome === 'full'
              ? pick(
                  lang,
                  'Dessverre ble siste plass tatt før du bekreftet, og du ba ikke om digital deltakelse eller venteliste. Du er ikke påmeldt.',
                  'Sorry, the last seat was taken before you confirmed, and you did not ask to attend online or join the waiting list. You are not registered.',
                )
              : pick(
                  lang,
                  'Dessverre stengte påmeldingen før du bekreftet, for det du ba om. Du er ikke påmeldt.',
                  'Sorry, registration for what you asked for closed before you confirmed. You are not registered.',
                ),
          ),
        ),
      );
      parts.push(`<p>${linkButton(pick(lang, 'Meld deg på på nytt', 'Register again'), withLang(paths.register(s.id), {}, lang))}</p>`);
      break;
    case 'cancelled':
      title = pick(lang, 'Du er meldt av', 'Your registration is cancelled');
      parts.push(notice('warning', paragraph(pick(lang, 'Du har meldt deg av, så påmeldingen kan ikke bekreftes. Vil du delta, kan du melde deg på igjen.', 'This registration has been cancelled and cannot be confirmed. To attend, you can register again.'))));
      parts.push(`<p>${linkButton(pick(lang, 'Meld deg på igjen', 'Register again'), withLang(paths.register(s.id), {}, lang))}</p>`);
      break;
    case 'seminar-cancelled':
      title = pick(lang, 'Arrangementet er avlyst', 'The event is cancelled');
      parts.push(notice('error', paragraph(pick(lang, `${quote(lang, s.title)} er avlyst.`, `${quote(lang, s.title)} has been cancelled.`))));
      break;
  }
  if (input.cancelHref && (view.outcome === 'physical' || view.outcome === 'digital' || view.outcome === 'waitlisted')) {
    parts.push(
      `<p>${text(pick(lang, 'Kan du ikke delta likevel?', 'Cannot attend after all?'))} <a href="${text(input.cancelHref)}">${text(pick(lang, 'Meld deg av', 'Cancel your registration'))}</a></p>`,
    );
  }
  return page({ lang, title: `${title}: ${s.title}`, heading: false, body: `<h1>${text(title)}</h1>\n<p class="muted">${text(s.title)}</p>\n${parts.join('\n')}`, switchHref: input.switchHref });
}

export interface CancelPageInput {
  lang: Lang;
  seminar: Seminar;
  registration: Registration;
  token: string;
  position?: number;
}

/** The page the cancel link opens: a button; nothing changes until it is pressed. */
export function cancelPage(input: CancelPageInput): string {
  const { lang, seminar: s, registration: r } = input;
  const switchHref = withLang(paths.cancel, { token: input.token }, lang === 'nb' ? 'en' : 'nb');
  if (r.status === 'cancelled') {
    return page({
      lang,
      title: pick(lang, 'Du er allerede meldt av', 'You have already cancelled your registration'),
      body: [
        notice('info', paragraph(pick(lang, `Du er ikke lenger påmeldt ${quote(lang, s.title)}.`, `Your registration for ${quote(lang, s.title)} is cancelled.`))),
        `<p><a href="${text(withLang(paths.register(s.id), {}, lang))}">${text(pick(lang, 'Meld deg på igjen', 'Register again'))}</a></p>`,
      ].join('\n'),
      switchHref,
    });
  }
  const parts = [
    paragraph(pick(lang, `Vil du melde deg av ${quote(lang, s.title)}?`, `Do you want to cancel your registration for ${quote(lang, s.title)}?`)),
    facts([
      [pick(lang, 'Navn', 'Name'), r.name],
      [pick(lang, 'E-post', 'Email'), r.email],
      [pick(lang, 'Virksomhet', 'Organisation'), r.organisation || undefined],
    ]),
    r.status === 'confirmed' && r.attendance ? paragraph(attendanceText(standing(r) ?? 'digital', lang, input.position)) : '',
    seminarFacts(s, lang, { attendance: standing(r) }),
    r.attendance === 'physical'
      ? paragraph(pick(lang, 'Plassen din går videre til den første på ventelisten.', 'Your seat goes to the first person on the waiting list.'))
      : '',
    form({
      action: paths.cancel,
      body: [hidden('token', input.token), hidden('lang', lang), `<p>${button(pick(lang, 'Meld deg av', 'Cancel your registration'), { variant: 'danger' })}</p>`].join(''),
    }),
  ];
  return page({ lang, title: pick(lang, 'Meld deg av', 'Cancel your registration'), body: parts.join('\n'), switchHref });
}

/** After the cancel button; `switchHref`: the cancel link's GET page in the other language (it shows the state). */
export function cancelledPage(lang: Lang, s: Seminar, already: boolean, switchHref?: string): string {
  const body = [
    notice(
      'success',
      paragraph(
        already
          ? pick(lang, `Du var allerede meldt av ${quote(lang, s.title)}.`, `Your registration for ${quote(lang, s.title)} was already cancelled.`)
          : pick(lang, `Du er meldt av ${quote(lang, s.title)}.`, `You are no longer registered for ${quote(lang, s.title)}.`),
      ),
    ),
    paragraph(pick(lang, 'Ombestemmer du deg, kan du melde deg på igjen så lenge påmeldingen er åpen.', 'If you change your mind, you can register again while registration is open.')),
    `<p><a href="${text(withLang(paths.register(s.id), {}, lang))}">${text(pick(lang, 'Til påmeldingssiden', 'To the registration page'))}</a></p>`,
  ].join('\n');
  return page({ lang, title: pick(lang, 'Du er meldt av', 'Your registration is cancelled'), body, switchHref });
}

/** The cancel link once the seminar has started: the registration stands; emails about it can be stopped. */
export function cannotCancelPage(lang: Lang, s: Seminar, stopEmailsHref: string): string {
  const body = [
    notice(
      'info',
      paragraph(
        pick(
          lang,
          `${quote(lang, s.title)} har startet, så påmeldingen kan ikke lenger meldes av.`,
          `${quote(lang, s.title)} has started, so the registration can no longer be cancelled.`,
        ),
      ),
    ),
    `<p>${text(pick(lang, 'Vil du ikke ha flere e-poster om arrangementet (som lenken til opptaket), kan du si fra her:', 'If you want no more emails about the event (such as the link to the recording), say so here:'))} <a href="${text(stopEmailsHref)}">${text(pick(lang, 'Ingen flere e-poster om dette', 'No more emails about this'))}</a></p>`,
  ].join('\n');
  return page({ lang, title: pick(lang, 'Arrangementet har startet', 'The event has started'), body });
}

/** The stop-emails link's page: a button; nothing changes until it is pressed. */
export function stopEmailsPage(input: { lang: Lang; seminar: Seminar; token: string; stopped: boolean }): string {
  const { lang, seminar: s } = input;
  const switchHref = withLang(paths.stopEmails, { token: input.token }, lang === 'nb' ? 'en' : 'nb');
  if (input.stopped) return emailsStoppedPage(lang, s, true, switchHref);
  const body = [
    paragraph(pick(lang, `Vil du slutte å få e-post om ${quote(lang, s.title)}?`, `Do you want to stop getting emails about ${quote(lang, s.title)}?`)),
    paragraph(pick(lang, 'Påmeldingen din blir stående som den er.', 'Your registration stays as it is.'), 'muted'),
    form({
      action: paths.stopEmails,
      body: [hidden('token', input.token), hidden('lang', lang), `<p>${button(pick(lang, 'Ingen flere e-poster om dette', 'No more emails about this'))}</p>`].join(''),
    }),
  ].join('\n');
  return page({ lang, title: pick(lang, 'Ingen flere e-poster', 'No more emails'), body, switchHref });
}

export function emailsStoppedPage(lang: Lang, s: Seminar, already: boolean, switchHref?: string): string {
  const body = notice(
    'success',
    paragraph(
      already
        ? pick(lang, `Du får allerede ingen flere e-poster om ${quote(lang, s.title)}.`, `You already get no more emails about ${quote(lang, s.title)}.`)
        : pick(lang, `Du får ingen flere e-poster om ${quote(lang, s.title)}.`, `You will get no more emails about ${quote(lang, s.title)}.`),
    ),
  );
  return page({ lang, title: pick(lang, 'Ingen flere e-poster', 'No more emails'), body, switchHref });
}

// ---------------------------------------------------------------------------------------------
// Pages for what went wrong

export type LinkProblem = 'malformed' | 'bad-signature' | 'wrong-purpose' | 'expired' | 'not-found';

/** A link that does not work: tampered, cut short, expired, or about data that is gone. */
export function linkProblemPage(lang: Lang, problem: LinkProblem): string {
  const body =
    problem === 'expired'
      ? pick(
          lang,
          'Lenken er utløpt. Lenker for å bekrefte en påmelding virker i sju dager. Meld deg på igjen for å få en ny lenke.',
          'The link has expired. Links to confirm a registration work for seven days. Register again to get a new link.',
        )
      : problem === 'not-found'
        ? pick(lang, 'Vi finner ikke påmeldingen som lenken gjelder. Den kan være slettet.', 'We cannot find the registration this link is about. It may have been deleted.')
        : pick(
            lang,
            'Lenken er ufullstendig eller endret. Åpne lenken direkte fra e-posten, eller kopier hele lenken inn i nettleseren.',
            'The link is incomplete or has been changed. Open it straight from the email, or copy the whole link into your browser.',
          );
  return page({ lang, title: pick(lang, 'Lenken virker ikke', 'This link does not work'), body: notice('error', paragraph(body)) });
}

/** No such (published) seminar. */
export function seminarNotFoundPage(lang: Lang): string {
  return page({
    lang,
    title: pick(lang, 'Fant ikke arrangementet', 'Event not found'),
    body: notice('error', paragraph(pick(lang, 'Vi finner ikke dette arrangementet. Sjekk lenken.', 'We cannot find this event. Check the link.'))),
  });
}
