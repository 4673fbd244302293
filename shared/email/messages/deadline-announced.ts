/** A scheme round's application deadline, to the scheme's subscribers. */
import { formatOslo } from '../../domain/time.js';
import { deadlineText, pick, type Lang } from '../../text.js';
import { contactBlocks, p, subscriberFooter, type Draft } from '../draft.js';
import { schemeBlocks, schemeLink, sessionBlocks, type AboutDeadline } from '../scheme-parts.js';

export interface DeadlineAnnouncedMessage extends AboutDeadline {
  kind: 'deadline-announced';
}

export function deadlineAnnounced(m: DeadlineAnnouncedMessage, lang: Lang): Draft {
  const s = m.scheme;
  const date = formatOslo(m.deadline, lang, 'date');
  return {
    subject: pick(lang, `Søknadsfrist ${date}: ${s.name}`, `Application deadline ${date}: ${s.name}`),
    heading: pick(lang, `Søknadsfrist for ${s.name}`, `Application deadline for ${s.name}`),
    blocks: [
      p(
        pick(
          lang,
          `Søknadsfristen for ${s.name} er ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
          `The application deadline for ${s.name} is ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
        ),
      ),
      ...schemeBlocks(m, lang),
      ...sessionBlocks(m.guidanceSessions, lang, 'deadline-announced'),
      ...schemeLink(s, lang),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: subscriberFooter(s.name, m.unsubscribeUrl, lang),
  };
}
