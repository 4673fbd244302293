/**
 * A subscription asked for through a public route (a scheme's page, a series' form): stored as pending
 * (or what the address already has), and the confirm email asked for unless the address is confirmed.
 */
import { SubscriptionRequested } from '../../events/index.js';
import type { SubscriptionTarget } from '../../shared/domain/funding.js';
import { publish } from '../../shared/aws/publisher.js';
import { subscribe } from '../../shared/store/subscriptions.js';
import { now } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';

export async function requestSubscription(target: SubscriptionTarget, input: { email: string; language: 'nb' | 'en' }): Promise<void> {
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
