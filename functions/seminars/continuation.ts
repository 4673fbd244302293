/**
 * Fan-outs longer than a Lambda may run (10,000 registrants at a low SES send rate): the handler stops
 * starting new emails shortly before its time runs out and puts its own event on the bus again with
 * `continuation` + 1; the next invocation goes on where the ledger says it stopped (everyone already
 * sent costs one conditional write, nobody gets anything twice).
 */
import type { Context } from 'aws-lambda';
import type { EventDefinition } from '../../events/index.js';
import type { NotifyResult } from '../../shared/email/notify.js';
import { publish } from '../../shared/aws/publisher.js';
import { logger } from '../../shared/log.js';

export const MAX_CONTINUATIONS = 1000;

/** When to stop starting emails: a minute (or a quarter of the time left, if less) before the timeout. */
export function stopAtFor(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): number | undefined {
  const left = context?.getRemainingTimeInMillis?.();
  if (left === undefined || !Number.isFinite(left)) return undefined;
  return Date.now() + left - Math.min(60_000, left / 4);
}

/** Puts the event on the bus again when the fan-out did not finish; returns whether it did. */
export async function continueIfUnfinished<D extends { continuation?: number }>(event: EventDefinition, detail: D, result: NotifyResult): Promise<boolean> {
  if (result.complete !== false) return false;
  const continuation = (detail.continuation ?? 0) + 1;
  if (continuation > MAX_CONTINUATIONS) throw new Error(`${event.detailType}: still not finished after ${MAX_CONTINUATIONS} continuations`);
  await publish({ event, detail: { ...detail, continuation } });
  logger.info('Fan-out continues in a new invocation', { detailType: event.detailType, continuation, sent: result.sent });
  return true;
}
