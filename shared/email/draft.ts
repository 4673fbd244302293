/**
 * What a message kind (shared/email/messages/) makes of its data: a draft, a small list of blocks
 * (paragraphs, detail rows, buttons, lists) with a subject, a heading and the footer that says why the
 * recipient gets it and links the way to stop it. The renderer (templates.ts) turns a draft into plain
 * text and HTML. Here too: the data every message has, and the footers and contacts several kinds share.
 */
import type { Seminar } from '../domain/model.js';
import { formatOslo } from '../domain/time.js';
import { norwegianTime, pick, quote, type Lang, type Venue } from '../text.js';

export type { Lang, Venue };

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
export type When = Date | string;

export interface Common {
  /** The recipient's name, for the greeting. */
  name?: string;
  /** The sender shown under "Vennlig hilsen", e.g. "Partnerforum". */
  organiser?: string;
}

export interface AboutSeminar extends Common {
  seminar: EmailSeminar;
}

export interface ForRegistrant extends AboutSeminar {
  /** Cancels the registration (or, once the seminar is over or cancelled, stops emails about it). */
  cancelUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Blocks

export interface Link {
  label: string;
  url: string;
}

export interface ListItem {
  text: string;
  link?: Link;
}

export type Block =
  | { t: 'p'; text: string }
  | { t: 'h2'; text: string }
  | { t: 'rows'; rows: Array<[label: string, value: string]> }
  | { t: 'button'; link: Link }
  | { t: 'link'; link: Link }
  | { t: 'list'; items: ListItem[] }
  | { t: 'contacts'; contacts: Contact[] };

export interface Draft {
  subject: string;
  heading: string;
  blocks: Block[];
  /** Why the recipient gets this, and the link to stop it. */
  footer: { text: string; link: Link };
}

export const p = (text: string): Block => ({ t: 'p', text });
export const h2 = (text: string): Block => ({ t: 'h2', text });
export const rows = (...r: Array<[string, string] | undefined | false>): Block => ({
  t: 'rows',
  rows: r.filter((x): x is [string, string] => Array.isArray(x)),
});
export const button = (label: string, url: string): Block => ({ t: 'button', link: { label, url } });
export const link = (label: string, url: string): Block => ({ t: 'link', link: { label, url } });

// ---------------------------------------------------------------------------------------------
// Shared by several kinds

export function contactBlocks(contacts: Contact[] | undefined, lang: Lang): Block[] {
  if (!contacts || contacts.length === 0) return [];
  return [h2(pick(lang, 'Spørsmål?', 'Questions?')), p(pick(lang, 'Ta kontakt med oss:', 'Get in touch:')), { t: 'contacts', contacts }];
}

export function registrantFooter(m: ForRegistrant, lang: Lang): Draft['footer'] {
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
export function pastRegistrantFooter(m: ForRegistrant, lang: Lang): Draft['footer'] {
  return {
    text: pick(
      lang,
      `Du får denne e-posten fordi du var påmeldt ${quote(lang, m.seminar.title)}. Vil du ikke ha flere e-poster om dette, bruk denne lenken:`,
      `You are receiving this email because you registered for ${quote(lang, m.seminar.title)}. To stop emails about it, use this link:`,
    ),
    link: { label: pick(lang, 'Meld deg av', 'Unsubscribe'), url: m.cancelUrl },
  };
}

export function subscriberFooter(about: string, url: string, lang: Lang): Draft['footer'] {
  return {
    text: pick(
      lang,
      `Du får denne e-posten fordi du abonnerer på varsler om ${about}. Du kan melde deg av med ett klikk:`,
      `You are receiving this email because you subscribed to notices about ${about}. You can unsubscribe with one click:`,
    ),
    link: { label: pick(lang, 'Meld deg av', 'Unsubscribe'), url },
  };
}

/** "Lenken virker til …": when a confirm link stops working, if it does. */
export function linkExpiryBlocks(expiresAt: When | undefined, lang: Lang): Block[] {
  if (!expiresAt) return [];
  const at = formatOslo(expiresAt, lang, 'datetime');
  return [p(pick(lang, `Lenken virker til ${at}.`, `The link works until ${at}${norwegianTime(lang)}.`))];
}
