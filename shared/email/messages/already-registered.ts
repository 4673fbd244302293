/** Someone registered an address that already is: nothing changed, and we say so only by email. */
import type { Attendance } from '../../domain/model.js';
import { pick, quote, type Lang } from '../../text.js';
import { contactBlocks, p, registrantFooter, type Draft, type ForRegistrant } from '../draft.js';
import { seminarRows } from '../seminar-parts.js';

export interface AlreadyRegisteredMessage extends ForRegistrant {
  kind: 'already-registered';
  attendance?: Attendance;
  waitlistPosition?: number;
  /** Waitlisted: attends online meanwhile (false: the waitlist only). */
  online?: boolean;
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

export function alreadyRegistered(m: AlreadyRegisteredMessage, lang: Lang): Draft {
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
