/**
 * The registration pages, as pure functions of data: the seminar's page with its form, "check your
 * email", the confirm and cancel pages (a button; a GET never changes anything), their outcomes, and
 * the pages for a link that does not work. Norwegian bokmål by default, English on request.
 */
import type { Registration, Seminar } from '../domain/model.js';
import type { RegistrationState, ModeState } from '../domain/seminar-rules.js';
import { formatHhmm, formatOslo, formatOsloRange } from '../domain/time.js';
import { venueLine } from '../email/templates.js';
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
  type Lang,
  type PageError,
} from './layout.js';
import { seriesBlock, type SeriesFormView } from './series.js';

export type { Lang, PageError };

const pick = (lang: Lang, nb: string, en: string) => (lang === 'nb' ? nb : en);
const quote = (lang: Lang, s: string) => (lang === 'nb' ? `«${s}»` : `“${s}”`);
const norwegianTime = (lang: Lang) => (lang === 'nb' ? '' : ' (Norwegian time)');

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

function whenText(s: Pick<Seminar, 'start' | 'end'>, lang: Lang): string {
  return formatOsloRange(s.start, s.end, lang, { weekday: true }) + norwegianTime(lang);
}

function doorsText(s: Seminar, lang: Lang): [string, string] | undefined {
  if (!s.doorsOpen) return undefined;
  const t = formatHhmm(s.doorsOpen, lang);
  return s.kind === 'breakfast-seminar'
    ? [pick(lang, 'Frokost', 'Breakfast'), pick(lang, `fra kl. ${t}`, `from ${t}`)]
    : [pick(lang, 'Dørene åpner', 'Doors open'), pick(lang, `kl. ${t}`, t)];
}

function deadlineRows(s: Seminar, lang: Lang): Array<[string, string]> {
  const fmt = (d: string) => formatOslo(d, lang, 'long') + norwegianTime(lang);
  const out: Array<[string, string]> = [];
  if (s.physicalDeadline && s.capacity > 0) out.push([pick(lang, 'Påmeldingsfrist, fysisk', 'Deadline, in person'), fmt(s.physicalDeadline)]);
  if (s.digitalDeadline && s.livestream) out.push([pick(lang, 'Påmeldingsfrist, digitalt', 'Deadline, online'), fmt(s.digitalDeadline)]);
  return out;
}

function seatsText(s: Seminar, state: RegistrationState, lang: Lang): string | undefined {
  if (s.capacity === 0) return undefined;
  if (state.seatsLeft === 0) return pick(lang, 'Ingen – fulltegnet', 'None – fully booked');
  return pick(lang, `${state.seatsLeft} av ${s.capacity}`, `${state.seatsLeft} of ${s.capacity}`);
}

function modesText(state: RegistrationState, lang: Lang): string {
  const open: string[] = [];
  if (state.physical.open) open.push(pick(lang, 'fysisk', 'in person'));
  if (state.digital.open) open.push(pick(lang, 'digitalt (strømming)', 'online (livestream)'));
  if (open.length === 0) return pick(lang, 'Påmeldingen er stengt', 'Registration is closed');
  return capitalise(open.join(pick(lang, ' og ', ' and ')));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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

/** Time, place and doors as a definition list. */
function seminarFacts(s: Seminar, lang: Lang, opts: { state?: RegistrationState; attendance?: 'physical' | 'digital' | 'waitlisted' } = {}): string {
  const showPlace = opts.attendance === undefined || opts.attendance === 'physical';
  const doors = showPlace ? doorsText(s, lang) : undefined;
  const rows: Array<readonly [string, string | undefined]> = [
    [pick(lang, 'Tid', 'When'), whenText(s, lang)],
    [pick(lang, 'Sted', 'Where'), showPlace ? venueLine(s.venue) || undefined : pick(lang, 'Digitalt (strømming)', 'Online (livestream)')],
  ];
  if (doors) rows.push(doors);
  if (opts.state) {
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
  const switchHref = withLang(paths.register(s.id), input.sent ? { sent: '1' } : {}, lang === 'nb' ? 'en' : 'nb');
  if (input.sent) return checkEmailPage(lang, s, switchHref);

  const errors = input.errors ?? [];
  const v = input.values ?? {};
  const parts: string[] = [];
  parts.push(errorSummary(lang, errors));
  parts.push(seminarFacts(s, lang, { state }));
  const physicalClosed = modeClosedText('physical', state, lang);
  const digitalClosed = modeClosedText('digital', state, lang);
  if (!state.physical.open && state.physical.reason !== 'not-offered' && state.physical.reason !== 'not-published') {
    parts.push(notice(state.digital.open ? 'warning' : 'error', paragraph(physicalClosed)));
  }
  if (state.digital.open) {
    parts.push(
      notice(
        'info',
        paragraph(
          pick(
            lang,
            'Alle som melder seg på, får tilsendt lenke for strømming før seminaret starter.',
            'Everyone who registers gets the streaming link by email before the seminar starts.',
          ),
        ),
      ),
    );
  }
  parts.push(eligibilityNotice(s, lang));
  if (s.description) parts.push(`<h2>${text(pick(lang, 'Om arrangementet', 'About the event'))}</h2>${paragraphs(s.description)}`);
  parts.push(programList(s, lang));
  parts.push(speakersList(s, lang));

  const anyOpen = state.physical.open || state.digital.open || (state.physical.open === false && state.physical.reason === 'full');
  parts.push(`<h2 id="form-title">${text(pick(lang, 'Meld deg på', 'Register'))}</h2>`);
  if (!anyOpen) {
    parts.push(notice('error', paragraph(pick(lang, 'Påmeldingen er stengt.', 'Registration is closed.'))));
  } else {
    parts.push(registrationForm(lang, s, state, v, errors, physicalClosed, digitalClosed));
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
  const physicalSelectable = state.physical.open || (!state.physical.open && state.physical.reason === 'full');
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
            hint: physicalSelectable ? (state.physical.open ? undefined : physicalClosed) : physicalClosed,
            disabled: !physicalSelectable,
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
  if (offered.physical && physicalSelectable) {
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
        s.doubleOptIn
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

type ShownAttendance = 'physical' | 'digital' | 'waitlisted';

export function attendanceText(a: ShownAttendance, lang: Lang, position?: number): string {
  switch (a) {
    case 'physical':
      return pick(lang, 'Du har plass i salen.', 'You have a seat at the venue.');
    case 'digital':
      return pick(lang, 'Du er påmeldt digital deltakelse.', 'You are registered to attend online.');
    case 'waitlisted':
      return position
        ? pick(
            lang,
            `Du deltar digitalt, og du står som nummer ${position} på ventelisten for plass i salen.`,
            `You attend online, and you are number ${position} on the waiting list for a seat.`,
          )
        : pick(lang, 'Du deltar digitalt, og du står på ventelisten for plass i salen.', 'You attend online, and you are on the waiting list for a seat.');
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
    parts.push(notice('success', paragraph(pick(lang, 'Påmeldingen din er allerede bekreftet.', 'Your registration is already confirmed.')) + paragraph(attendanceText(r.attendance, lang, input.position))));
    parts.push(seminarFacts(s, lang, { attendance: r.attendance }));
    return page({ lang, title: s.title, body: parts.join('\n'), switchHref });
  }
  if (r.status === 'cancelled') {
    parts.push(notice('warning', paragraph(pick(lang, 'Denne påmeldingen er avmeldt. Vil du delta, kan du melde deg på igjen.', 'This registration has been cancelled. To attend, you can register again.'))));
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
  | { outcome: 'waitlisted'; position: number }
  | { outcome: 'full' }
  | { outcome: 'cancelled' }
  | { outcome: 'seminar-cancelled' };

export interface ConfirmedPageInput {
  lang: Lang;
  seminar: Seminar;
  view: ConfirmOutcomeView;
  /** A same-site link that cancels (for the outcome page). */
  cancelHref?: string;
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
      title = pick(lang, 'Du er påmeldt digital deltakelse', 'You are registered to attend online');
      parts.push(
        notice(
          'success',
          (view.because === 'full'
            ? paragraph(pick(lang, 'Det var ingen ledige plasser igjen i salen, så du er påmeldt digitalt.', 'No seats were left at the venue, so you are registered to attend online.'))
            : view.because === 'closed'
              ? paragraph(pick(lang, 'Påmeldingen til fysisk deltakelse er stengt, så du er påmeldt digitalt.', 'Registration to attend in person has closed, so you are registered to attend online.'))
              : '') + paragraph(attendanceText('digital', lang)),
        ),
      );
      parts.push(seminarFacts(s, lang, { attendance: 'digital' }));
      parts.push(paragraph(pick(lang, 'Lenken til strømmingen kommer på e-post før seminaret starter.', 'The streaming link comes by email before the seminar starts.')));
      break;
    case 'waitlisted':
      title = pick(lang, 'Du står på venteliste', 'You are on the waiting list');
      parts.push(notice('success', paragraph(attendanceText('waitlisted', lang, view.position))));
      parts.push(paragraph(pick(lang, 'Blir en plass ledig, får du den i tur og orden, og vi sier fra på e-post.', 'If a seat becomes free, it goes to the next in line, and we will tell you by email.')));
      parts.push(seminarFacts(s, lang, { attendance: 'waitlisted' }));
      break;
    case 'full':
      title = pick(lang, 'Fulltegnet', 'Fully booked');
      parts.push(
        notice(
          'error',
          paragraph(
            pick(
              lang,
              'Dessverre ble siste plass tatt før du bekreftet, og du ba ikke om digital deltakelse eller venteliste. Du er ikke påmeldt.',
              'Sorry, the last seat was taken before you confirmed, and you did not ask to attend online or join the waiting list. You are not registered.',
            ),
          ),
        ),
      );
      parts.push(`<p>${linkButton(pick(lang, 'Meld deg på på nytt', 'Register again'), withLang(paths.register(s.id), {}, lang))}</p>`);
      break;
    case 'cancelled':
      title = pick(lang, 'Påmeldingen er avmeldt', 'The registration is cancelled');
      parts.push(notice('warning', paragraph(pick(lang, 'Denne påmeldingen er avmeldt og kan ikke bekreftes. Vil du delta, kan du melde deg på igjen.', 'This registration has been cancelled and cannot be confirmed. To attend, you can register again.'))));
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
  return page({ lang, title: `${title}: ${s.title}`, heading: false, body: `<h1>${text(title)}</h1>\n<p class="muted">${text(s.title)}</p>\n${parts.join('\n')}` });
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
      title: pick(lang, 'Du er allerede avmeldt', 'You have already cancelled'),
      body: [
        notice('info', paragraph(pick(lang, `Påmeldingen din til ${quote(lang, s.title)} er avmeldt.`, `Your registration for ${quote(lang, s.title)} is cancelled.`))),
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
    r.status === 'confirmed' && r.attendance ? paragraph(attendanceText(r.attendance, lang, input.position)) : '',
    seminarFacts(s, lang, { attendance: r.attendance }),
    r.attendance === 'physical'
      ? paragraph(pick(lang, 'Plassen din går videre til den første på ventelisten.', 'Your seat goes to the first person on the waiting list.'))
      : '',
    form({
      action: paths.cancel,
      body: [hidden('token', input.token), hidden('lang', lang), `<p>${button(pick(lang, 'Meld meg av', 'Cancel my registration'), { variant: 'danger' })}</p>`].join(''),
    }),
  ];
  return page({ lang, title: pick(lang, 'Meld deg av', 'Cancel your registration'), body: parts.join('\n'), switchHref });
}

export function cancelledPage(lang: Lang, s: Seminar, already: boolean): string {
  const body = [
    notice(
      'success',
      paragraph(
        already
          ? pick(lang, `Påmeldingen din til ${quote(lang, s.title)} var allerede avmeldt.`, `Your registration for ${quote(lang, s.title)} was already cancelled.`)
          : pick(lang, `Du er meldt av ${quote(lang, s.title)}.`, `You are no longer registered for ${quote(lang, s.title)}.`),
      ),
    ),
    paragraph(pick(lang, 'Ombestemmer du deg, kan du melde deg på igjen så lenge påmeldingen er åpen.', 'If you change your mind, you can register again while registration is open.')),
    `<p><a href="${text(withLang(paths.register(s.id), {}, lang))}">${text(pick(lang, 'Til påmeldingssiden', 'To the registration page'))}</a></p>`,
  ].join('\n');
  return page({ lang, title: pick(lang, 'Du er meldt av', 'Registration cancelled'), body });
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
