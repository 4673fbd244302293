/** A seat became free, and it went to this registrant from the waiting list. */
import { pick, quote, type Lang } from '../../text.js';
import { contactBlocks, p, registrantFooter, type Draft, type ForRegistrant } from '../draft.js';
import { calendarBlock, seminarRows } from '../seminar-parts.js';

export interface WaitlistPromotedMessage extends ForRegistrant {
  kind: 'waitlist-promoted';
  calendarAttached?: boolean;
}

export function waitlistPromoted(m: WaitlistPromotedMessage, lang: Lang): Draft {
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
