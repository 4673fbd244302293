/**
 * Calendar invites (RFC 5545 / iTIP RFC 5546) for a registrant's seat at a seminar.
 *
 * One VEVENT per (seminar, registration): the caller gives a stable UID and the seminar's SEQUENCE, so
 * a moved seminar (REQUEST, higher SEQUENCE) updates the entry in the registrant's calendar, and a
 * cancellation (CANCEL) removes it. Times are written as Europe/Oslo local times with a VTIMEZONE.
 */
import { osloParts } from '../domain/time.js';
import type { Lang } from '../domain/primitives.js';

export type IcsMethod = 'REQUEST' | 'CANCEL';

export interface IcsPerson {
  name: string;
  email: string;
}

export interface IcsInput {
  /** REQUEST: add or update the event; CANCEL: remove it (STATUS:CANCELLED). */
  method: IcsMethod;
  /** Stable per seminar + registration, e.g. `reg_123.sem_456@seminar-events`. */
  uid: string;
  /** The seminar's `sequence`: bumped on every change registrants see. */
  sequence: number;
  start: Date | string;
  end: Date | string;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  organizer: IcsPerson;
  attendee?: IcsPerson;
  /** When this invite was made; defaults to now. */
  dtstamp?: Date;
  /** Defaults to CONFIRMED for REQUEST and CANCELLED for CANCEL. */
  status?: 'CONFIRMED' | 'CANCELLED' | 'TENTATIVE';
  /** Defaults to `-//seminar-events//NONSGML v1//EN`. */
  prodId?: string;
  /**
   * The language SUMMARY and DESCRIPTION are written in (their LANGUAGE parameter): the language of
   * that text, which is not necessarily the reader's. Left out: no tag.
   */
  language?: Lang;
}

const CRLF = '\r\n';

/** Europe/Oslo since 1996: CEST from the last Sunday of March 02:00 to the last Sunday of October 03:00. */
const VTIMEZONE_OSLO = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Oslo',
  'X-LIC-LOCATION:Europe/Oslo',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** Removes control characters other than newlines (which TEXT escapes), tabs become spaces. */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\t/g, ' ').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines. */
export function escapeIcsText(value: string): string {
  return clean(value)
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (e.g. CN): quoted, since names hold commas and colons; DQUOTE cannot appear. */
function paramValue(value: string): string {
  const v = clean(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/"/g, "'")
    .trim();
  return `"${v}"`;
}

/** A URI value: no escaping, but no line breaks or spaces either. */
function uriValue(value: string): string {
  return clean(value).replace(/[\r\n\s]+/g, '');
}

function mailto(email: string): string {
  return `mailto:${uriValue(email)}`;
}

/** Octets of one code point in UTF-8 (a lone surrogate is written as U+FFFD: 3). */
const utf8Octets = (codePoint: number) => (codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4);

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with a space, a
 * multi-byte UTF-8 character is never split, and neither is a backslash escape.
 *
 * Most lines of an invite are short: those are returned as they are, measured once. The octets of the
 * others are counted from code points: an encoder call per character cost 0.7 ms per invite.
 */
export function foldLine(line: string): string {
  if (line.length <= 75 && Buffer.byteLength(line, 'utf8') <= 75) return line;
  const out: string[] = [];
  let start = 0;
  let octets = 0;
  let limit = 75;
  for (let i = 0; i < line.length; ) {
    // One unit: a backslash escape (the backslash and the character after it, unless that ends a line),
    // or one code point. Scanned in place: no string per character.
    let end = i;
    let size = 0;
    const units = line.charCodeAt(i) === 0x5c && i + 1 < line.length && !LINE_END.has(line.charCodeAt(i + 1)) ? 2 : 1;
    for (let u = 0; u < units; u++) {
      const cp = line.codePointAt(end)!;
      size += utf8Octets(cp);
      end += cp > 0xffff ? 2 : 1;
    }
    if (octets + size > limit) {
      out.push(line.slice(start, i));
      start = i;
      octets = 0;
      limit = 74; // the leading space takes one octet
    }
    octets += size;
    i = end;
  }
  out.push(line.slice(start));
  return out.join(`${CRLF} `);
}

/** What `.` does not match: a backslash before one of these is a unit of its own. */
const LINE_END = new Set([0x0a, 0x0d, 0x2028, 0x2029]);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYYMMDDTHHMMSSZ`. */
function utcStamp(d: Date): string {
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
  );
}

/** `YYYYMMDDTHHMMSS` in Oslo local time (read with TZID=Europe/Oslo). */
function osloStamp(d: Date): string {
  const p = osloParts(d);
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}T${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

function toDate(value: Date | string, field: string): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`Invalid ${field}: ${String(value)}`);
  return d;
}

/**
 * Builds a VCALENDAR with one VEVENT, CRLF line endings and folded lines.
 *
 * Note: an event starting in the repeated autumn hour (02:00-02:59 on the last Sunday of October) is
 * written as local time and read back as its first occurrence, as RFC 5545 prescribes.
 */
export function buildIcs(input: IcsInput): string {
  const start = toDate(input.start, 'start');
  const end = toDate(input.end, 'end');
  if (end.getTime() <= start.getTime()) throw new RangeError('end must be after start');
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError('sequence must be a non-negative integer');
  const uid = clean(input.uid).replace(/[\r\n]/g, '');
  if (!uid) throw new RangeError('uid is required');

  const status = input.status ?? (input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
  const lang = input.language ? `;LANGUAGE=${input.language === 'nb' ? 'nb-NO' : 'en-GB'}` : '';

  const event = [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcStamp(input.dtstamp ?? new Date())}`,
    `DTSTART;TZID=Europe/Oslo:${osloStamp(start)}`,
    `DTEND;TZID=Europe/Oslo:${osloStamp(end)}`,
    `SUMMARY${lang}:${escapeIcsText(input.summary)}`,
  ];
  if (input.description) event.push(`DESCRIPTION${lang}:${escapeIcsText(input.description)}`);
  if (input.location) event.push(`LOCATION:${escapeIcsText(input.location)}`);
  if (input.url) event.push(`URL:${uriValue(input.url)}`);
  event.push(`ORGANIZER;CN=${paramValue(input.organizer.name)}:${mailto(input.organizer.email)}`);
  if (input.attendee) {
    const partstat = input.method === 'REQUEST' ? ';PARTSTAT=ACCEPTED' : '';
    event.push(
      `ATTENDEE;CN=${paramValue(input.attendee.name)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT` +
        `${partstat};RSVP=FALSE:${mailto(input.attendee.email)}`,
    );
  }
  event.push(`STATUS:${status}`, 'TRANSP:OPAQUE', 'END:VEVENT');

  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${escapeIcsText(input.prodId ?? '-//seminar-events//NONSGML v1//EN')}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    ...VTIMEZONE_OSLO,
    ...event,
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
