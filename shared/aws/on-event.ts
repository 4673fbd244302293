/**
 * The typed event-handler layer. Every function triggered by the bus is
 *
 *   export const handler = onEvent(SeminarScheduled, async (detail, ctx) => …);
 *
 * or, for a function whose rules deliver several detail-types, one handler per event:
 *
 *   export const handler = onEvents(on(SeminarUpdated, async (d) => …), on(SeminarCancelled, async (d) => …));
 *
 * For each invocation it
 * - picks the handler by the event's detail-type (one the function does not handle is logged and
 *   skipped: its rules should not deliver it; test/unit/entries.test.ts holds them to the wiring);
 * - parses the detail with the catalog's schema (events/) and hands the handler the typed detail; a
 *   detail that does not parse throws, so the event is retried and then dead-lettered;
 * - runs it in the invocation's log context (shared/log.ts): function, request id, the event's id as
 *   correlation id, its detail-type;
 * - continues a fan-out longer than a Lambda may run (10,000 registrants at a low SES send rate): the
 *   handler passes `ctx.stopAt` to the fan-out, which stops starting emails shortly before the time runs
 *   out and answers `complete: false`; the layer then puts the event on the bus again with
 *   `continuation` + 1, and the next invocation goes on where the ledger says it stopped (everyone
 *   already sent costs one conditional write, nobody gets anything twice).
 */
import type { Context, EventBridgeEvent, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DetailOf, EventDefinition } from '../../events/index.js';
import { lambdaLogKeys, logger, withLogContext } from '../log.js';
import { publish } from './publisher.js';

export type BusEvent = EventBridgeEvent<string, unknown>;

export const MAX_CONTINUATIONS = 1000;

export interface EventContext {
  /** The event's id: a redelivery of the same event carries the same one. */
  readonly eventId: string;
  /** When a fan-out stops starting emails (`stopAtFor`); undefined outside a Lambda invocation. */
  readonly stopAt: number | undefined;
}

/** One event and what handles it. */
export interface Handles<E extends EventDefinition, R> {
  readonly event: E;
  handle(detail: DetailOf<E>, ctx: EventContext): Promise<R>;
}

/** The Lambda handler, with the events it handles (for the check against the wiring). */
export type EventFunction<R> = {
  (event: BusEvent, context?: Context): Promise<R>;
  /** A batch of bus events from the function's queue: which of them failed. */
  (event: SQSEvent, context?: Context): Promise<SQSBatchResponse>;
} & { readonly handles: readonly EventDefinition[] };

type ResultOf<H> = H extends Handles<EventDefinition, infer R> ? R : never;

/** What the layer answers for a detail-type the function does not handle. */
export const UNHANDLED = { skipped: 'unknown event' } as const;

export function on<E extends EventDefinition, R>(event: E, handle: (detail: DetailOf<E>, ctx: EventContext) => Promise<R>): Handles<E, R> {
  return { event, handle };
}

export function onEvent<E extends EventDefinition, R>(event: E, handle: (detail: DetailOf<E>, ctx: EventContext) => Promise<R>): EventFunction<R | typeof UNHANDLED> {
  return onEvents(on(event, handle));
}

export function onEvents<H extends Handles<EventDefinition, unknown>[]>(...handlers: H): EventFunction<ResultOf<H[number]> | typeof UNHANDLED> {
  const byType = new Map(handlers.map((h) => [h.event.detailType, h]));
  if (byType.size !== handlers.length) throw new Error('onEvents: one handler per detail-type');
  const run = async (event: BusEvent, context?: Context) => {
    const h = byType.get(event['detail-type']);
    if (!h) {
      logger.warn('An event this function does not handle', { detailType: event['detail-type'] });
      return UNHANDLED;
    }
    const detail = h.event.schema.parse(event.detail) as { continuation?: number };
    const ctx: EventContext = {
      eventId: event.id,
      get stopAt() {
        return stopAtFor(context);
      },
    };
    const result = await h.handle(detail, ctx);
    await continueIfUnfinished(h.event, detail, result);
    return result as ResultOf<H[number]>;
  };
  const one = (event: BusEvent, context?: Context) =>
    withLogContext({ ...lambdaLogKeys(context), correlation_id: event.id, detail_type: event['detail-type'] }, () => run(event, context));
  // A batch from the function's queue (`queue` in the wiring): each record's body is an EventBridge event,
  // handled at once beside the others; the records that failed are reported, so only they come back.
  const handler = async (event: BusEvent | SQSEvent, context?: Context) => {
    if (!isQueueBatch(event)) return one(event, context);
    const failures: SQSBatchItemFailure[] = [];
    await Promise.all(
      event.Records.map(async (record) => {
        try {
          await one(JSON.parse(record.body) as BusEvent, context);
        } catch (err) {
          logger.warn('An event of the batch failed; it comes back from the queue', { messageId: record.messageId, error: (err as Error)?.message });
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    );
    return { batchItemFailures: failures } satisfies SQSBatchResponse;
  };
  return Object.assign(handler, { handles: handlers.map((h) => h.event) }) as EventFunction<ResultOf<H[number]> | typeof UNHANDLED>;
}

function isQueueBatch(event: BusEvent | SQSEvent): event is SQSEvent {
  return Array.isArray((event as SQSEvent).Records) && (event as SQSEvent).Records.every((r) => r.eventSource === 'aws:sqs');
}

/** When to stop starting emails: a minute (or a quarter of the time left, if less) before the timeout. */
export function stopAtFor(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): number | undefined {
  const left = context?.getRemainingTimeInMillis?.();
  if (left === undefined || !Number.isFinite(left)) return undefined;
  return Date.now() + left - Math.min(60_000, left / 4);
}

/** Puts the event on the bus again when the handler's fan-out did not finish (`complete: false`). */
async function continueIfUnfinished(event: EventDefinition, detail: { continuation?: number }, result: unknown): Promise<void> {
  const r = result as { complete?: boolean; sent?: number } | undefined;
  if (r?.complete !== false) return;
  const continuation = (detail.continuation ?? 0) + 1;
  if (continuation > MAX_CONTINUATIONS) throw new Error(`${event.detailType}: still not finished after ${MAX_CONTINUATIONS} continuations`);
  await publish({ event, detail: { ...detail, continuation } });
  logger.info('Fan-out continues in a new invocation', { detailType: event.detailType, continuation, sent: r.sent });
}
