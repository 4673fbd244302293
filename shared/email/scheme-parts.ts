/**
 * The pieces of a funding scheme's deadline emails (announced, reminder, moved): the scheme as they show
 * it, its round's facts, its sessions (guidance sessions, a pitch day) and the link to read more.
 */
import { roundSessionWords, type RoundSessionKind, type SessionPlace } from '../domain/funding.js';
import { formatOslo, formatOsloRange } from '../domain/time.js';
import { amountText, norwegianTime, pick, venueLine, type Lang, type Venue } from '../text.js';
import { h2, link, p, rows, type Block, type Common, type Contact, type ListItem, type When } from './draft.js';

/** A funding scheme as the deadline emails show it. */
export interface EmailScheme {
  name: string;
  description?: string;
  /** Total budget in NOK, e.g. 120_000_000. */
  budgetNok?: number;
  /** Largest share of a project's costs the scheme covers, in per cent, e.g. 50. */
  maxSharePercent?: number;
  /** The scheme's web page. */
  url?: string;
  contacts?: Contact[];
}

/** A session tied to a scheme round: a guidance session, or a pitch day. */
export interface GuidanceSessionInfo {
  /** What kind of session; without it, a guidance session. The words for it: roundSessionWords (shared/domain/funding.ts). */
  kind?: RoundSessionKind;
  title?: string;
  start: When;
  end?: When;
  venue?: Venue;
  /** Where to register for it. */
  registerUrl?: string;
}

/** What every deadline email is about. */
export interface AboutDeadline extends Common {
  scheme: EmailScheme;
  /** The round, e.g. "2018". */
  round?: string;
  deadline: When;
  /** The deadline was given as a date: it means the end of that day. Detected from 23:59 Oslo time if absent. */
  endOfDay?: boolean;
  guidanceSessions?: GuidanceSessionInfo[];
  unsubscribeUrl: string;
}

/** Description, round, budget and share (the deadline itself is said in a sentence). */
export function schemeBlocks(m: AboutDeadline, lang: Lang): Block[] {
  const s = m.scheme;
  const blocks: Block[] = [];
  if (s.description) blocks.push(p(s.description));
  blocks.push(
    rows(
      roundRow(m, lang),
      s.budgetNok !== undefined && [pick(lang, 'Ramme', 'Budget'), amountText(s.budgetNok, lang)],
      s.maxSharePercent !== undefined && [
        pick(lang, 'Støtte', 'Funding'),
        pick(lang, `opptil ${s.maxSharePercent} prosent av kostnadene`, `up to ${s.maxSharePercent}% of the costs`),
      ],
    ),
  );
  return blocks;
}

/** "Runde: 2018", if the round has a name. */
export function roundRow(m: Pick<AboutDeadline, 'round'>, lang: Lang): [string, string] | false {
  return m.round !== undefined && m.round !== '' && [pick(lang, 'Runde', 'Round'), m.round];
}

/** The round's sessions, one heading per kind (guidance sessions, a pitch day), in the words for that kind. */
export function sessionBlocks(sessions: GuidanceSessionInfo[] | undefined, lang: Lang, place: SessionPlace): Block[] {
  return roundSessionWords(sessions ?? [], lang).groups.flatMap((group) => {
    const items = group.sessions.map((g): ListItem => {
      const time = g.end ? formatOsloRange(g.start, g.end, lang, { weekday: true }) : formatOslo(g.start, lang, 'long');
      const text = [g.title, time + norwegianTime(lang), venueLine(g.venue)].filter((x) => x).join(', ');
      return { text, link: g.registerUrl ? { label: group.register, url: g.registerUrl } : undefined };
    });
    return [h2(group.heading), p(group.intro[place]), { t: 'list', items }];
  });
}

export function schemeLink(s: EmailScheme, lang: Lang): Block[] {
  return s.url ? [link(pick(lang, 'Les mer om ordningen', 'Read more about the scheme'), s.url)] : [];
}
