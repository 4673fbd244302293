/**
 * The receipt for a registrant who cancelled: nothing is left to cancel, so it carries no cancel link;
 * it ends with the seminar's registration page instead (and offers it while registration is open).
 */
import { pick, quote, whenText, type Lang } from '../../text.js';
import { button, contactBlocks, p, rows, type AboutSeminar, type Block, type Draft } from '../draft.js';
import { calendarRemovedBlock } from '../seminar-parts.js';

export interface RegistrationCancelledMessage extends AboutSeminar {
  kind: 'registration-cancelled';
  /** The seminar's registration page. */
  registerUrl: string;
  /** Registration is still open: offer to register again. */
  registrationOpen: boolean;
  /** Whether the `.ics` that removes the event is attached. */
  calendarAttached?: boolean;
}

export function registrationCancelled(m: RegistrationCancelledMessage, lang: Lang): Draft {
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
    rows([pick(lang, 'Tid', 'When'), whenText(s, lang)]),
    ...calendarRemovedBlock(lang, m.calendarAttached),
  ];
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
