/**
 * SubscriptionRequested (to a funding scheme or a seminar series) → the confirm-your-address email
 * (double opt-in), with a link that also lets the person unsubscribe at once. A repeated request for a
 * pending address sends the link again, at most once a day; an address that is already confirmed gets
 * nothing (nothing changed, and the page said no more than that).
 */
import { keys } from '../../shared/store/keys.js';
import { SubscriptionRequested } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSubscription } from '../../shared/store/subscriptions.js';
import { subscriptionSub } from '../../shared/domain/funding.js';
import { linkFor } from '../../shared/links.js';
import { renderEmail } from '../../shared/email/templates.js';
import { sendWithRetry } from '../../shared/email/mailer.js';
import { unsubscribeUrlFor } from '../../shared/email/notify-subscribers.js';
import { nowMs } from '../../shared/clock.js';
import { logger } from '../../shared/log.js';
import { targetInfo } from '../../shared/app/subscriptions.js';
import { schemePromisedSessions } from '../../shared/app/scheme-sessions.js';

/** How long the confirm link works (shared/links.ts gives confirm tokens 7 days). */
const CONFIRM_LINK_DAYS = 7;

export const handler = onEvent(SubscriptionRequested, async (d) => {
  const [s, target] = await Promise.all([getSubscription(d.target, d.subscriptionId), targetInfo(d.target)]);
  if (!s || !target) {
    logger.warn('SubscriptionRequested for unknown data', { target: `${d.target.kind}:${d.target.id}` });
    return { sent: false };
  }
  if (s.status !== 'pending') return { sent: false, status: s.status };
  const at = nowMs();
  const kind = d.repeat ? `confirm-subscription-again-${new Date(at).toISOString().slice(0, 10)}` : 'confirm-subscription';
  const [confirmUrl, unsubscribeUrl, sessions] = await Promise.all([
    linkFor('confirm-subscription', subscriptionSub(s), s.language),
    unsubscribeUrlFor(s),
    // A scheme's email promises news of the kinds of session its open rounds have (guidance sessions, a pitch day).
    d.target.kind === 'scheme' ? schemePromisedSessions(d.target.id, new Date(at)) : Promise.resolve([]),
  ]);
  const content = renderEmail(
    {
      kind: 'confirm-subscription',
      target: { kind: target.kind, name: target.name(s.language) },
      sessions,
      confirmUrl,
      unsubscribeUrl,
      expiresAt: new Date(at + CONFIRM_LINK_DAYS * 86400_000),
      organiser: target.organiser,
    },
    s.language,
  );
  // The delivery log keeps it under the scheme id or the series id.
  const outcome = await sendWithRetry({ subject: d.target.id, kind, to: s.email, content, entitledBy: keys.subscription(s.target.kind, s.target.id, s.id) });
  return { sent: outcome === 'sent', outcome };
});
