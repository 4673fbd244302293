/** Step two: the address is confirmed, and the registrant has a seat, attends online, or waits for a seat. */
import { pick, quote, type Lang } from '../../text.js';
import { contactBlocks, p, registrantFooter, type Block, type Draft, type ForRegistrant } from '../draft.js';
import { calendarBlock, seminarRows, streamingBlocks, type StreamingInfo } from '../seminar-parts.js';

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

export function registrationConfirmed(m: RegistrationConfirmedMessage, lang: Lang): Draft {
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
