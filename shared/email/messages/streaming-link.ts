/** The livestream's link, shortly before the start, to those who attend online. */
import { formatOslo } from '../../domain/time.js';
import { norwegianTime, pick, quote, type Lang } from '../../text.js';
import { button, contactBlocks, p, registrantFooter, type Draft, type ForRegistrant } from '../draft.js';
import { theSeminar } from '../seminar-parts.js';

export interface StreamingLinkMessage extends ForRegistrant {
  kind: 'streaming-link';
  streamingUrl: string;
}

export function streamingLink(m: StreamingLinkMessage, lang: Lang): Draft {
  const s = m.seminar;
  const start = formatOslo(s.start, lang, 'long');
  return {
    subject: pick(lang, `Lenke til strømming: ${s.title}`, `Livestream link: ${s.title}`),
    heading: pick(lang, 'Lenke til strømming', 'Livestream link'),
    blocks: [
      p(
        pick(
          lang,
          `${quote(lang, s.title)} starter ${start}. Du kan følge ${theSeminar(s, lang)} digitalt.`,
          `${quote(lang, s.title)} starts on ${start}${norwegianTime(lang)}. You can follow ${theSeminar(s, lang)} online.`,
        ),
      ),
      button(pick(lang, 'Se strømmingen', 'Watch the livestream'), m.streamingUrl),
      p(
        pick(
          lang,
          'Lenken er bare for påmeldte. Ikke del den videre.',
          'The link is for registered participants only. Please do not share it.',
        ),
      ),
      ...contactBlocks(s.contacts, lang),
    ],
    footer: registrantFooter(m, lang),
  };
}
