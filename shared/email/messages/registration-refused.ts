/**
 * A submission the seminar's invitation list refused: told by email only (the page answered as for any
 * submission, so it does not tell who is invited). No confirm link; whom to ask instead.
 */
import { pick, quote, whenText, type Lang } from '../../text.js';
import { p, rows, type AboutSeminar, type Block, type Draft } from '../draft.js';

export interface RegistrationRefusedMessage extends AboutSeminar {
  kind: 'registration-refused';
  /** The seminar's page. */
  seminarUrl: string;
}

export function registrationRefused(m: RegistrationRefusedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const title = s.title;
  const contacts = s.contacts ?? [];
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Takk for at du ønsker å delta på ${quote(lang, title)}. Seminaret er kun for inviterte, og denne e-postadressen står ikke på invitasjonslisten. Vi kan derfor dessverre ikke ta imot påmeldingen.`,
        `Thank you for wishing to attend ${quote(lang, title)}. The seminar is by invitation only, and this email address is not on the invitation list. We are therefore sorry that we cannot accept the registration.`,
      ),
    ),
    rows([pick(lang, 'Tid', 'When'), whenText(s, lang)]),
  ];
  const ask = pick(
    lang,
    'Mener du at du er invitert, kanskje med en annen e-postadresse, eller har du spørsmål om seminaret,',
    'If you believe you were invited, perhaps at another email address, or if you have questions about the seminar,',
  );
  if (contacts.length > 0) blocks.push(p(`${ask} ${pick(lang, 'ta kontakt med arrangøren:', 'please contact the organiser:')}`), { t: 'contacts', contacts });
  else if (m.organiser) blocks.push(p(`${ask} ${pick(lang, `ta kontakt med arrangøren, ${m.organiser}.`, `please contact the organiser, ${m.organiser}.`)}`));
  else blocks.push(p(`${ask} ${pick(lang, 'ta kontakt med arrangøren.', 'please contact the organiser.')}`));
  return {
    subject: pick(lang, `Om påmeldingen din: ${title}`, `About your registration: ${title}`),
    heading: pick(lang, 'Seminaret er kun for inviterte', 'The seminar is by invitation only'),
    blocks,
    footer: {
      text: pick(
        lang,
        `Du får denne e-posten fordi noen, kanskje du, prøvde å melde denne e-postadressen på ${quote(lang, title)}. Var det ikke deg, kan du se bort fra den. Du får ingen flere e-poster om dette. Arrangementet finner du her:`,
        `You are receiving this email because someone, perhaps you, tried to register this email address for ${quote(lang, title)}. If it was not you, you can ignore it. You will get no more emails about this. The event's page:`,
      ),
      link: { label: pick(lang, 'Om arrangementet', 'About the event'), url: m.seminarUrl },
    },
  };
}
