/**
 * Every email the system sends, as pure functions of data, in Norwegian bokmål and English.
 *
 * Each message kind is first turned into a small list of blocks (paragraphs, detail rows, buttons,
 * lists); the same blocks are then rendered as plain text and as simple, inline-styled, accessible
 * HTML in which every piece of user-provided text is escaped. Every email ends with its cancel or
 * unsubscribe link. Times are shown in Europe/Oslo.
 */
import type { Attendance, Seminar } from '../domain/model.js';
import {
  formatHhmm,
  formatOslo,
  formatOsloRange,
  formatOsloWeekdayDate,
  isEndOfDayOslo,
  type Lang,
} from '../domain/time.js';
import { escapeHtml, safeHref } from './html.js';
import { roundSessionWords, type RoundSessionKind, type SessionPlace } from '../domain/funding.js';

export type { Lang };

// ---------------------------------------------------------------------------------------------
// Data

/** The parts of a seminar that emails show. A full `Seminar` fits. */
export type EmailSeminar = Pick<Seminar, 'title' | 'start' | 'end'> &
  Partial<
    Pick<
      Seminar,
      | 'kind'
      | 'description'
      | 'venue'
      | 'doorsOpen'
      | 'program'
      | 'contacts'
      | 'livestream'
      | 'physicalDeadline'
      | 'digitalDeadline'
      | 'eligibility'
    >
  >;

export type Contact = Seminar['contacts'][number];
export type Venue = NonNullable<Seminar['venue']>;
type When = Date | string;

/** A funding scheme as the deadline emails show it. */
export interface EmailScheme {
  name: string;
  description?: string;
  /** Total budget in NOK, e.g. 120_000_000. */
  budgetNok?: number;
  /** Largest share of a project's costs the scheme covers, in per cent, e.g. 50. */
  maxSharePercent?: number;
  /** The scheme's web page. */
  url?: string;
  contacts?: Contact[];
}

/** A session tied to a scheme round: a guidance session, or a pitch day. */
export interface GuidanceSessionInfo {
  /** What kind of session; without it, a guidance session. The words for it: roundSessionWords (shared/domain/funding.ts). */
  kind?: RoundSessionKind;
  title?: string;
  start: When;
  end?: When;
  venue?: Venue;
  /** Where to register for it. */
  registerUrl?: string;
}

interface Common {
  /** The recipient's name, for the greeting. */
  name?: string;
  /** The sender shown under "Vennlig hilsen", e.g. "Partnerforum". */
  organiser?: string;
}

interface AboutSeminar extends Common {
  seminar: EmailSeminar;
}

interface ForRegistrant extends AboutSeminar {
  /** Cancels the registration (or, once the seminar is over or cancelled, stops emails about it). */
  cancelUrl: string;
}

/** Step one of double opt-in: confirm the address. */
export interface ConfirmRegistrationMessage extends ForRegistrant {
  kind: 'confirm-registration';
  mode: 'physical' | 'digital';
  confirmUrl: string;
  /** When the confirmation link stops working. */
  expiresAt?: When;
}

/** Someone registered an address that already is: nothing changed, and we say so only by email. */
export interface AlreadyRegisteredMessage extends ForRegistrant {
  kind: 'already-registered';
  attendance?: Attendance;
  waitlistPosition?: number;
  /** Waitlisted: attends online meanwhile (false: the waitlist only). */
  online?: boolean;
}

/** How the streaming link reaches a digital attendee: either it is here, or it comes later. */
interface StreamingInfo {
  /** The link itself, when it has already gone out to others. */
  streamingUrl?: string;
  /** When the link will be sent. */
  streamingLinkAt?: When;
}

export type RegistrationOutcome =
  | { kind: 'physical' }
  | ({ kind: 'digital'; /** Why not physical, if that was asked for. */ because?: 'full' | 'closed' } & StreamingInfo)
  /** `online`: attends online while waiting; false when only the waitlist was asked for (no streaming for them). */
  | ({ kind: 'waitlisted'; position: number; online: boolean } & StreamingInfo);

export interface RegistrationConfirmedMessage extends ForRegistrant {
  kind: 'registration-confirmed';
  outcome: RegistrationOutcome;
  /** Whether an .ics invite is attached. */
  calendarAttached?: boolean;
}

/**
 * The receipt for a registrant who cancelled: nothing is left to cancel, so it carries no cancel link;
 * it ends with the seminar's registration page instead (and offers it while registration is open).
 */
export interface RegistrationCancelledMessage extends AboutSeminar {
  kind: 'registration-cancelled';
  /** The seminar's registration page. */
  registerUrl: string;
  /** Registration is still open: offer to register again. */
  registrationOpen: boolean;
  /** Whether the `.ics` that removes the event is attached. */
  calendarAttached?: boolean;
}

export interface WaitlistPromotedMessage extends ForRegistrant {
  kind: 'waitlist-promoted';
  calendarAttached?: boolean;
}

export interface SeminarReminderMessage extends ForRegistrant, StreamingInfo {
  kind: 'seminar-reminder';
  attendance: Attendance;
}

export interface StreamingLinkMessage extends ForRegistrant {
  kind: 'streaming-link';
  streamingUrl: string;
}

export interface SeminarMovedMessage extends ForRegistrant {
  kind: 'seminar-moved';
  /** `seminar.start`/`end` are the new times. */
  previousStart: When;
  previousEnd?: When;
  attendance?: Attendance;
  calendarAttached?: boolean;
}

export interface SeminarCancelledMessage extends ForRegistrant {
  kind: 'seminar-cancelled';
  /** The organiser's explanation, if any. */
  reason?: string;
  calendarAttached?: boolean;
}

export interface RecordingPublishedMessage extends ForRegistrant {
  kind: 'recording-published';
  recordingUrl: string;
}

/** The recording, to a subscriber of the seminar's series who was not registered for it. */
export interface SeriesRecordingPublishedMessage extends AboutSeminar {
  kind: 'series-recording-published';
  series: { name: string };
  recordingUrl: string;
  unsubscribeUrl: string;
}

/** A new seminar in a series someone subscribes to. */
export interface SeminarAnnouncedMessage extends AboutSeminar {
  kind: 'seminar-announced';
  series?: { name: string };
  /** A guidance session of a funding scheme, announced to the scheme's subscribers. */
  scheme?: { name: string; deadline?: When; endOfDay?: boolean };
  registerUrl: string;
  unsubscribeUrl: string;
}

/**
 * A seminar someone was told about as a subscriber (a series, or a funding scheme it is a guidance session
 * of) moved or was cancelled; for those not registered for it (registrants get their own notice).
 */
export interface AnnouncedSeminarChangedMessage extends AboutSeminar {
  kind: 'announced-seminar-changed';
  change: { kind: 'moved'; previousStart: When } | { kind: 'cancelled'; reason?: string };
  series?: { name: string };
  scheme?: { name: string };
  /** For a moved seminar: its registration page. */
  registerUrl?: string;
  unsubscribeUrl: string;
}

export interface ConfirmSubscriptionMessage extends Common {
  kind: 'confirm-subscription';
  target: { kind: 'scheme' | 'series'; name: string };
  /**
   * A scheme's coming sessions (guidance sessions, pitch days) across its rounds: the email promises
   * news of those kinds only (none given: deadlines and reminders only).
   */
  sessions?: ReadonlyArray<{ kind?: string }>;
  confirmUrl: string;
  unsubscribeUrl: string;
  expiresAt?: When;
}

interface AboutDeadline extends Common {
  scheme: EmailScheme;
  /** The round, e.g. "2018". */
  round?: string;
  deadline: When;
  /** The deadline was given as a date: it means the end of that day. Detected from 23:59 Oslo time if absent. */
  endOfDay?: boolean;
  guidanceSessions?: GuidanceSessionInfo[];
  unsubscribeUrl: string;
}

export interface DeadlineAnnouncedMessage extends AboutDeadline {
  kind: 'deadline-announced';
}

export interface DeadlineReminderMessage extends AboutDeadline {
  kind: 'deadline-reminder';
  /** Whole days left, as scheduled (e.g. 7 or 1). */
  daysLeft?: number;
}

export interface DeadlineMovedMessage extends AboutDeadline {
  kind: 'deadline-moved';
  previousDeadline: When;
  previousEndOfDay?: boolean;
}

export type EmailMessage =
  | ConfirmRegistrationMessage
  | AlreadyRegisteredMessage
  | RegistrationConfirmedMessage
  | RegistrationCancelledMessage
  | WaitlistPromotedMessage
  | SeminarReminderMessage
  | StreamingLinkMessage
  | SeminarMovedMessage
  | SeminarCancelledMessage
  | RecordingPublishedMessage
  | SeriesRecordingPublishedMessage
  | SeminarAnnouncedMessage
  | AnnouncedSeminarChangedMessage
  | ConfirmSubscriptionMessage
  | DeadlineAnnouncedMessage
  | DeadlineReminderMessage
  | DeadlineMovedMessage;

export type EmailKind = EmailMessage['kind'];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The link that ends the email: its cancel or unsubscribe link (for `List-Unsubscribe` on bulk notices);
 * a cancellation receipt, with nothing left to cancel, ends with the seminar's registration page.
 */
export function optOutUrl(message: EmailMessage): string {
  if (message.kind === 'registration-cancelled') return message.registerUrl;
  return 'cancelUrl' in message ? message.cancelUrl : message.unsubscribeUrl;
}

/** A subject line: no CR/LF or other control characters, single spaces. */
export function sanitizeSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  return subject.replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Blocks

interface Link {
  label: string;
  url: string;
}

interface ListItem {
  text: string;
  link?: Link;
}

type Block =
  | { t: 'p'; text: string }
  | { t: 'h2'; text: string }
  | { t: 'rows'; rows: Array<[label: string, value: string]> }
  | { t: 'button'; link: Link }
  | { t: 'link'; link: Link }
  | { t: 'list'; items: ListItem[] }
  | { t: 'contacts'; contacts: Contact[] };

interface Draft {
  subject: string;
  heading: string;
  blocks: Block[];
  /** Why the recipient gets this, and the link to stop it. */
  footer: { text: string; link: Link };
}

const p = (text: string): Block => ({ t: 'p', text });
const h2 = (text: string): Block => ({ t: 'h2', text });
const rows = (...r: Array<[string, string] | undefined | false>): Block => ({
  t: 'rows',
  rows: r.filter((x): x is [string, string] => Array.isArray(x)),
});
const button = (label: string, url: string): Block => ({ t: 'button', link: { label, url } });
const link = (label: string, url: string): Block => ({ t: 'link', link: { label, url } });

// ---------------------------------------------------------------------------------------------
// Words

const nb = (lang: Lang) => lang === 'nb';
const pick = (lang: Lang, nbText: string, enText: string) => (nb(lang) ? nbText : enText);
const quote = (lang: Lang, s: string) => (nb(lang) ? `«${s}»` : `“${s}”`);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

type SeminarKind = NonNullable<EmailSeminar['kind']>;

const KIND_WORDS: Record<SeminarKind, { nb: [definite: string, fresh: string]; en: [definite: string, fresh: string] }> = {
  seminar: { nb: ['seminaret', 'Nytt seminar'], en: ['the seminar', 'New seminar'] },
  'breakfast-seminar': { nb: ['frokostseminaret', 'Nytt frokostseminar'], en: ['the breakfast seminar', 'New breakfast seminar'] },
  'guidance-session': { nb: ['veiledningssamlingen', 'Ny veiledningssamling'], en: ['the guidance session', 'New guidance session'] },
  pitch: { nb: ['arrangementet', 'Nytt arrangement'], en: ['the event', 'New event'] },
  gathering: { nb: ['samlingen', 'Ny samling'], en: ['the gathering', 'New gathering'] },
};

/** "seminaret" / "the seminar", by kind. */
const theSeminar = (s: EmailSeminar, lang: Lang) => KIND_WORDS[s.kind ?? 'seminar'][lang][0];
/** "Nytt seminar" / "New seminar", by kind. */
const newSeminar = (s: EmailSeminar, lang: Lang) => KIND_WORDS[s.kind ?? 'seminar'][lang][1];

const norwegianTime = (lang: Lang) => (nb(lang) ? '' : ' (Norwegian time)');

function when(s: Pick<EmailSeminar, 'start' | 'end'>, lang: Lang): string {
  return formatOsloRange(s.start, s.end, lang, { weekday: true }) + norwegianTime(lang);
}

/** "Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1". */
export function venueLine(v: Venue | undefined): string {
  if (!v) return '';
  return [v.name, v.room, v.address].filter((x) => x && x.trim()).join(', ');
}

function doorsRow(s: EmailSeminar, lang: Lang): [string, string] | undefined {
  if (!s.doorsOpen) return undefined;
  const t = formatHhmm(s.doorsOpen, lang);
  return s.kind === 'breakfast-seminar'
    ? [pick(lang, 'Frokost', 'Breakfast'), pick(lang, `fra kl. ${t}`, `from ${t}`)]
    : [pick(lang, 'Dørene åpner', 'Doors open'), pick(lang, `kl. ${t}`, t)];
}

/** Time, and place or "online", for someone attending in the given way. */
function seminarRows(s: EmailSeminar, lang: Lang, attendance?: Attendance): Block {
  const place = venueLine(s.venue);
  const online: [string, string] = [pick(lang, 'Deltakelse', 'Attendance'), pick(lang, 'Digitalt (strømming)', 'Online (livestream)')];
  return rows(
    [pick(lang, 'Tid', 'When'), when(s, lang)],
    attendance !== 'digital' && attendance !== 'waitlisted' && place !== '' && [pick(lang, 'Sted', 'Where'), place],
    (attendance === undefined || attendance === 'physical') && doorsRow(s, lang),
    (attendance === 'digital' || attendance === 'waitlisted') && online,
  );
}

function streamingBlocks(s: EmailSeminar, lang: Lang, info: StreamingInfo): Block[] {
  if (info.streamingUrl) {
    return [button(pick(lang, 'Se strømmingen', 'Watch the livestream'), info.streamingUrl)];
  }
  const the = theSeminar(s, lang);
  let text = pick(lang, `Lenke til strømming sendes ut før ${the} starter.`, `The streaming link will be sent by email before ${the} starts.`);
  if (info.streamingLinkAt) {
    const at = formatOslo(info.streamingLinkAt, lang, 'long');
    text += pick(lang, ` Du får den på e-post ${at}.`, ` You will get it on ${at}${norwegianTime(lang)}.`);
  }
  return [p(text)];
}

function calendarBlock(lang: Lang, attached: boolean | undefined, updated = false): Block[] {
  if (!attached) return [];
  return [
    p(
      updated
        ? pick(lang, 'Den oppdaterte kalenderinvitasjonen ligger vedlagt.', 'The updated calendar invitation is attached.')
        : pick(lang, 'En kalenderinvitasjon ligger vedlagt.', 'A calendar invitation is attached.'),
    ),
  ];
}

function contactBlocks(contacts: Contact[] | undefined, lang: Lang): Block[] {
  if (!contacts || contacts.length === 0) return [];
  return [h2(pick(lang, 'Spørsmål?', 'Questions?')), p(pick(lang, 'Ta kontakt med oss:', 'Get in touch:')), { t: 'contacts', contacts }];
}

function registrantFooter(m: ForRegistrant, lang: Lang): Draft['footer'] {
  return {
    text: pick(
      lang,
      `Du får denne e-posten fordi du har meldt deg på ${quote(lang, m.seminar.title)}. Kan du ikke delta likevel, kan du melde deg av her:`,
      `You are receiving this email because you registered for ${quote(lang, m.seminar.title)}. If you cannot attend after all, you can cancel your registration here:`,
    ),
    link: { label: pick(lang, 'Meld deg av', 'Cancel your registration'), url: m.cancelUrl },
  };
}

/** For emails after the seminar is over or cancelled: the link stops further emails about it. */
function pastRegistrantFooter(m: ForRegistrant, lang: Lang): Draft['footer'] {
  return {
    text: pick(
      lang,
      `Du får denne e-posten fordi du var påmeldt ${quote(lang, m.seminar.title)}. Vil du ikke ha flere e-poster om dette, bruk denne lenken:`,
      `You are receiving this email because you registered for ${quote(lang, m.seminar.title)}. To stop emails about it, use this link:`,
    ),
    link: { label: pick(lang, 'Meld deg av', 'Unsubscribe'), url: m.cancelUrl },
  };
}

function subscriberFooter(about: string, url: string, lang: Lang): Draft['footer'] {
  return {
    text: pick(
      lang,
      `Du får denne e-posten fordi du abonnerer på varsler om ${about}. Du kan melde deg av med ett klikk:`,
      `You are receiving this email because you subscribed to notices about ${about}. You can unsubscribe with one click:`,
    ),
    link: { label: pick(lang, 'Meld deg av', 'Unsubscribe'), url },
  };
}

export function deadlineText(deadline: When, endOfDay: boolean | undefined, lang: Lang): string {
  const eod = endOfDay ?? isEndOfDayOslo(deadline);
  if (eod) {
    const day = formatOsloWeekdayDate(deadline, lang);
    return pick(lang, `${day}, innen utgangen av dagen`, `${day}, end of day (Norwegian time)`);
  }
  return formatOslo(deadline, lang, 'long') + norwegianTime(lang);
}

export function amountText(nok: number, lang: Lang): string {
  const millions = nok / 1_000_000;
  if (nok >= 1_000_000 && Number.isInteger(millions * 10)) {
    const n = new Intl.NumberFormat(nb(lang) ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 1 }).format(millions);
    return pick(lang, `${n} millioner kroner`, `NOK ${n} million`);
  }
  const n = new Intl.NumberFormat(nb(lang) ? 'nb-NO' : 'en-GB', { maximumFractionDigits: 0 }).format(nok);
  return pick(lang, `${n} kroner`, `NOK ${n}`);
}

/** Description, round, budget and share (the deadline itself is said in a sentence). */
function schemeBlocks(m: AboutDeadline, lang: Lang): Block[] {
  const s = m.scheme;
  const blocks: Block[] = [];
  if (s.description) blocks.push(p(s.description));
  blocks.push(
    rows(
      m.round !== undefined && m.round !== '' && [pick(lang, 'Runde', 'Round'), m.round],
      s.budgetNok !== undefined && [pick(lang, 'Ramme', 'Budget'), amountText(s.budgetNok, lang)],
      s.maxSharePercent !== undefined && [
        pick(lang, 'Støtte', 'Funding'),
        pick(lang, `opptil ${s.maxSharePercent} prosent av kostnadene`, `up to ${s.maxSharePercent}% of the costs`),
      ],
    ),
  );
  return blocks;
}

/** The round's sessions, one heading per kind (guidance sessions, a pitch day), in the words for that kind. */
function sessionBlocks(sessions: GuidanceSessionInfo[] | undefined, lang: Lang, place: SessionPlace): Block[] {
  return roundSessionWords(sessions ?? [], lang).groups.flatMap((group) => {
    const items = group.sessions.map((g): ListItem => {
      const time = g.end ? formatOsloRange(g.start, g.end, lang, { weekday: true }) : formatOslo(g.start, lang, 'long');
      const text = [g.title, time + norwegianTime(lang), venueLine(g.venue)].filter((x) => x).join(', ');
      return { text, link: g.registerUrl ? { label: group.register, url: g.registerUrl } : undefined };
    });
    return [h2(group.heading), p(group.intro[place]), { t: 'list', items }];
  });
}

function schemeLink(s: EmailScheme, lang: Lang): Block[] {
  return s.url ? [link(pick(lang, 'Les mer om ordningen', 'Read more about the scheme'), s.url)] : [];
}

function registrationDeadlineRows(s: EmailSeminar, lang: Lang): Array<[string, string] | undefined> {
  const fmt = (d: string) => formatOslo(d, lang, 'datetime') + norwegianTime(lang);
  const label = pick(lang, 'Påmeldingsfrist', 'Registration deadline');
  if (s.physicalDeadline && s.digitalDeadline && s.physicalDeadline !== s.digitalDeadline) {
    return [
      [pick(lang, `${label}, fysisk deltakelse`, `${label}, in person`), fmt(s.physicalDeadline)],
      [pick(lang, `${label}, digital deltakelse`, `${label}, online`), fmt(s.digitalDeadline)],
    ];
  }
  const only = s.physicalDeadline ?? s.digitalDeadline;
  return only ? [[label, fmt(only)]] : [];
}

function programBlocks(s: EmailSeminar, lang: Lang): Block[] {
  if (!s.program || s.program.length === 0) return [];
  const items = s.program.map((item): ListItem => {
    const time = formatHhmm(item.start, lang) + (item.end ? `–${formatHhmm(item.end, lang)}` : '');
    const speakers = (item.speakers ?? [])
      .map((sp) => [sp.name, sp.title, sp.organisation].filter((x) => x).join(', '))
      .join('; ');
    return { text: `${time} ${item.title}${speakers ? ` (${speakers})` : ''}` };
  });
  return [h2('Program'), { t: 'list', items }];
}

function slidesBlocks(s: EmailSeminar, lang: Lang): Block[] {
  const withSlides = (s.program ?? []).filter((i) => i.slidesUrl);
  if (withSlides.length === 0) return [];
  return [
    h2(pick(lang, 'Presentasjoner', 'Slides')),
    {
      t: 'list',
      items: withSlides.map((i) => ({ text: i.title, link: { label: 'PDF', url: i.slidesUrl as string } })),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The messages

function confirmRegistration(m: ConfirmRegistrationMessage, lang: Lang): Draft {
  const title = m.seminar.title;
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Takk for at du vil delta på ${quote(lang, title)}. Påmeldingen gjelder først når du har bekreftet den.`,
        `Thank you for registering for ${quote(lang, title)}. Your registration counts once you have confirmed it.`,
      ),
    ),
    p(
      m.mode === 'physical'
        ? pick(lang, 'Du har meldt deg på fysisk deltakelse.', 'You asked to attend in person.')
        : pick(lang, 'Du har meldt deg på for å delta digitalt.', 'You asked to attend online.'),
    ),
    seminarRows(m.seminar, lang, m.mode),
    button(pick(lang, 'Bekreft påmeldingen', 'Confirm your registration'), m.confirmUrl),
  ];
  if (m.expiresAt) {
    const at = formatOslo(m.expiresAt, lang, 'datetime');
    blocks.push(p(pick(lang, `Lenken virker til ${at}.`, `The link works until ${at}${norwegianTime(lang)}.`)));
  }
  blocks.push(...contactBlocks(m.seminar.contacts, lang));
  return {
    subject: pick(lang, `Bekreft påmeldingen din: ${title}`, `Confirm your registration: ${title}`),
    heading: pick(lang, 'Bekreft påmeldingen din', 'Confirm your registration'),
    blocks,
    footer: {
      text: pick(
        lang,
        'Har du ikke meldt deg på selv, kan du se bort fra denne e-posten. Vil du melde deg av, bruk denne lenken:',
        'If you did not register, you can ignore this email. To cancel your registration, use this link:',
      ),
      link: { label: pick(lang, 'Meld deg av', 'Cancel your registration'), url: m.cancelUrl },
    },
  };
}

function attendanceSentence(a: Attendance | undefined, position: number | undefined, online: boolean, lang: Lang): string | undefined {
  switch (a) {
    case 'physical':
      return pick(lang, 'Du har plass i salen.', 'You have a seat at the venue.');
    case 'digital':
      return pick(lang, 'Du er påmeldt for å delta digitalt.', 'You are registered to attend online.');
    case 'waitlisted':
      if (!online) {
        return position
          ? pick(lang, `Du står som nummer ${position} på ventelisten for fysisk plass.`, `You are number ${position} on the waiting list for a seat.`)
          : pick(lang, 'Du står på ventelisten for fysisk plass.', 'You are on the waiting list for a seat.');
      }
      return position
        ? pick(
            lang,
            `Du står som nummer ${position} på ventelisten for fysisk plass, og deltar digitalt inntil videre.`,
            `You are number ${position} on the waiting list for a seat, and attend online until then.`,
          )
        : pick(lang, 'Du står på ventelisten for fysisk plass, og deltar digitalt inntil videre.', 'You are on the waiting list for a seat, and attend online until then.');
    default:
      return undefined;
  }
}

function alreadyRegistered(m: AlreadyRegisteredMessage, lang: Lang): Draft {
  const title = m.seminar.title;
  const status = attendanceSentence(m.attendance, m.waitlistPosition, m.online !== false, lang);
  return {
    subject: pick(lang, `Du er allerede påmeldt: ${title}`, `You are already registered: ${title}`),
    heading: pick(lang, 'Du er allerede påmeldt', 'You are already registered'),
    blocks: [
      p(
        pick(
          lang,
          `Noen, kanskje du, prøvde å melde denne e-postadressen på ${quote(lang, title)} på nytt. Du er allerede påmeldt, så ingenting er endret.`,
          `Someone, perhaps you, tried to register this email address for ${quote(lang, title)} again. You are already registered, so nothing has changed.`,
        ),
      ),
      ...(status ? [p(status)] : []),
      seminarRows(m.seminar, lang, m.attendance),
      p(pick(lang, 'Var det ikke deg, kan du se bort fra denne e-posten.', 'If it was not you, you can ignore this email.')),
      ...contactBlocks(m.seminar.contacts, lang),
    ],
    footer: registrantFooter(m, lang),
  };
}

function registrationConfirmed(m: RegistrationConfirmedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const title = s.title;
  const o = m.outcome;
  const blocks: Block[] = [];
  let subject: string;
  let heading: string;
  switch (o.kind) {
    case 'physical':
      subject = pick(lang, `Påmeldingen er bekreftet: ${title}`, `Registration confirmed: ${title}`);
      heading = pick(lang, 'Du er påmeldt', 'You are registered');
      blocks.push(
        p(pick(lang, `Vi bekrefter at du har plass på ${quote(lang, title)}.`, `We confirm your seat at ${quote(lang, title)}.`)),
        seminarRows(s, lang, 'physical'),
        p(
          pick(
            lang,
            'Kan du likevel ikke komme, ber vi deg melde deg av, slik at plassen kan gå til noen andre.',
            'If you cannot come after all, please cancel your registration so that your seat can go to someone else.',
          ),
        ),
      );
      break;
    case 'digital':
      subject = pick(lang, `Påmeldingen er bekreftet: ${title}`, `Registration confirmed: ${title}`);
      heading = pick(lang, 'Du er påmeldt for å delta digitalt', 'You are registered to attend online');
      if (o.because === 'full') {
        blocks.push(
          p(
            pick(
              lang,
              'Arrangementet er fulltegnet for fysisk deltakelse, så du er påmeldt for å delta digitalt.',
              'The event is fully booked for in-person attendance, so you are registered to attend online.',
            ),
          ),
        );
      } else if (o.because === 'closed') {
        blocks.push(
          p(
            pick(
              lang,
              'Det er ikke lenger mulig å melde seg på for fysisk deltakelse, så du er påmeldt for å delta digitalt.',
              'Registration for in-person attendance has closed, so you are registered to attend online.',
            ),
          ),
        );
      }
      blocks.push(
        p(pick(lang, `Vi bekrefter påmeldingen din til ${quote(lang, title)}.`, `We confirm your registration for ${quote(lang, title)}.`)),
        seminarRows(s, lang, 'digital'),
        ...streamingBlocks(s, lang, o),
      );
      break;
    case 'waitlisted':
      subject = pick(lang, `Du står på venteliste: ${title}`, `You are on the waiting list: ${title}`);
      heading = pick(lang, 'Du står på venteliste', 'You are on the waiting list');
      blocks.push(
        p(
          pick(
            lang,
            `Arrangementet er fulltegnet. Du står som nummer ${o.position} på ventelisten for fysisk plass på ${quote(lang, title)}, og vi sender deg en e-post hvis du får plass.`,
            `The event is fully booked. You are number ${o.position} on the waiting list for a seat at ${quote(lang, title)}, and we will email you if a seat becomes available.`,
          ),
        ),
        ...(o.online
          ? [p(pick(lang, 'I mellomtiden er du påmeldt for å delta digitalt.', 'Meanwhile, you are registered to attend online.')), seminarRows(s, lang, 'waitlisted'), ...streamingBlocks(s, lang, o)]
          : [seminarRows(s, lang, 'physical')]),
      );
      break;
  }
  blocks.push(...calendarBlock(lang, m.calendarAttached), ...contactBlocks(s.contacts, lang));
  return { subject, heading, blocks, footer: registrantFooter(m, lang) };
}

function waitlistPromoted(m: WaitlistPromotedMessage, lang: Lang): Draft {
  const title = m.seminar.title;
  return {
    subject: pick(lang, `Du har fått plass: ${title}`, `You have a seat: ${title}`),
    heading: pick(lang, 'Du har fått plass', 'You have a seat'),
    blocks: [
      p(
        pick(
          lang,
          `En plass i salen ble ledig, og den er din. Du er nå påmeldt fysisk deltakelse på ${quote(lang, title)}.`,
          `A seat became available, and it is yours. You are now registered to attend ${quote(lang, title)} in person.`,
        ),
      ),
      seminarRows(m.seminar, lang, 'physical'),
      p(
        pick(
          lang,
          'Kan du likevel ikke komme, ber vi deg melde deg av, slik at plassen kan gå videre til nestemann på ventelisten.',
          'If you cannot come after all, please cancel your registration so that the seat can go to the next person on the waiting list.',
        ),
      ),
      ...calendarBlock(lang, m.calendarAttached),
      ...contactBlocks(m.seminar.contacts, lang),
    ],
    footer: registrantFooter(m, lang),
  };
}

function registrationCancelled(m: RegistrationCancelledMessage, lang: Lang): Draft {
  const s = m.seminar;
  const title = s.title;
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Vi bekrefter at du har meldt deg av ${quote(lang, title)}. Takk for at du sa fra.`,
        `We confirm that you have cancelled your registration for ${quote(lang, title)}. Thank you for letting us know.`,
      ),
    ),
    rows([pick(lang, 'Tid', 'When'), when(s, lang)]),
  ];
  if (m.calendarAttached) {
    blocks.push(p(pick(lang, 'Vedlagt ligger en kalenderoppdatering som fjerner avtalen.', 'The attached calendar update removes the event.')));
  }
  if (m.registrationOpen) {
    blocks.push(
      p(pick(lang, 'Ombestemmer du deg, kan du melde deg på igjen så lenge påmeldingen er åpen.', 'If you change your mind, you can register again while registration is open.')),
      button(pick(lang, 'Meld deg på igjen', 'Register again'), m.registerUrl),
    );
  }
  blocks.push(...contactBlocks(s.contacts, lang));
  return {
    subject: pick(lang, `Du er meldt av: ${title}`, `Registration cancelled: ${title}`),
    heading: pick(lang, 'Du er meldt av', 'Your registration is cancelled'),
    blocks,
    footer: {
      text: pick(
        lang,
        `Du får denne e-posten som kvittering fordi du har meldt deg av ${quote(lang, title)}. Du får ingen flere e-poster om påmeldingen. Arrangementet finner du her:`,
        `You are receiving this receipt because you cancelled your registration for ${quote(lang, title)}. You will get no more emails about the registration. The event's page:`,
      ),
      link: { label: pick(lang, 'Om arrangementet', 'About the event'), url: m.registerUrl },
    },
  };
}

function seminarReminder(m: SeminarReminderMessage, lang: Lang): Draft {
  const s = m.seminar;
  const start = formatOslo(s.start, lang, 'long');
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Vi minner om at ${quote(lang, s.title)} starter ${start}.`,
        `This is a reminder that ${quote(lang, s.title)} starts on ${start}${norwegianTime(lang)}.`,
      ),
    ),
    seminarRows(s, lang, m.attendance),
  ];
  if (m.attendance === 'physical') {
    blocks.push(p(pick(lang, 'Velkommen! Vi gleder oss til å se deg.', 'Welcome! We look forward to seeing you.')));
  } else {
    if (m.attendance === 'waitlisted') {
      blocks.push(
        p(
          pick(
            lang,
            'Du står fortsatt på ventelisten for fysisk plass, og deltar digitalt inntil videre.',
            'You are still on the waiting list for a seat, and attend online until then.',
          ),
        ),
      );
    }
    blocks.push(...streamingBlocks(s, lang, m));
  }
  blocks.push(...contactBlocks(s.contacts, lang));
  return {
    subject: pick(
      lang,
      `Påminnelse: ${s.title}, ${formatOslo(s.start, lang, 'datetime')}`,
      `Reminder: ${s.title}, ${formatOslo(s.start, lang, 'datetime')}`,
    ),
    heading: pick(lang, 'Påminnelse', 'Reminder'),
    blocks,
    footer: registrantFooter(m, lang),
  };
}

function streamingLink(m: StreamingLinkMessage, lang: Lang): Draft {
  const s = m.seminar;
  const start = formatOslo(s.start, lang, 'long');
  return {
    subject: pick(lang, `Lenke til strømming: ${s.title}`, `Livestream link: ${s.title}`),
    heading: pick(lang, 'Lenke til strømming', 'Livestream link'),
    blocks: [
      p(
        pick(
          lang,
          `${quote(lang, s.title)} starter ${start}. Du kan følge ${theSeminar(s, lang)} digitalt.`,
          `${quote(lang, s.title)} starts on ${start}${norwegianTime(lang)}. You can follow ${theSeminar(s, lang)} online.`,
        ),
      ),
      button(pick(lang, 'Se strømmingen', 'Watch the livestream'), m.streamingUrl),
      p(
        pick(
          lang,
          'Lenken er bare for påmeldte. Ikke del den videre.',
          'The link is for registered participants only. Please do not share it.',
        ),
      ),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: registrantFooter(m, lang),
  };
}

function seminarMoved(m: SeminarMovedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const previous = m.previousEnd
    ? formatOsloRange(m.previousStart, m.previousEnd, lang, { weekday: true })
    : formatOslo(m.previousStart, lang, 'long');
  const place = venueLine(s.venue);
  const inPerson = m.attendance === undefined || m.attendance === 'physical';
  return {
    subject: pick(lang, `Nytt tidspunkt: ${s.title}`, `New time: ${s.title}`),
    heading: pick(lang, `${capitalise(theSeminar(s, lang))} er flyttet`, `${capitalise(theSeminar(s, lang))} has been moved`),
    blocks: [
      p(pick(lang, `${quote(lang, s.title)} har fått nytt tidspunkt.`, `${quote(lang, s.title)} has a new time.`)),
      rows(
        [pick(lang, 'Nytt tidspunkt', 'New time'), when(s, lang)],
        [pick(lang, 'Tidligere tidspunkt', 'Previous time'), previous + norwegianTime(lang)],
        inPerson && place !== '' && [pick(lang, 'Sted', 'Where'), place],
        inPerson && doorsRow(s, lang),
      ),
      p(
        pick(
          lang,
          'Påmeldingen din gjelder fortsatt. Passer ikke det nye tidspunktet, ber vi deg melde deg av.',
          'Your registration still stands. If the new time does not suit you, please cancel your registration.',
        ),
      ),
      ...calendarBlock(lang, m.calendarAttached, true),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: registrantFooter(m, lang),
  };
}

function seminarCancelled(m: SeminarCancelledMessage, lang: Lang): Draft {
  const s = m.seminar;
  const start = formatOslo(s.start, lang, 'long');
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Vi må dessverre avlyse ${quote(lang, s.title)}, som skulle vært ${start}.`,
        `Unfortunately, ${quote(lang, s.title)}, planned for ${start}${norwegianTime(lang)}, has been cancelled.`,
      ),
    ),
  ];
  if (m.reason) blocks.push(p(m.reason));
  if (m.calendarAttached) {
    blocks.push(
      p(pick(lang, 'Vedlagt ligger en kalenderoppdatering som fjerner avtalen.', 'The attached calendar update removes the event.')),
    );
  }
  blocks.push(
    p(pick(lang, 'Vi beklager ulempene dette medfører.', 'We apologise for the inconvenience.')),
    ...contactBlocks(s.contacts, lang),
  );
  return {
    subject: pick(lang, `Avlyst: ${s.title}`, `Cancelled: ${s.title}`),
    heading: pick(lang, `${capitalise(theSeminar(s, lang))} er avlyst`, `${capitalise(theSeminar(s, lang))} has been cancelled`),
    blocks,
    footer: pastRegistrantFooter(m, lang),
  };
}

/** The recording email, to registrants or to series subscribers: only the opening and the footer differ. */
function recordingDraft(s: EmailSeminar, recordingUrl: string, intro: string, footer: Draft['footer'], lang: Lang): Draft {
  return {
    subject: pick(lang, `Opptak av ${theSeminar(s, lang)}: ${s.title}`, `Recording: ${s.title}`),
    heading: pick(lang, `Opptak av ${theSeminar(s, lang)}`, `Recording of ${theSeminar(s, lang)}`),
    blocks: [p(intro), button(pick(lang, 'Se opptaket', 'Watch the recording'), recordingUrl), ...slidesBlocks(s, lang), ...contactBlocks(s.contacts, lang)],
    footer,
  };
}

function recordingPublished(m: RecordingPublishedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const intro = pick(
    lang,
    `Takk for interessen for ${quote(lang, s.title)}. Opptaket er nå tilgjengelig.`,
    `Thank you for your interest in ${quote(lang, s.title)}. The recording is now available.`,
  );
  return recordingDraft(s, m.recordingUrl, intro, pastRegistrantFooter(m, lang), lang);
}

function seriesRecordingPublished(m: SeriesRecordingPublishedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const intro = pick(
    lang,
    `Opptaket av ${quote(lang, s.title)} i ${m.series.name} er nå tilgjengelig.`,
    `The recording of ${quote(lang, s.title)} in ${m.series.name} is now available.`,
  );
  return recordingDraft(s, m.recordingUrl, intro, subscriberFooter(m.series.name, m.unsubscribeUrl, lang), lang);
}

function seminarAnnounced(m: SeminarAnnouncedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const title = s.title;
  const intro = m.series
    ? pick(lang, `Påmeldingen er åpnet for ${quote(lang, title)} i ${m.series.name}.`, `Registration is open for ${quote(lang, title)} in ${m.series.name}.`)
    : m.scheme
      ? pick(
          lang,
          `Påmeldingen er åpnet for ${quote(lang, title)}, for dere som vil søke ${m.scheme.name}.`,
          `Registration is open for ${quote(lang, title)}, for those who want to apply to ${m.scheme.name}.`,
        )
      : pick(lang, `Påmeldingen er åpnet for ${quote(lang, title)}.`, `Registration is open for ${quote(lang, title)}.`);
  const place = venueLine(s.venue);
  const blocks: Block[] = [
    p(intro),
    ...(m.scheme?.deadline !== undefined
      ? [
          p(
            pick(
              lang,
              `Søknadsfristen er ${deadlineText(m.scheme.deadline, m.scheme.endOfDay, lang)}.`,
              `The application deadline is ${deadlineText(m.scheme.deadline, m.scheme.endOfDay, lang)}.`,
            ),
          ),
        ]
      : []),
    rows(
      [pick(lang, 'Tid', 'When'), when(s, lang)],
      place !== '' && [pick(lang, 'Sted', 'Where'), place],
      doorsRow(s, lang),
      s.livestream !== undefined && [
        pick(lang, 'Strømming', 'Livestream'),
        s.livestream
          ? pick(lang, 'Ja, alle påmeldte får lenke før start', 'Yes, everyone registered gets the link before the start')
          : pick(lang, 'Nei', 'No'),
      ],
      ...registrationDeadlineRows(s, lang),
    ),
  ];
  if (s.eligibility?.kind === 'restricted' && s.eligibility.description) blocks.push(p(s.eligibility.description[lang]));
  if (s.description) blocks.push(p(s.description));
  blocks.push(
    ...programBlocks(s, lang),
    button(pick(lang, 'Meld deg på', 'Register'), m.registerUrl),
    ...contactBlocks(s.contacts, lang),
  );
  const about = m.series
    ? m.series.name
    : m.scheme
      ? m.scheme.name
      : pick(lang, 'nye seminarer', 'new seminars');
  return {
    subject: `${newSeminar(s, lang)}: ${title}`,
    heading: title,
    blocks,
    footer: subscriberFooter(about, m.unsubscribeUrl, lang),
  };
}

function announcedSeminarChanged(m: AnnouncedSeminarChangedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const about = m.series?.name ?? m.scheme?.name ?? pick(lang, 'nye seminarer', 'new seminars');
  const footer = subscriberFooter(about, m.unsubscribeUrl, lang);
  if (m.change.kind === 'cancelled') {
    const start = formatOslo(s.start, lang, 'long');
    return {
      subject: pick(lang, `Avlyst: ${s.title}`, `Cancelled: ${s.title}`),
      heading: pick(lang, `${capitalise(theSeminar(s, lang))} er avlyst`, `${capitalise(theSeminar(s, lang))} has been cancelled`),
      blocks: [
        p(
          pick(
            lang,
            `Vi har varslet deg om ${quote(lang, s.title)}, som skulle vært ${start}. Det må vi dessverre avlyse.`,
            `We told you about ${quote(lang, s.title)}, planned for ${start}${norwegianTime(lang)}. Unfortunately, it has been cancelled.`,
          ),
        ),
        ...(m.change.reason ? [p(m.change.reason)] : []),
        p(pick(lang, 'Vi beklager ulempene dette medfører.', 'We apologise for the inconvenience.')),
        ...contactBlocks(s.contacts, lang),
      ],
      footer,
    };
  }
  const place = venueLine(s.venue);
  return {
    subject: pick(lang, `Nytt tidspunkt: ${s.title}`, `New time: ${s.title}`),
    heading: pick(lang, `${capitalise(theSeminar(s, lang))} er flyttet`, `${capitalise(theSeminar(s, lang))} has been moved`),
    blocks: [
      p(
        pick(
          lang,
          `${quote(lang, s.title)}, som vi har varslet deg om, har fått nytt tidspunkt.`,
          `${quote(lang, s.title)}, which we told you about, has a new time.`,
        ),
      ),
      rows(
        [pick(lang, 'Nytt tidspunkt', 'New time'), when(s, lang)],
        [pick(lang, 'Tidligere tidspunkt', 'Previous time'), formatOslo(m.change.previousStart, lang, 'long') + norwegianTime(lang)],
        place !== '' && [pick(lang, 'Sted', 'Where'), place],
        doorsRow(s, lang),
        ...registrationDeadlineRows(s, lang),
      ),
      ...(m.registerUrl ? [button(pick(lang, 'Meld deg på', 'Register'), m.registerUrl)] : []),
      ...contactBlocks(s.contacts, lang),
    ],
    footer,
  };
}

function confirmSubscription(m: ConfirmSubscriptionMessage, lang: Lang): Draft {
  const name = m.target.name;
  const what =
    m.target.kind === 'scheme'
      ? pick(
          lang,
          `Du har bedt om å få varsler på e-post om ${name}: ${roundSessionWords(m.sessions ?? [], lang).promise}.`,
          `You asked to receive email notices about ${name}: ${roundSessionWords(m.sessions ?? [], lang).promise}.`,
        )
      : pick(
          lang,
          `Du har bedt om å få e-post når det kommer nye seminarer i ${name}.`,
          `You asked to receive an email whenever there is a new seminar in ${name}.`,
        );
  const blocks: Block[] = [
    p(what),
    p(pick(lang, 'Du får ingen varsler før du har bekreftet.', 'You will not receive any notices until you confirm.')),
    button(pick(lang, 'Bekreft abonnementet', 'Confirm subscription'), m.confirmUrl),
  ];
  if (m.expiresAt) {
    const at = formatOslo(m.expiresAt, lang, 'datetime');
    blocks.push(p(pick(lang, `Lenken virker til ${at}.`, `The link works until ${at}${norwegianTime(lang)}.`)));
  }
  return {
    subject: pick(lang, `Bekreft abonnementet ditt: ${name}`, `Confirm your subscription: ${name}`),
    heading: pick(lang, 'Bekreft abonnementet ditt', 'Confirm your subscription'),
    blocks,
    footer: {
      text: pick(
        lang,
        'Har du ikke bedt om dette, kan du se bort fra denne e-posten. Du kan også melde deg av med en gang:',
        'If you did not ask for this, you can ignore this email. You can also unsubscribe straight away:',
      ),
      link: { label: pick(lang, 'Meld deg av', 'Unsubscribe'), url: m.unsubscribeUrl },
    },
  };
}

function deadlineAnnounced(m: DeadlineAnnouncedMessage, lang: Lang): Draft {
  const s = m.scheme;
  const date = formatOslo(m.deadline, lang, 'date');
  return {
    subject: pick(lang, `Søknadsfrist ${date}: ${s.name}`, `Application deadline ${date}: ${s.name}`),
    heading: pick(lang, `Søknadsfrist for ${s.name}`, `Application deadline for ${s.name}`),
    blocks: [
      p(
        pick(
          lang,
          `Søknadsfristen for ${s.name} er ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
          `The application deadline for ${s.name} is ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
        ),
      ),
      ...schemeBlocks(m, lang),
      ...sessionBlocks(m.guidanceSessions, lang, 'deadline-announced'),
      ...schemeLink(s, lang),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: subscriberFooter(s.name, m.unsubscribeUrl, lang),
  };
}

function deadlineReminder(m: DeadlineReminderMessage, lang: Lang): Draft {
  const s = m.scheme;
  const date = formatOslo(m.deadline, lang, 'date');
  const blocks: Block[] = [];
  if (m.daysLeft !== undefined && m.daysLeft > 0) {
    blocks.push(
      p(
        m.daysLeft === 1
          ? pick(lang, `Det er én dag igjen til søknadsfristen for ${s.name}.`, `There is one day left until the application deadline for ${s.name}.`)
          : pick(
              lang,
              `Det er ${m.daysLeft} dager igjen til søknadsfristen for ${s.name}.`,
              `There are ${m.daysLeft} days left until the application deadline for ${s.name}.`,
            ),
      ),
    );
  }
  blocks.push(
    p(
      pick(
        lang,
        `Søknadsfristen er ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
        `The deadline is ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
      ),
    ),
    ...schemeBlocks(m, lang),
    ...sessionBlocks(m.guidanceSessions, lang, 'deadline-reminder'),
    ...schemeLink(s, lang),
    ...contactBlocks(s.contacts, lang),
  );
  return {
    subject: pick(lang, `Påminnelse: søknadsfrist ${date} for ${s.name}`, `Reminder: application deadline ${date} for ${s.name}`),
    heading: pick(lang, 'Søknadsfristen nærmer seg', 'The application deadline is approaching'),
    blocks,
    footer: subscriberFooter(s.name, m.unsubscribeUrl, lang),
  };
}

function deadlineMoved(m: DeadlineMovedMessage, lang: Lang): Draft {
  const s = m.scheme;
  const date = formatOslo(m.deadline, lang, 'date');
  const later = new Date(m.deadline).getTime() > new Date(m.previousDeadline).getTime();
  return {
    subject: pick(lang, `Ny søknadsfrist for ${s.name}: ${date}`, `New application deadline for ${s.name}: ${date}`),
    heading: pick(lang, 'Søknadsfristen er endret', 'The application deadline has changed'),
    blocks: [
      p(
        later
          ? pick(lang, `Søknadsfristen for ${s.name} er utsatt.`, `The application deadline for ${s.name} has been extended.`)
          : pick(
              lang,
              `Søknadsfristen for ${s.name} er flyttet. Merk at den nye fristen er tidligere enn før.`,
              `The application deadline for ${s.name} has been moved. Note that the new deadline is earlier than before.`,
            ),
      ),
      rows(
        [pick(lang, 'Ny frist', 'New deadline'), deadlineText(m.deadline, m.endOfDay, lang)],
        [pick(lang, 'Tidligere frist', 'Previous deadline'), deadlineText(m.previousDeadline, m.previousEndOfDay, lang)],
        m.round !== undefined && m.round !== '' && [pick(lang, 'Runde', 'Round'), m.round],
      ),
      ...sessionBlocks(m.guidanceSessions, lang, 'deadline-moved'),
      ...schemeLink(s, lang),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: subscriberFooter(s.name, m.unsubscribeUrl, lang),
  };
}

function draft(message: EmailMessage, lang: Lang): Draft {
  switch (message.kind) {
    case 'confirm-registration':
      return confirmRegistration(message, lang);
    case 'already-registered':
      return alreadyRegistered(message, lang);
    case 'registration-confirmed':
      return registrationConfirmed(message, lang);
    case 'registration-cancelled':
      return registrationCancelled(message, lang);
    case 'waitlist-promoted':
      return waitlistPromoted(message, lang);
    case 'seminar-reminder':
      return seminarReminder(message, lang);
    case 'streaming-link':
      return streamingLink(message, lang);
    case 'seminar-moved':
      return seminarMoved(message, lang);
    case 'seminar-cancelled':
      return seminarCancelled(message, lang);
    case 'recording-published':
      return recordingPublished(message, lang);
    case 'series-recording-published':
      return seriesRecordingPublished(message, lang);
    case 'seminar-announced':
      return seminarAnnounced(message, lang);
    case 'announced-seminar-changed':
      return announcedSeminarChanged(message, lang);
    case 'confirm-subscription':
      return confirmSubscription(message, lang);
    case 'deadline-announced':
      return deadlineAnnounced(message, lang);
    case 'deadline-reminder':
      return deadlineReminder(message, lang);
    case 'deadline-moved':
      return deadlineMoved(message, lang);
    default: {
      const never: never = message;
      throw new Error(`Unknown email kind: ${(never as { kind: string }).kind}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

function contactLines(c: Contact, lang: Lang): string[] {
  const lines = [[c.name, c.title].filter((x) => x).join(', ')];
  if (c.phone) lines.push(`${pick(lang, 'Telefon', 'Phone')}: ${c.phone}`);
  if (c.email) lines.push(`${pick(lang, 'E-post', 'Email')}: ${c.email}`);
  return lines;
}

function blockText(b: Block, lang: Lang): string {
  switch (b.t) {
    case 'p':
      return b.text;
    case 'h2':
      return b.text.toUpperCase();
    case 'rows':
      return b.rows.map(([label, value]) => `${label}: ${value}`).join('\n');
    case 'button':
      return `${b.link.label}:\n${b.link.url}`;
    case 'link':
      return `${b.link.label}: ${b.link.url}`;
    case 'list':
      return b.items.map((i) => `- ${i.text}${i.link ? `\n  ${i.link.label}: ${i.link.url}` : ''}`).join('\n');
    case 'contacts':
      return b.contacts.map((c) => contactLines(c, lang).join('\n')).join('\n\n');
  }
}

function renderText(d: Draft, m: EmailMessage, lang: Lang): string {
  const parts = [greeting(m, lang), ...d.blocks.map((b) => blockText(b, lang)).filter((t) => t !== '')];
  const signOff = signOffLines(m, lang);
  if (signOff) parts.push(signOff.join('\n'));
  parts.push(`-- \n${d.footer.text}\n${d.footer.link.url}`);
  return parts.join('\n\n') + '\n';
}

function greeting(m: EmailMessage, lang: Lang): string {
  return m.name ? pick(lang, `Hei ${m.name},`, `Hello ${m.name},`) : pick(lang, 'Hei,', 'Hello,');
}

function signOffLines(m: EmailMessage, lang: Lang): string[] | undefined {
  return m.organiser ? [pick(lang, 'Vennlig hilsen', 'Kind regards'), m.organiser] : undefined;
}

const STYLE = {
  body: 'margin:0;padding:0;background-color:#f3f4f6;',
  card:
    'max-width:600px;margin:0 auto;padding:24px;background-color:#ffffff;color:#1f2937;' +
    'font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;',
  h1: 'font-size:22px;line-height:1.3;margin:0 0 16px;color:#111827;',
  h2: 'font-size:18px;line-height:1.3;margin:24px 0 8px;color:#111827;',
  p: 'margin:0 0 16px;',
  table: 'border-collapse:collapse;margin:0 0 16px;',
  th: 'text-align:left;vertical-align:top;padding:4px 16px 4px 0;font-weight:bold;',
  td: 'vertical-align:top;padding:4px 0;',
  button:
    'display:inline-block;padding:12px 24px;background-color:#0b5394;color:#ffffff;' +
    'text-decoration:none;font-weight:bold;border-radius:4px;',
  a: 'color:#0b5394;text-decoration:underline;',
  small: 'margin:0 0 16px;font-size:14px;color:#4b5563;word-break:break-all;',
  hr: 'border:none;border-top:1px solid #d1d5db;margin:24px 0 16px;',
  footer: 'margin:0;font-size:14px;color:#4b5563;',
  ul: 'margin:0 0 16px;padding-left:20px;',
  li: 'margin:0 0 8px;',
};

/** Escaped text with line breaks kept. */
const esc = (s: string) => escapeHtml(s).replace(/\r\n|\r|\n/g, '<br>');

function anchor(l: Link, style = STYLE.a): string {
  const href = safeHref(l.url);
  return href ? `<a href="${href}" style="${style}">${esc(l.label)}</a>` : `${esc(l.label)}: ${esc(l.url)}`;
}

function blockHtml(b: Block, lang: Lang): string {
  switch (b.t) {
    case 'p':
      return `<p style="${STYLE.p}">${esc(b.text)}</p>`;
    case 'h2':
      return `<h2 style="${STYLE.h2}">${esc(b.text)}</h2>`;
    case 'rows':
      if (b.rows.length === 0) return '';
      return (
        `<table style="${STYLE.table}">` +
        b.rows.map(([l, v]) => `<tr><th scope="row" style="${STYLE.th}">${esc(l)}</th><td style="${STYLE.td}">${esc(v)}</td></tr>`).join('') +
        '</table>'
      );
    case 'button': {
      const href = safeHref(b.link.url);
      if (!href) return `<p style="${STYLE.p}">${esc(b.link.label)}: ${esc(b.link.url)}</p>`;
      const fallback = pick(lang, 'Virker ikke knappen? Bruk denne lenken:', 'If the button does not work, use this link:');
      return (
        `<p style="${STYLE.p}"><a href="${href}" style="${STYLE.button}">${esc(b.link.label)}</a></p>` +
        `<p style="${STYLE.small}">${esc(fallback)} <a href="${href}" style="${STYLE.a}">${esc(b.link.url)}</a></p>`
      );
    }
    case 'link':
      return `<p style="${STYLE.p}">${anchor(b.link)}</p>`;
    case 'list':
      return (
        `<ul style="${STYLE.ul}">` +
        b.items.map((i) => `<li style="${STYLE.li}">${esc(i.text)}${i.link ? ` – ${anchor(i.link)}` : ''}</li>`).join('') +
        '</ul>'
      );
    case 'contacts':
      return b.contacts
        .map((c) => {
          const lines = [`<strong>${esc(c.name)}</strong>${c.title ? `, ${esc(c.title)}` : ''}`];
          if (c.phone) {
            const tel = safeHref(`tel:${c.phone.replace(/[^+\d]/g, '')}`);
            const phone = tel ? `<a href="${tel}" style="${STYLE.a}">${esc(c.phone)}</a>` : esc(c.phone);
            lines.push(`${esc(pick(lang, 'Telefon', 'Phone'))}: ${phone}`);
          }
          if (c.email) {
            const mail = safeHref(`mailto:${c.email}`);
            const email = mail ? `<a href="${mail}" style="${STYLE.a}">${esc(c.email)}</a>` : esc(c.email);
            lines.push(`${esc(pick(lang, 'E-post', 'Email'))}: ${email}`);
          }
          return `<p style="${STYLE.p}">${lines.join('<br>')}</p>`;
        })
        .join('');
  }
}

function renderHtml(d: Draft, m: EmailMessage, lang: Lang, subject: string): string {
  const signOff = signOffLines(m, lang);
  const body = [
    `<h1 style="${STYLE.h1}">${esc(d.heading)}</h1>`,
    `<p style="${STYLE.p}">${esc(greeting(m, lang))}</p>`,
    ...d.blocks.map((b) => blockHtml(b, lang)),
    signOff ? `<p style="${STYLE.p}">${signOff.map(esc).join('<br>')}</p>` : '',
    `<hr style="${STYLE.hr}">`,
    `<p style="${STYLE.footer}">${esc(d.footer.text)} ${anchor(d.footer.link)}</p>`,
  ]
    .filter((h) => h !== '')
    .join('\n');
  return (
    '<!DOCTYPE html>\n' +
    `<html lang="${lang === 'nb' ? 'nb' : 'en'}">\n` +
    '<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${esc(subject)}</title>\n</head>\n` +
    `<body style="${STYLE.body}">\n<div role="article" aria-label="${escapeHtml(subject)}" style="${STYLE.card}">\n` +
    body +
    '\n</div>\n</body>\n</html>\n'
  );
}

/** Renders one email: subject (single line), plain text and HTML, in the given language. */
export function renderEmail(message: EmailMessage, lang: Lang): RenderedEmail {
  const d = draft(message, lang);
  const subject = sanitizeSubject(d.subject);
  return { subject, text: renderText(d, message, lang), html: renderHtml(d, message, lang, subject) };
}
