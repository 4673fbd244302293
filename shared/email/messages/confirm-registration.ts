/** Step one of double opt-in: confirm the address. */
import { pick, quote, type Lang } from '../../text.js';
import { button, contactBlocks, linkExpiryBlocks, p, type Block, type Draft, type ForRegistrant, type When } from '../draft.js';
import { seminarRows } from '../seminar-parts.js';

export interface ConfirmRegistrationMessage extends ForRegistrant {
  kind: 'confirm-registration';
  mode: 'physical' | 'digital';
  confirmUrl: string;
  /** When the confirmation link stops working. */
  expiresAt?: When;
}

export function confirmRegistration(m: ConfirmRegistrationMessage, lang: Lang): Draft {
  const title = m.seminar.title;
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Takk for at du vil delta på ${quote(lang, title)}. Påmeldingen gjelder først når du har bekreftet den.`,
        `Thank you for registering for ${quote(lang, title)}. Your registration counts once you have confirmed it.`,
      ),
    ),
    p(
      m.mode === 'physical'
        ? pick(lang, 'Du har meldt deg på fysisk deltakelse.', 'You asked to attend in person.')
        : pick(lang, 'Du har meldt deg på for å delta digitalt.', 'You asked to attend online.'),
    ),
    seminarRows(m.seminar, lang, m.mode),
    button(pick(lang, 'Bekreft påmeldingen', 'Confirm your registration'), m.confirmUrl),
    ...linkExpiryBlocks(m.expiresAt, lang),
    ...contactBlocks(m.seminar.contacts, lang),
  ];
  return {
    subject: pick(lang, `Bekreft påmeldingen din: ${title}`, `Confirm your registration: ${title}`),
    heading: pick(lang, 'Bekreft påmeldingen din', 'Confirm your registration'),
    blocks,
    footer: {
      text: pick(
        lang,
        'Har du ikke meldt deg på selv, kan du se bort fra denne e-posten. Vil du melde deg av, bruk denne lenken:',
        'If you did not register, you can ignore this email. To cancel your registration, use this link:',
      ),
      link: { label: pick(lang, 'Meld deg av', 'Cancel your registration'), url: m.cancelUrl },
    },
  };
}
