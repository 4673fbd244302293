/**
 * The sessions of a funding scheme's rounds (guidance sessions, pitch days) as the deadline emails and
 * the schemes page show them, and the other way round: the schemes a session belongs to.
 */
import type { Seminar } from '../domain/model.js';
import { isRoundSessionKind, promisedSessions, roundStatus, type Deadline } from '../domain/funding.js';
import { listSeminars } from '../store/seminars.js';
import { getSchemeWithRounds, roundsListingSeminar, schemeIdOfDeadline } from '../store/schemes.js';

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

/** What a subscription to the scheme promises news of: shared/domain/funding.ts promisedSessions. */
export async function schemePromisedSessions(schemeId: string, now: Date): Promise<Seminar[]> {
  const [found, upcoming] = await Promise.all([getSchemeWithRounds(schemeId, true), upcomingGuidanceSessions(now)]);
  if (!found) return [];
  return promisedSessions(found.rounds.map((r) => ({ status: roundStatus(r, now), sessions: sessionsForRound(r, upcoming) })));
}

/** The schemes a guidance session belongs to, each with the round ids that name or list it. */
export async function tiesOf(seminar: Seminar): Promise<Map<string, Set<string>>> {
  const ties = new Map<string, Set<string>>();
  const add = (schemeId: string | undefined, deadlineId?: string) => {
    if (!schemeId) return;
    const rounds = ties.get(schemeId) ?? new Set<string>();
    if (deadlineId) rounds.add(deadlineId);
    ties.set(schemeId, rounds);
  };
  add(seminar.schemeId);
  if (seminar.deadlineId) add(await schemeIdOfDeadline(seminar.deadlineId), seminar.deadlineId);
  for (const r of await roundsListingSeminar(seminar.id)) add(r.schemeId, r.deadlineId);
  return ties;
}
