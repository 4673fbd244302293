/** What the deadline emails and the schemes page show of a scheme, its rounds and their sessions (guidance sessions, pitch days). */
import type { Seminar } from '../../shared/domain/model.js';
import { isRoundSessionKind, promisedSessions, roundSessionKind, roundStatus, schemeDescription, schemeName, type Deadline, type Scheme } from '../../shared/domain/funding.js';
import type { EmailScheme, GuidanceSessionInfo } from '../../shared/email/templates.js';
import { listSeminars } from '../../shared/store/seminars.js';
import { getSchemeWithRounds } from '../../shared/store/schemes.js';
import { registerPageUrl } from '../../shared/links.js';

type Lang = 'nb' | 'en';

export function emailScheme(s: Scheme, lang: Lang): EmailScheme {
  return {
    name: schemeName(s, lang),
    description: schemeDescription(s, lang) || undefined,
    budgetNok: s.budgetNok,
    maxSharePercent: s.maxSharePercent,
    url: s.url,
    contacts: s.contacts,
  };
}

/** Scheduled sessions a round can have (guidance sessions, pitch days) that have not started yet, by start. */
export async function upcomingGuidanceSessions(now: Date): Promise<Seminar[]> {
  const all = await listSeminars(now.toISOString());
  return all.filter((s) => isRoundSessionKind(s.kind) && s.status === 'scheduled' && Date.parse(s.start) > now.getTime());
}

/**
 * The guidance sessions of a round: those the round lists, those that name the round, and those that
 * name only the scheme and take place before the deadline.
 */
export function sessionsForRound(round: Pick<Deadline, 'id' | 'schemeId' | 'deadline' | 'guidanceSessions'>, upcoming: Seminar[]): Seminar[] {
  return upcoming.filter(
    (s) =>
      round.guidanceSessions.includes(s.id) ||
      s.deadlineId === round.id ||
      (s.schemeId === round.schemeId && !s.deadlineId && Date.parse(s.start) < Date.parse(round.deadline)),
  );
}

export function guidanceInfo(sessions: Seminar[], lang: Lang): GuidanceSessionInfo[] {
  return sessions.map((s) => ({ kind: roundSessionKind(s.kind), title: s.title, start: s.start, end: s.end, venue: s.venue, registerUrl: registerPageUrl(s.id, lang) }));
}

/** What a subscription to the scheme promises news of: shared/domain/funding.ts promisedSessions. */
export async function schemePromisedSessions(schemeId: string, now: Date): Promise<Seminar[]> {
  const [found, upcoming] = await Promise.all([getSchemeWithRounds(schemeId, true), upcomingGuidanceSessions(now)]);
  if (!found) return [];
  return promisedSessions(found.rounds.map((r) => ({ status: roundStatus(r, now), sessions: sessionsForRound(r, upcoming) })));
}
