/** A new seminar, to the subscribers of its series, or of a funding scheme it is a guidance session of. */
import { formatHhmm } from '../../domain/time.js';
import { deadlineText, doorsRow, pick, quote, venueLine, whenText, type Lang } from '../../text.js';
import { button, contactBlocks, h2, p, rows, subscriberFooter, type AboutSeminar, type Block, type Draft, type EmailSeminar, type ListItem, type When } from '../draft.js';
import { newSeminar, registrationDeadlineRows } from '../seminar-parts.js';

export interface SeminarAnnouncedMessage extends AboutSeminar {
  kind: 'seminar-announced';
  series?: { name: string };
  /** A guidance session of a funding scheme, announced to the scheme's subscribers. */
  scheme?: { name: string; deadline?: When; endOfDay?: boolean };
  registerUrl: string;
  unsubscribeUrl: string;
}

function programBlocks(s: EmailSeminar, lang: Lang): Block[] {
  if (!s.program || s.program.length === 0) return [];
  const items = s.program.map((item): ListItem => {
    const time = formatHhmm(item.start, lang) + (item.end ? `–${formatHhmm(item.end, lang)}` : '');
    const speakers = (item.speakers ?? [])
      .map((sp) => [sp.name, sp.title, sp.organisation].filter((x) => x).join(', '))
      .join('; ');
    return { text: `${time} ${item.title}${speakers ? ` (${speakers})` : ''}` };
  });
  return [h2('Program'), { t: 'list', items }];
}

export function seminarAnnounced(m: SeminarAnnouncedMessage, lang: Lang): Draft {
  const s = m.seminar;
  const title = s.title;
  const intro = m.series
    ? pick(lang, `Påmeldingen er åpnet for ${quote(lang, title)} i ${m.series.name}.`, `Registration is open for ${quote(lang, title)} in ${m.series.name}.`)
    : m.scheme
      ? pick(
          lang,
          `Påmeldingen er åpnet for ${quote(lang, title)}, for dere som vil søke ${m.scheme.name}.`,
          `Registration is open for ${quote(lang, title)}, for those who want to apply to ${m.scheme.name}.`,
        )
      : pick(lang, `Påmeldingen er åpnet for ${quote(lang, title)}.`, `Registration is open for ${quote(lang, title)}.`);
  const place = venueLine(s.venue);
  const blocks: Block[] = [
    p(intro),
    ...(m.scheme?.deadline !== undefined
      ? [
          p(
            pick(
              lang,
              `Søknadsfristen er ${deadlineText(m.scheme.deadline, m.scheme.endOfDay, lang)}.`,
              `The application deadline is ${deadlineText(m.scheme.deadline, m.scheme.endOfDay, lang)}.`,
            ),
          ),
        ]
      : []),
    rows(
      [pick(lang, 'Tid', 'When'), whenText(s, lang)],
      place !== '' && [pick(lang, 'Sted', 'Where'), place],
      doorsRow(s, lang),
      s.livestream !== undefined && [
        pick(lang, 'Strømming', 'Livestream'),
        s.livestream
          ? pick(lang, 'Ja, alle påmeldte får lenke før start', 'Yes, everyone registered gets the link before the start')
          : pick(lang, 'Nei', 'No'),
      ],
      ...registrationDeadlineRows(s, lang),
    ),
  ];
  if (s.eligibility?.kind === 'restricted' && s.eligibility.description) blocks.push(p(s.eligibility.description[lang]));
  if (s.description) blocks.push(p(s.description));
  blocks.push(
    ...programBlocks(s, lang),
    button(pick(lang, 'Meld deg på', 'Register'), m.registerUrl),
    ...contactBlocks(s.contacts, lang),
  );
  const about = m.series
    ? m.series.name
    : m.scheme
      ? m.scheme.name
      : pick(lang, 'nye seminarer', 'new seminars');
  return {
    subject: `${newSeminar(s, lang)}: ${title}`,
    heading: title,
    blocks,
    footer: subscriberFooter(about, m.unsubscribeUrl, lang),
  };
}
