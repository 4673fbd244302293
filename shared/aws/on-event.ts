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
 *   correlation id, its detail-type.
 *
 * A fan-out never sends here: it puts its notice on the send queue (shared/notices/send-queue.ts), so no
 * handler runs longer than reading its list takes.
 */
import type { Context, EventBridgeEvent, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DetailOf, EventDefinition } from '../../events/index.js';
import { lambdaLogKeys, logger, withLogContext } from '../log.js';

export type BusEvent = EventBridgeEvent<string, unknown>;

export interface EventContext {
  /** The event's id: a redelivery of the same event carries the same one. */
  readonly eventId: string;
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
  const run = async (event: BusEvent) => {
    const h = byType.get(event['detail-type']);
    if (!h) {
      logger.warn('An event this function does not handle', { detailType: event['detail-type'] });
      return UNHANDLED;
    }
    const detail = h.event.schema.parse(event.detail);
    const result = await h.handle(detail, { eventId: event.id });
    return result as ResultOf<H[number]>;
  };
  const one = (event: BusEvent, context?: Context) =>
    withLogContext({ ...lambdaLogKeys(context), correlation_id: event.id, detail_type: event['detail-type'] }, () => run(event));
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

/** When a sender stops starting emails: a minute (or a quarter of the time left, if less) before the timeout. */
export function stopAtFor(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined): number | undefined {
  const left = context?.getRemainingTimeInMillis?.();
  if (left === undefined || !Number.isFinite(left)) return undefined;
  return Date.now() + left - Math.min(60_000, left / 4);
}
