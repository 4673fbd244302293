/**
 * SeminarScheduled for a guidance session tied to a funding scheme (by the seminar's `schemeId` or
 * `deadlineId`, or listed by one of the scheme's rounds) → the scheme's confirmed subscribers hear about
 * it with its registration link (the 'seminar-announced' email), once each per seminar even if they
 * subscribe to several schemes it belongs to, or to its series too. Registration, reminders and
 * streaming then work as for any seminar (on-seminar-scheduled does those).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { SeminarScheduled } from '../../events/index.js';
import type { Seminar } from '../../shared/domain/model.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { getSchemeWithRounds, roundsListingSeminar, schemeIdOfDeadline } from '../../shared/store/schemes.js';
import { roundStatus, type Deadline } from '../../shared/domain/funding.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import type { NotifyResult } from '../../shared/email/notify.js';
import { registerPageUrl } from '../../shared/links.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { guidanceAnnouncementFor } from './deadline-messages.js';
import { ANNOUNCED_KIND } from '../seminars/notice-kinds.js';

/**
 * Ledger kind under the seminar id: one notice per person and seminar, shared with the series
 * announcement (functions/series/notify-series-subscribers.ts), so that someone who subscribes to the
 * scheme and to the seminar's series hears about it once.
 */
export const GUIDANCE_KIND = ANNOUNCED_KIND;

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

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = SeminarScheduled.schema.parse(event.detail);
  const seminar = await getSeminar(d.seminarId, true);
  if (!seminar || seminar.kind !== 'guidance-session') return { skipped: 'not a guidance session' };
  if (seminar.status === 'cancelled' || Date.parse(seminar.start) <= now().getTime()) return { skipped: 'cancelled or started' };
  const ties = await tiesOf(seminar);
  if (ties.size === 0) return { skipped: 'not tied to a scheme' };
  // on-seminar-scheduled publishes it; until then its registration link would not work: retry.
  if (seminar.status !== 'scheduled') throw new Error(`Seminar ${seminar.id} is not published yet; retrying`);

  const at = now();
  const total: NotifyResult = { sent: 0, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: 0 };
  for (const [schemeId, roundIds] of ties) {
    const found = await getSchemeWithRounds(schemeId, true);
    if (!found || !found.scheme.published) continue;
    const open = found.rounds.filter((r) => roundStatus(r, at) === 'open');
    // The round it belongs to: one that names or lists it, else the first open round ending after it.
    const round: Deadline | undefined =
      open.find((r) => roundIds.has(r.id)) ?? open.find((r) => Date.parse(r.deadline) > Date.parse(seminar.start));
    const result = await notifySubscribers({ kind: 'scheme', id: schemeId }, seminar.id, GUIDANCE_KIND, (s) =>
      guidanceAnnouncementFor(seminar, found.scheme, round, registerPageUrl(seminar.id, s.language), s.language),
    );
    for (const k of ['sent', 'alreadyHandled', 'suppressed', 'failed', 'skipped'] as const) total[k] += result[k];
  }
  logger.info('Guidance session announced to subscribers', { seminarId: seminar.id, schemes: ties.size, ...total });
  return total;
};
