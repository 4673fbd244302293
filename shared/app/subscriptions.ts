/**
 * Subscriptions to a funding scheme or a seminar series, as the public routes and the handlers need them:
 *
 * - what a subscription is to, as emails and pages name it: a funding scheme (its name, its organiser)
 *   or a seminar series (shared/domain/series.ts). The confirm and unsubscribe links and the confirm
 *   email serve both kinds through this;
 * - a subscription asked for through a public route (a scheme's page, a series' form): stored as pending
 *   (or what the address already has), and the confirm email asked for unless the address is confirmed.
 */
import { SubscriptionRequested } from '../../events/index.js';
import { schemeName, type SubscriptionTarget } from '../domain/funding.js';
import { getScheme } from '../store/schemes.js';
import { subscribe } from '../store/subscriptions.js';
import { publish } from '../aws/publisher.js';
import { now } from '../clock.js';
import { newId } from '../ids.js';
import { loadSeries } from './series.js';
import type { Lang } from '../domain/primitives.js';

export interface TargetInfo {
  kind: SubscriptionTarget['kind'];
  name: (lang: Lang) => string;
  /** Signs the emails, if known. */
  organiser?: string;
  /** Takes new subscriptions now (a published scheme; a series with a published seminar). */
  open: boolean;
}

/** The scheme or series; undefined for a scheme that does not exist. */
export async function targetInfo(target: SubscriptionTarget): Promise<TargetInfo | undefined> {
  if (target.kind === 'scheme') {
    const scheme = await getScheme(target.id, true);
    return scheme && { kind: 'scheme', name: (lang) => schemeName(scheme, lang), organiser: scheme.organiser, open: scheme.published };
  }
  const series = await loadSeries(target.id);
  return { kind: 'series', name: (lang) => series.name(lang), open: series.open };
}

export async function requestSubscription(target: SubscriptionTarget, input: { email: string; language: Lang }): Promise<void> {
  const at = now().toISOString();
  const result = await subscribe({
    id: newId(),
    target,
    email: input.email,
    language: input.language,
    status: 'pending',
    createdAt: at,
    requestedAt: at,
  });
  // A confirmed address gets nothing: nothing changed. Otherwise the (new or repeated) confirm email.
  if (result.subscription.status === 'pending') {
    await publish({
      event: SubscriptionRequested,
      detail: { version: 1, subscriptionId: result.subscription.id, target: result.subscription.target, repeat: result.outcome !== 'created' },
    });
  }
}
