/** Step one of a subscription's double opt-in (a funding scheme, or a seminar series): confirm the address. */
import { roundSessionWords } from '../../domain/funding.js';
import { pick, type Lang } from '../../text.js';
import { button, linkExpiryBlocks, p, type Common, type Draft, type When } from '../draft.js';

export interface ConfirmSubscriptionMessage extends Common {
  kind: 'confirm-subscription';
  target: { kind: 'scheme' | 'series'; name: string };
  /**
   * A scheme's coming sessions (guidance sessions, pitch days) across its rounds: the email promises
   * news of those kinds only (none given: deadlines and reminders only).
   */
  sessions?: ReadonlyArray<{ kind?: string }>;
  confirmUrl: string;
  unsubscribeUrl: string;
  expiresAt?: When;
}

export function confirmSubscription(m: ConfirmSubscriptionMessage, lang: Lang): Draft {
  const name = m.target.name;
  const what =
    m.target.kind === 'scheme'
      ? pick(
          lang,
          `Du har bedt om å få varsler på e-post om ${name}: ${roundSessionWords(m.sessions ?? [], lang).promise}.`,
          `You asked to receive email notices about ${name}: ${roundSessionWords(m.sessions ?? [], lang).promise}.`,
        )
      : pick(
          lang,
          `Du har bedt om å få e-post når det kommer nye seminarer i ${name}.`,
          `You asked to receive an email whenever there is a new seminar in ${name}.`,
        );
  return {
    subject: pick(lang, `Bekreft abonnementet ditt: ${name}`, `Confirm your subscription: ${name}`),
    heading: pick(lang, 'Bekreft abonnementet ditt', 'Confirm your subscription'),
    blocks: [
      p(what),
      p(pick(lang, 'Du får ingen varsler før du har bekreftet.', 'You will not receive any notices until you confirm.')),
      button(pick(lang, 'Bekreft abonnementet', 'Confirm subscription'), m.confirmUrl),
      ...linkExpiryBlocks(m.expiresAt, lang),
    ],
    footer: {
      text: pick(
        lang,
        'Har du ikke bedt om dette, kan du se bort fra denne e-posten. Du kan også melde deg av med en gang:',
        'If you did not ask for this, you can ignore this email. You can also unsubscribe straight away:',
      ),
      link: { label: pick(lang, 'Meld deg av', 'Unsubscribe'), url: m.unsubscribeUrl },
    },
  };
}
