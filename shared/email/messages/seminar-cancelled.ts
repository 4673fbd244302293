/** The seminar is cancelled: to its registrants, with the `.ics` that removes it. */
import { formatOslo } from '../../domain/time.js';
import { norwegianTime, pick, quote, type Lang } from '../../text.js';
import { contactBlocks, p, pastRegistrantFooter, type Block, type Draft, type ForRegistrant } from '../draft.js';
import { apologyBlock, calendarRemovedBlock, cancelledTitles } from '../seminar-parts.js';

export interface SeminarCancelledMessage extends ForRegistrant {
  kind: 'seminar-cancelled';
  /** The organiser's explanation, if any. */
  reason?: string;
  calendarAttached?: boolean;
}

export function seminarCancelled(m: SeminarCancelledMessage, lang: Lang): Draft {
  const s = m.seminar;
  const start = formatOslo(s.start, lang, 'long');
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Vi må dessverre avlyse ${quote(lang, s.title)}, som skulle vært ${start}.`,
        `Unfortunately, ${quote(lang, s.title)}, planned for ${start}${norwegianTime(lang)}, has been cancelled.`,
      ),
    ),
  ];
  if (m.reason) blocks.push(p(m.reason));
  blocks.push(...calendarRemovedBlock(lang, m.calendarAttached), apologyBlock(lang), ...contactBlocks(s.contacts, lang));
  return { ...cancelledTitles(s, lang), blocks, footer: pastRegistrantFooter(m, lang) };
}
