/**
 * The typed event-handler layer (shared/aws/on-event.ts): the handler by detail-type, the detail parsed
 * with the catalog's schema, the invocation's log context, batches from a function's queue, and when a
 * sender stops starting emails.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { SeminarCancelled, SeminarScheduled, SeminarUpdated } from '../../events/index.js';
import { logger } from '../../shared/log.js';

const { UNHANDLED, on, onEvent, onEvents, stopAtFor } = await import('../../shared/aws/on-event.js');

const START = '2030-03-01T10:00:00.000Z';
const event = (detailType: string, detail: unknown, id = 'ev-1') => ({ id, 'detail-type': detailType, source: 's', detail }) as never;
const lambda = (requestId: string, leftMs = 900_000) =>
  ({ functionName: 'fn', awsRequestId: requestId, getRemainingTimeInMillis: () => leftMs }) as unknown as Context;

/** The JSON lines the logger writes while `fn` runs. */
async function logged(fn: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const capture = ((chunk: unknown) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await fn();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.map((l) => JSON.parse(l));
}

describe('onEvent / onEvents', () => {
  it('hands each handler its parsed detail, picked by detail-type, and answers what the handler answers', async () => {
    const handler = onEvents(
      on(SeminarUpdated, async (d) => ({ updated: d.seminarId, fields: d.changedFields })),
      on(SeminarCancelled, async (d) => ({ cancelled: d.seminarId, reason: d.reason })),
    );
    expect(handler.handles).toEqual([SeminarUpdated, SeminarCancelled]);
    const updated = { version: 1, seminarId: 's1', start: START, previousStart: START, changedFields: ['title'] };
    expect(await handler(event('SeminarUpdated', updated))).toEqual({ updated: 's1', fields: ['title'] });
    expect(await handler(event('SeminarCancelled', { version: 1, seminarId: 's2', reason: 'ill' }))).toEqual({ cancelled: 's2', reason: 'ill' });
  });

  it('throws on a detail its schema refuses (the event is retried, then dead-lettered), without calling the handler', async () => {
    const seen = vi.fn(async () => 'ran');
    const handler = onEvent(SeminarScheduled, seen);
    await expect(handler(event('SeminarScheduled', { version: 2, seminarId: 's1', start: START }))).rejects.toThrow();
    await expect(handler(event('SeminarScheduled', { version: 1, seminarId: 'not an id!', start: START }))).rejects.toThrow();
    expect(seen).not.toHaveBeenCalled();
  });

  it('skips, with a warning, a detail-type it does not handle', async () => {
    const seen = vi.fn(async () => 'ran');
    const handler = onEvent(SeminarScheduled, seen);
    const lines = await logged(async () => expect(await handler(event('SeminarCancelled', { version: 1, seminarId: 's1' }))).toEqual(UNHANDLED));
    expect(seen).not.toHaveBeenCalled();
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', message: 'An event this function does not handle', detailType: 'SeminarCancelled' })]);
  });

  it('refuses two handlers for one detail-type', () => {
    expect(() => onEvents(on(SeminarScheduled, async () => 1), on(SeminarScheduled, async () => 2))).toThrow(/one handler per detail-type/);
  });

  it('logs every line of an invocation with its function, request id, event id and detail-type; concurrent invocations keep theirs', async () => {
    const handler = onEvent(SeminarScheduled, async (d, ctx) => {
      await new Promise((r) => setTimeout(r, d.seminarId === 'a' ? 20 : 1));
      logger.info('inside', { seminarId: d.seminarId, eventId: ctx.eventId });
    });
    const lines = await logged(async () => {
      await Promise.all([
        handler(event('SeminarScheduled', { version: 1, seminarId: 'a', start: START }, 'ev-a'), lambda('req-a')),
        handler(event('SeminarScheduled', { version: 1, seminarId: 'b', start: START }, 'ev-b'), lambda('req-b')),
      ]);
      logger.info('outside');
    });
    const byId = Object.fromEntries(lines.filter((l) => l.message === 'inside').map((l) => [l.seminarId, l]));
    expect(byId.a).toMatchObject({ function_name: 'fn', function_request_id: 'req-a', correlation_id: 'ev-a', detail_type: 'SeminarScheduled', eventId: 'ev-a' });
    expect(byId.b).toMatchObject({ function_request_id: 'req-b', correlation_id: 'ev-b', eventId: 'ev-b' });
    const outside = lines.find((l) => l.message === 'outside')!;
    expect(Object.keys(outside)).not.toContain('correlation_id');
  });

  it('tells a sender when to stop starting emails: a minute before the timeout, or a quarter of the time left when that is less', () => {
    const t = Date.now();
    const long = stopAtFor(lambda('r', 900_000))!;
    expect(long - t).toBeGreaterThanOrEqual(840_000 - 5);
    expect(long - t).toBeLessThanOrEqual(840_000 + 50);
    const short = stopAtFor(lambda('r', 20_000))!;
    expect(short - t).toBeGreaterThanOrEqual(15_000 - 5);
    expect(short - t).toBeLessThanOrEqual(15_000 + 50);
    expect(stopAtFor(undefined)).toBeUndefined();
  });
});

describe('a batch from the function’s queue', () => {
  const record = (messageId: string, body: unknown) => ({ messageId, receiptHandle: `rh-${messageId}`, body: JSON.stringify(body), eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-north-1:000000000000:q', awsRegion: 'eu-north-1', attributes: {}, messageAttributes: {}, md5OfBody: '' });

  it('handles each record’s bus event and reports exactly the records that failed', async () => {
    const seen: string[] = [];
    const handler = onEvent(SeminarCancelled, async (d) => {
      if (d.seminarId === 'bad') throw new Error('boom');
      seen.push(d.seminarId);
      return { ok: true };
    });
    const batch = {
      Records: [
        record('m1', event(SeminarCancelled.detailType, { version: 1, seminarId: 's1', reason: 'r' }, 'e1')),
        record('m2', event(SeminarCancelled.detailType, { version: 1, seminarId: 'bad', reason: 'r' }, 'e2')),
        record('m3', event(SeminarCancelled.detailType, { version: 1, nope: true }, 'e3')),
        record('m4', event(SeminarCancelled.detailType, { version: 1, seminarId: 's4', reason: 'r' }, 'e4')),
      ],
    };
    let result: { batchItemFailures: Array<{ itemIdentifier: string }> } | undefined;
    const out = await logged(async () => (result = (await handler(batch as never, lambda('req-b'))) as unknown as typeof result));
    expect(result!.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m2', 'm3']);
    expect(seen.sort()).toEqual(['s1', 's4']);
    // Each failure is logged with the record it was; the rest of the batch is not held up by them.
    expect(out.filter((l) => l.messageId).map((l) => l.messageId).sort()).toEqual(['m2', 'm3']);
  });

  it('an empty batch fails nothing; a plain bus event still goes straight to its handler', async () => {
    const handler = onEvent(SeminarCancelled, async (d) => ({ id: d.seminarId }));
    expect(await handler({ Records: [] } as never)).toEqual({ batchItemFailures: [] });
    expect(await handler(event(SeminarCancelled.detailType, { version: 1, seminarId: 's9', reason: 'r' }))).toEqual({ id: 's9' });
  });
});
