/**
 * SeminarScheduled for a guidance session tied to a funding scheme (by the seminar's `schemeId` or
 * `deadlineId`, or listed by one of the scheme's rounds) → the scheme's confirmed subscribers hear about
 * it with its registration link (the 'seminar-announced' email), once each per seminar even if they
 * subscribe to several schemes it belongs to, or to its series too. Registration, reminders and
 * streaming then work as for any seminar (on-seminar-scheduled does those).
 */
import { SeminarScheduled } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { getSchemeWithRounds } from '../../shared/store/schemes.js';
import { roundStatus, type Deadline } from '../../shared/domain/funding.js';
import { notifySubscribers } from '../../shared/email/notify-subscribers.js';
import type { NotifyResult } from '../../shared/email/notify.js';
import { registerPageUrl } from '../../shared/links.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { guidanceAnnouncementFor } from '../../shared/app/deadline-messages.js';
import { tiesOf } from '../../shared/app/scheme-sessions.js';
import { SEMINAR_ANNOUNCED_KIND } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(SeminarScheduled, async (d) => {
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
    const result = await notifySubscribers({ kind: 'scheme', id: schemeId }, seminar.id, SEMINAR_ANNOUNCED_KIND, (s) =>
      guidanceAnnouncementFor(seminar, found.scheme, round, registerPageUrl(seminar.id, s.language), s.language),
    );
    for (const k of ['sent', 'alreadyHandled', 'suppressed', 'failed', 'skipped'] as const) total[k] += result[k];
  }
  logger.info('Guidance session announced to subscribers', { seminarId: seminar.id, schemes: ties.size, ...total });
  return total;
});
