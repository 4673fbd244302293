/**
 * SubscriptionConfirmed → a new subscriber hears at once about the rounds that are open now: they get
 * the announcement of each open round (the same ledger entry as the fan-out, so never twice), and from
 * then on every reminder and notice.
 */
import { SubscriptionConfirmed } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSubscription } from '../../shared/store/subscriptions.js';
import { getSchemeWithRounds } from '../../shared/store/schemes.js';
import { roundStatus } from '../../shared/domain/funding.js';
import { emailSubscriber } from '../../shared/email/notify-subscribers.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { announcementFor } from '../../shared/app/deadline-messages.js';
import { DEADLINE_ANNOUNCED_KIND } from '../../shared/email/ledger-kinds.js';
import { upcomingGuidanceSessions } from '../../shared/app/scheme-sessions.js';

export const handler = onEvent(SubscriptionConfirmed, async (d) => {
  if (d.target.kind !== 'scheme') return { sent: 0 };
  const [s, found] = await Promise.all([getSubscription(d.target, d.subscriptionId), getSchemeWithRounds(d.target.id, true)]);
  if (!s || !found || s.status !== 'confirmed' || !found.scheme.published) return { sent: 0 };
  const at = now();
  const open = found.rounds.filter((r) => roundStatus(r, at) === 'open');
  if (open.length === 0) return { sent: 0 };
  const upcoming = await upcomingGuidanceSessions(at);
  let sent = 0;
  for (const round of open) {
    const outcome = await emailSubscriber(s, round.id, DEADLINE_ANNOUNCED_KIND, announcementFor(found.scheme, round, upcoming, s.language));
    if (outcome === 'sent') sent++;
  }
  logger.info('New subscriber told about open rounds', { schemeId: found.scheme.id, rounds: open.length, sent });
  return { sent };
});
