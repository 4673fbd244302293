/** The `.ics` invite a registrant gets: one UID per registration, SEQUENCE from the seminar. */
import { buildIcs, type IcsMethod } from './ics.js';
import { venueLine } from './templates.js';
import type { Registration, Seminar } from '../domain/model.js';
import { config } from '../config.js';
import { registerPageUrl } from '../links.js';

export function registrationInvite(s: Seminar, r: Registration, method: IcsMethod = 'REQUEST') {
  const c = config();
  const physical = r.attendance === 'physical';
  const content = buildIcs({
    method,
    uid: `${r.id}.${s.id}@seminar-events`,
    // The seminar's changes count twice; a promotion from the waitlist (the location changes from online
    // to the venue) adds one, so each later invite for the same UID has a higher SEQUENCE (RFC 5546).
    sequence: 2 * s.sequence + (r.promotedAt ? 1 : 0),
    start: s.start,
    end: s.end,
    summary: s.title,
    description: s.description || undefined,
    location: physical ? venueLine(s.venue) || undefined : r.language === 'en' ? 'Online (streaming link by email)' : 'Digitalt (lenke sendes på e-post)',
    url: registerPageUrl(s.id, r.language),
    organizer: { name: c.senderName, email: c.senderEmail },
    attendee: { name: r.name, email: r.email },
    language: r.language,
  });
  return { fileName: method === 'CANCEL' ? 'avlyst.ics' : 'invitasjon.ics', contentType: `text/calendar; charset=UTF-8; method=${method}`, content };
}
