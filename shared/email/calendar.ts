/**
 * The `.ics` invite a registrant gets: one UID per registration, SEQUENCE from the seminar, file name in
 * the registrant's language. SUMMARY and DESCRIPTION are the seminar's own title and description, so
 * their LANGUAGE is the seminar's language (not the reader's); LOCATION, partly the reader's words
 * ("Digitalt …"), partly a place's name, is not tagged.
 */
import { buildIcs, type IcsMethod } from './ics.js';
import { venueLine } from '../text.js';
import type { Registration, Seminar } from '../domain/model.js';
import type { Lang } from '../domain/primitives.js';
import { config } from '../config.js';
import { registerPageUrl } from '../links.js';

export function registrationInvite(s: Seminar, r: Registration, method: IcsMethod = 'REQUEST', opts: { byRegistrant?: boolean } = {}) {
  const c = config();
  const physical = r.attendance === 'physical';
  const content = buildIcs({
    method,
    uid: `${r.id}.${s.id}@seminar-events`,
    sequence: inviteSequence(s, r, opts.byRegistrant === true),
    start: s.start,
    end: s.end,
    summary: s.title,
    description: s.description || undefined,
    location: physical ? venueLine(s.venue) || undefined : r.language === 'en' ? 'Online (streaming link by email)' : 'Digitalt (lenke sendes på e-post)',
    url: registerPageUrl(s.id, r.language),
    organizer: { name: c.senderName, email: c.senderEmail },
    attendee: { name: r.name, email: r.email },
    language: s.language ?? 'nb',
  });
  return { fileName: inviteFileName(method, r.language, opts.byRegistrant === true), contentType: `text/calendar; charset=UTF-8; method=${method}`, content };
}

/**
 * The SEQUENCE of a registration's invite. The seminar's changes count twice; a promotion from the
 * waitlist (the location changes from online to the venue) adds one, so each later invite for the same
 * UID has a higher SEQUENCE (RFC 5546). The registrant's own cancellation adds one more: a CANCEL must
 * carry a SEQUENCE above every invite sent for the UID before it (nothing is sent for it afterwards, as
 * only confirmed registrations get invites).
 */
export function inviteSequence(s: Pick<Seminar, 'sequence'>, r: Pick<Registration, 'promotedAt'>, byRegistrant = false): number {
  return 2 * s.sequence + (r.promotedAt ? 1 : 0) + (byRegistrant ? 1 : 0);
}

/** `invitasjon.ics` / `invitation.ics`; a cancelled seminar `avlyst.ics`, a cancelled registration `avmelding.ics` (en: `cancelled.ics`). */
export function inviteFileName(method: IcsMethod, lang: Lang, byRegistrant = false): string {
  if (method === 'REQUEST') return lang === 'en' ? 'invitation.ics' : 'invitasjon.ics';
  return lang === 'en' ? 'cancelled.ics' : byRegistrant ? 'avmelding.ics' : 'avlyst.ics';
}
