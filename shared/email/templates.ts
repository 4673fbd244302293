/**
 * Every email the system sends, as pure functions of data, in Norwegian bokmål and English: the
 * renderer. Each kind of message (messages/, registered in messages/index.ts) drafts a small list of
 * blocks (draft.ts); the same blocks are rendered here as plain text and as simple, inline-styled,
 * accessible HTML in which every piece of user-provided text is escaped. Every email ends with its
 * cancel or unsubscribe link. Times are shown in Europe/Oslo.
 */
import { pick, type Lang } from '../text.js';
import { escapeHtml, safeHref } from './html.js';
import type { Block, Contact, Draft, Link } from './draft.js';
import { DRAFTS, type EmailMessage } from './messages/index.js';

export type { Lang };
export type { EmailKind, EmailMessage, MessageOf } from './messages/index.js';
export type { Contact, EmailSeminar, Venue } from './draft.js';
export type { EmailScheme, GuidanceSessionInfo } from './scheme-parts.js';
export type { RegistrationOutcome } from './messages/registration-confirmed.js';
export type { AnnouncedSeminarChangedMessage } from './messages/announced-seminar-changed.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The link that ends the email: its cancel or unsubscribe link (for `List-Unsubscribe` on bulk notices);
 * a cancellation receipt, with nothing left to cancel, ends with the seminar's registration page, as does
 * a refusal by the invitation list (nothing to cancel either).
 */
export function optOutUrl(message: EmailMessage): string {
  if (message.kind === 'registration-cancelled') return message.registerUrl;
  if (message.kind === 'registration-refused') return message.seminarUrl;
  return 'cancelUrl' in message ? message.cancelUrl : message.unsubscribeUrl;
}

/** A subject line: no CR/LF or other control characters, single spaces. */
export function sanitizeSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  return subject.replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The message's draft, by its kind's entry in the registry. */
function draft(message: EmailMessage, lang: Lang): Draft {
  const drafter = DRAFTS[message.kind] as ((m: EmailMessage, lang: Lang) => Draft) | undefined;
  if (!drafter) throw new Error(`Unknown email kind: ${(message as { kind: string }).kind}`);
  return drafter(message, lang);
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
