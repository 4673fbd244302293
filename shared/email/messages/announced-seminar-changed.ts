/**
 * A seminar someone was told about as a subscriber (a series, or a funding scheme it is a guidance session
 * of) moved or was cancelled; for those not registered for it (registrants get their own notice).
 */
import { formatOslo } from '../../domain/time.js';
import { doorsRow, norwegianTime, pick, quote, venueLine, whenText, type Lang } from '../../text.js';
import { button, contactBlocks, p, rows, subscriberFooter, type AboutSeminar, type Draft, type When } from '../draft.js';
import { apologyBlock, cancelledTitles, movedTitles, registrationDeadlineRows } from '../seminar-parts.js';

export interface AnnouncedSeminarChangedMessage extends AboutSeminar {
  kind: 'announced-seminar-changed';
  change: { kind: 'moved'; previousStart: When } | { kind: 'cancelled'; reason?: string };
  series?: { name: string };
  scheme?: { name: string };
  /** For a moved seminar: its registration page. */
  registerUrl?: string;
  unsubscribeUrl: string;
}

export function announcedSeminarChanged(m: AnnouncedSeminarChangedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const about = m.series?.name ?? m.scheme?.name ?? pick(lang, 'nye seminarer', 'new seminars');
  const footer = subscriberFooter(about, m.unsubscribeUrl, lang);
  if (m.change.kind === 'cancelled') {
    const start = formatOslo(s.start, lang, 'long');
    return {
      ...cancelledTitles(s, lang),
      blocks: [
        p(
          pick(
            lang,
            `Vi har varslet deg om ${quote(lang, s.title)}, som skulle vært ${start}. Det må vi dessverre avlyse.`,
            `We told you about ${quote(lang, s.title)}, planned for ${start}${norwegianTime(lang)}. Unfortunately, it has been cancelled.`,
          ),
        ),
        ...(m.change.reason ? [p(m.change.reason)] : []),
        apologyBlock(lang),
        ...contactBlocks(s.contacts, lang),
      ],
      footer,
    };
  }
  const place = venueLine(s.venue);
  return {
    ...movedTitles(s, lang),
    blocks: [
      p(
        pick(
          lang,
          `${quote(lang, s.title)}, som vi har varslet deg om, har fått nytt tidspunkt.`,
          `${quote(lang, s.title)}, which we told you about, has a new time.`,
        ),
      ),
      rows(
        [pick(lang, 'Nytt tidspunkt', 'New time'), whenText(s, lang)],
        [pick(lang, 'Tidligere tidspunkt', 'Previous time'), formatOslo(m.change.previousStart, lang, 'long') + norwegianTime(lang)],
        place !== '' && [pick(lang, 'Sted', 'Where'), place],
        doorsRow(s, lang),
        ...registrationDeadlineRows(s, lang),
      ),
      ...(m.registerUrl ? [button(pick(lang, 'Meld deg på', 'Register'), m.registerUrl)] : []),
      ...contactBlocks(s.contacts, lang),
    ],
    footer,
  };
}
