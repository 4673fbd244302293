/**
 * The pieces of the emails about a seminar that several kinds share: the words for its kind ("seminaret",
 * "Nytt frokostseminar"), its time and place rows, the streaming link or when it comes, the calendar
 * attachment, the registration deadlines, and the recording email.
 */
import type { Attendance } from '../domain/model.js';
import { formatOslo } from '../domain/time.js';
import { capitalise, doorsRow, norwegianTime, pick, venueLine, whenText, type Lang } from '../text.js';
import { button, contactBlocks, h2, p, rows, type Block, type Draft, type EmailSeminar, type When } from './draft.js';

type SeminarKind = NonNullable<EmailSeminar['kind']>;

const KIND_WORDS: Record<SeminarKind, { nb: [definite: string, fresh: string]; en: [definite: string, fresh: string] }> = {
  seminar: { nb: ['seminaret', 'Nytt seminar'], en: ['the seminar', 'New seminar'] },
  'breakfast-seminar': { nb: ['frokostseminaret', 'Nytt frokostseminar'], en: ['the breakfast seminar', 'New breakfast seminar'] },
  'guidance-session': { nb: ['veiledningssamlingen', 'Ny veiledningssamling'], en: ['the guidance session', 'New guidance session'] },
  pitch: { nb: ['arrangementet', 'Nytt arrangement'], en: ['the event', 'New event'] },
  gathering: { nb: ['samlingen', 'Ny samling'], en: ['the gathering', 'New gathering'] },
};

/** "seminaret" / "the seminar", by kind. */
export const theSeminar = (s: EmailSeminar, lang: Lang) => KIND_WORDS[s.kind ?? 'seminar'][lang][0];
/** "Nytt seminar" / "New seminar", by kind. */
export const newSeminar = (s: EmailSeminar, lang: Lang) => KIND_WORDS[s.kind ?? 'seminar'][lang][1];

/** Time, and place or "online", for someone attending in the given way. */
export function seminarRows(s: EmailSeminar, lang: Lang, attendance?: Attendance): Block {
  const place = venueLine(s.venue);
  const online: [string, string] = [pick(lang, 'Deltakelse', 'Attendance'), pick(lang, 'Digitalt (strømming)', 'Online (livestream)')];
  return rows(
    [pick(lang, 'Tid', 'When'), whenText(s, lang)],
    attendance !== 'digital' && attendance !== 'waitlisted' && place !== '' && [pick(lang, 'Sted', 'Where'), place],
    (attendance === undefined || attendance === 'physical') && doorsRow(s, lang),
    (attendance === 'digital' || attendance === 'waitlisted') && online,
  );
}

/** How the streaming link reaches a digital attendee: either it is here, or it comes later. */
export interface StreamingInfo {
  /** The link itself, when it has already gone out to others. */
  streamingUrl?: string;
  /** When the link will be sent. */
  streamingLinkAt?: When;
}

export function streamingBlocks(s: EmailSeminar, lang: Lang, info: StreamingInfo): Block[] {
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

export function calendarBlock(lang: Lang, attached: boolean | undefined, updated = false): Block[] {
  if (!attached) return [];
  return [
    p(
      updated
        ? pick(lang, 'Den oppdaterte kalenderinvitasjonen ligger vedlagt.', 'The updated calendar invitation is attached.')
        : pick(lang, 'En kalenderinvitasjon ligger vedlagt.', 'A calendar invitation is attached.'),
    ),
  ];
}

/** Subject and heading of a moved seminar's notice (to registrants and to subscribers told about it). */
export function movedTitles(s: EmailSeminar, lang: Lang): Pick<Draft, 'subject' | 'heading'> {
  return {
    subject: pick(lang, `Nytt tidspunkt: ${s.title}`, `New time: ${s.title}`),
    heading: pick(lang, `${capitalise(theSeminar(s, lang))} er flyttet`, `${capitalise(theSeminar(s, lang))} has been moved`),
  };
}

/** Subject and heading of a cancelled seminar's notice (to registrants and to subscribers told about it). */
export function cancelledTitles(s: EmailSeminar, lang: Lang): Pick<Draft, 'subject' | 'heading'> {
  return {
    subject: pick(lang, `Avlyst: ${s.title}`, `Cancelled: ${s.title}`),
    heading: pick(lang, `${capitalise(theSeminar(s, lang))} er avlyst`, `${capitalise(theSeminar(s, lang))} has been cancelled`),
  };
}

export const apologyBlock = (lang: Lang): Block => p(pick(lang, 'Vi beklager ulempene dette medfører.', 'We apologise for the inconvenience.'));

/** The `.ics` attached to a cancellation (the seminar's, or the registrant's own) removes the event. */
export function calendarRemovedBlock(lang: Lang, attached: boolean | undefined): Block[] {
  return attached ? [p(pick(lang, 'Vedlagt ligger en kalenderoppdatering som fjerner avtalen.', 'The attached calendar update removes the event.'))] : [];
}

export function registrationDeadlineRows(s: EmailSeminar, lang: Lang): Array<[string, string] | undefined> {
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

/** The first words of a recording email whose link corrects one sent before. */
const recordingCorrection = (lang: Lang) =>
  pick(lang, 'Rettelse: lenken til opptaket vi sendte tidligere, var feil. Bruk lenken i denne e-posten.', 'Correction: the recording link we sent earlier was wrong. Please use the link in this email.');

/**
 * The recording email, to registrants or to series subscribers: only the opening and the footer differ.
 * A `correction` (the link replaces one sent before) says so in the subject and first.
 */
export function recordingDraft(s: EmailSeminar, recordingUrl: string, intro: string, footer: Draft['footer'], lang: Lang, correction = false): Draft {
  const subject = pick(lang, `Opptak av ${theSeminar(s, lang)}: ${s.title}`, `Recording: ${s.title}`);
  return {
    subject: correction ? `${pick(lang, 'Rettelse', 'Correction')}: ${subject}` : subject,
    heading: pick(lang, `Opptak av ${theSeminar(s, lang)}`, `Recording of ${theSeminar(s, lang)}`),
    blocks: [...(correction ? [p(recordingCorrection(lang))] : []), p(intro), button(pick(lang, 'Se opptaket', 'Watch the recording'), recordingUrl), ...slidesBlocks(s, lang), ...contactBlocks(s.contacts, lang)],
    footer,
  };
}
