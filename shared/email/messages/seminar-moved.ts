/** The seminar has a new time: to its registrants, with the updated invite. */
import type { Attendance } from '../../domain/model.js';
import { formatOslo, formatOsloRange } from '../../domain/time.js';
import { doorsRow, norwegianTime, pick, quote, venueLine, whenText, type Lang } from '../../text.js';
import { contactBlocks, p, registrantFooter, rows, type Draft, type ForRegistrant, type When } from '../draft.js';
import { calendarBlock, movedTitles } from '../seminar-parts.js';

export interface SeminarMovedMessage extends ForRegistrant {
  kind: 'seminar-moved';
  /** `seminar.start`/`end` are the new times. */
  previousStart: When;
  previousEnd?: When;
  attendance?: Attendance;
  calendarAttached?: boolean;
}

export function seminarMoved(m: SeminarMovedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const previous = m.previousEnd
    ? formatOsloRange(m.previousStart, m.previousEnd, lang, { weekday: true })
    : formatOslo(m.previousStart, lang, 'long');
  const place = venueLine(s.venue);
  const inPerson = m.attendance === undefined || m.attendance === 'physical';
  return {
    ...movedTitles(s, lang),
    blocks: [
      p(pick(lang, `${quote(lang, s.title)} har fått nytt tidspunkt.`, `${quote(lang, s.title)} has a new time.`)),
      rows(
        [pick(lang, 'Nytt tidspunkt', 'New time'), whenText(s, lang)],
        [pick(lang, 'Tidligere tidspunkt', 'Previous time'), previous + norwegianTime(lang)],
        inPerson && place !== '' && [pick(lang, 'Sted', 'Where'), place],
        inPerson && doorsRow(s, lang),
      ),
      p(
        pick(
          lang,
          'Påmeldingen din gjelder fortsatt. Passer ikke det nye tidspunktet, ber vi deg melde deg av.',
          'Your registration still stands. If the new time does not suit you, please cancel your registration.',
        ),
      ),
      ...calendarBlock(lang, m.calendarAttached, true),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: registrantFooter(m, lang),
  };
}
