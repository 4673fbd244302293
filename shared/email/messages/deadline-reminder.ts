/** Days before a scheme round's deadline (at each of its reminder offsets), to the scheme's subscribers. */
import { formatOslo } from '../../domain/time.js';
import { deadlineText, pick, type Lang } from '../../text.js';
import { contactBlocks, p, subscriberFooter, type Block, type Draft } from '../draft.js';
import { schemeBlocks, schemeLink, sessionBlocks, type AboutDeadline } from '../scheme-parts.js';

export interface DeadlineReminderMessage extends AboutDeadline {
  kind: 'deadline-reminder';
  /** Whole days left, as scheduled (e.g. 7 or 1). */
  daysLeft?: number;
}

export function deadlineReminder(m: DeadlineReminderMessage, lang: Lang): Draft {
  const s = m.scheme;
  const date = formatOslo(m.deadline, lang, 'date');
  const blocks: Block[] = [];
  if (m.daysLeft !== undefined && m.daysLeft > 0) {
    blocks.push(
      p(
        m.daysLeft === 1
          ? pick(lang, `Det er én dag igjen til søknadsfristen for ${s.name}.`, `There is one day left until the application deadline for ${s.name}.`)
          : pick(
              lang,
              `Det er ${m.daysLeft} dager igjen til søknadsfristen for ${s.name}.`,
              `There are ${m.daysLeft} days left until the application deadline for ${s.name}.`,
            ),
      ),
    );
  }
  blocks.push(
    p(
      pick(
        lang,
        `Søknadsfristen er ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
        `The deadline is ${deadlineText(m.deadline, m.endOfDay, lang)}.`,
      ),
    ),
    ...schemeBlocks(m, lang),
    ...sessionBlocks(m.guidanceSessions, lang, 'deadline-reminder'),
    ...schemeLink(s, lang),
    ...contactBlocks(s.contacts, lang),
  );
  return {
    subject: pick(lang, `Påminnelse: søknadsfrist ${date} for ${s.name}`, `Reminder: application deadline ${date} for ${s.name}`),
    heading: pick(lang, 'Søknadsfristen nærmer seg', 'The application deadline is approaching'),
    blocks,
    footer: subscriberFooter(s.name, m.unsubscribeUrl, lang),
  };
}
