/** Before the start (at each of the seminar's reminder offsets), to those who attend, in person or online. */
import type { Attendance } from '../../domain/model.js';
import { formatOslo } from '../../domain/time.js';
import { norwegianTime, pick, quote, type Lang } from '../../text.js';
import { contactBlocks, p, registrantFooter, type Block, type Draft, type ForRegistrant } from '../draft.js';
import { seminarRows, streamingBlocks, type StreamingInfo } from '../seminar-parts.js';

export interface SeminarReminderMessage extends ForRegistrant, StreamingInfo {
  kind: 'seminar-reminder';
  attendance: Attendance;
}

export function seminarReminder(m: SeminarReminderMessage, lang: Lang): Draft {
  const s = m.seminar;
  const start = formatOslo(s.start, lang, 'long');
  const blocks: Block[] = [
    p(
      pick(
        lang,
        `Vi minner om at ${quote(lang, s.title)} starter ${start}.`,
        `This is a reminder that ${quote(lang, s.title)} starts on ${start}${norwegianTime(lang)}.`,
      ),
    ),
    seminarRows(s, lang, m.attendance),
  ];
  if (m.attendance === 'physical') {
    blocks.push(p(pick(lang, 'Velkommen! Vi gleder oss til å se deg.', 'Welcome! We look forward to seeing you.')));
  } else {
    if (m.attendance === 'waitlisted') {
      blocks.push(
        p(
          pick(
            lang,
            'Du står fortsatt på ventelisten for fysisk plass, og deltar digitalt inntil videre.',
            'You are still on the waiting list for a seat, and attend online until then.',
          ),
        ),
      );
    }
    blocks.push(...streamingBlocks(s, lang, m));
  }
  blocks.push(...contactBlocks(s.contacts, lang));
  return {
    subject: pick(
      lang,
      `Påminnelse: ${s.title}, ${formatOslo(s.start, lang, 'datetime')}`,
      `Reminder: ${s.title}, ${formatOslo(s.start, lang, 'datetime')}`,
    ),
    heading: pick(lang, 'Påminnelse', 'Reminder'),
    blocks,
    footer: registrantFooter(m, lang),
  };
}
