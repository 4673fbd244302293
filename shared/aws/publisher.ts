/**
 * The one publisher: validates each detail against the catalog, sends in chunks of 10 and re-sends the
 * entries PutEvents reports as failed (with backoff), so nothing is lost silently.
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type * as z from 'zod/mini';
import type { EventDefinition } from '../../events/define.js';
import { eventBridgeClient } from './clients.js';
import { config } from '../config.js';

export interface Outgoing<E extends EventDefinition = EventDefinition> {
  event: E;
  detail: z.input<E['schema']>;
  resources?: string[];
}

export class PublishError extends Error {
  constructor(message: string, readonly failed: Array<{ detailType: string; code?: string; message?: string }>) {
    super(message);
    this.name = 'PublishError';
  }
}

const MAX_ATTEMPTS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Publishes events; returns their event ids in input order. */
export async function publish(...items: Outgoing[]): Promise<string[]> {
  const busName = config().busName;
  const entries: PutEventsRequestEntry[] = items.map(({ event, detail, resources }) => {
    const parsed = event.schema.parse(detail);
    return {
      EventBusName: busName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(parsed),
      Resources: resources,
    };
  });
  const ids: string[] = new Array(entries.length);
  for (let start = 0; start < entries.length; start += 10) {
    await sendChunk(entries.slice(start, start + 10), start, ids);
  }
  return ids;
}

async function sendChunk(chunk: PutEventsRequestEntry[], offset: number, ids: string[]): Promise<void> {
  let pending = chunk.map((entry, i) => ({ entry, index: offset + i }));
  for (let attempt = 1; pending.length > 0; attempt++) {
    const out = await eventBridgeClient().send(new PutEventsCommand({ Entries: pending.map((p) => p.entry) }));
    const failed: typeof pending = [];
    const reasons: PublishError['failed'] = [];
    (out.Entries ?? []).forEach((result, i) => {
      const p = pending[i];
      if (result.EventId && !result.ErrorCode) ids[p.index] = result.EventId;
      else {
        failed.push(p);
        reasons.push({ detailType: p.entry.DetailType ?? '', code: result.ErrorCode, message: result.ErrorMessage });
      }
    });
    if (failed.length === 0) return;
    if (attempt >= MAX_ATTEMPTS) throw new PublishError(`${failed.length} event(s) could not be published`, reasons);
    pending = failed;
    await sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}
