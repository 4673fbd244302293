/** A scheme round's deadline changed (extended, or earlier), to the scheme's subscribers. */
import { formatOslo } from '../../domain/time.js';
import { deadlineText, pick, type Lang } from '../../text.js';
import { contactBlocks, p, rows, subscriberFooter, type Draft, type When } from '../draft.js';
import { roundRow, schemeLink, sessionBlocks, type AboutDeadline } from '../scheme-parts.js';

export interface DeadlineMovedMessage extends AboutDeadline {
  kind: 'deadline-moved';
  previousDeadline: When;
  previousEndOfDay?: boolean;
}

export function deadlineMoved(m: DeadlineMovedMessage, lang: Lang): Draft {
  const s = m.scheme;
  const date = formatOslo(m.deadline, lang, 'date');
  const later = new Date(m.deadline).getTime() > new Date(m.previousDeadline).getTime();
  return {
    subject: pick(lang, `Ny søknadsfrist for ${s.name}: ${date}`, `New application deadline for ${s.name}: ${date}`),
    heading: pick(lang, 'Søknadsfristen er endret', 'The application deadline has changed'),
    blocks: [
      p(
        later
          ? pick(lang, `Søknadsfristen for ${s.name} er utsatt.`, `The application deadline for ${s.name} has been extended.`)
          : pick(
              lang,
              `Søknadsfristen for ${s.name} er flyttet. Merk at den nye fristen er tidligere enn før.`,
              `The application deadline for ${s.name} has been moved. Note that the new deadline is earlier than before.`,
            ),
      ),
      rows(
        [pick(lang, 'Ny frist', 'New deadline'), deadlineText(m.deadline, m.endOfDay, lang)],
        [pick(lang, 'Tidligere frist', 'Previous deadline'), deadlineText(m.previousDeadline, m.previousEndOfDay, lang)],
        roundRow(m, lang),
      ),
      ...sessionBlocks(m.guidanceSessions, lang, 'deadline-moved'),
      ...schemeLink(s, lang),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: subscriberFooter(s.name, m.unsubscribeUrl, lang),
  };
}
