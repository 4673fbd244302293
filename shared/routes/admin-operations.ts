/** Admin routes for operations: the delivery log, putting any catalogued event on the bus, the audit log. */
import * as z from 'zod/mini';
import { findEvent, catalog } from '../../events/index.js';
import { listEntries, suppressedMany } from '../store/ledger.js';
import { auditPage } from '../store/audit.js';
import { auditCursorKey } from '../domain/audit-query.js';
import { publish } from '../aws/publisher.js';
import { json, badRequest, validationProblem } from '../http/responses.js';
import { fieldErrors } from '../http/responses.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { now } from '../clock.js';
import { Id } from '../domain/primitives.js';
import { DELIVERIES_PAGE } from '../domain/admin-inputs.js';
import { deliveryCursorKey, deliveryKey, pageByKey } from '../domain/cursor.js';

const DeliveriesQuery = z.object({
  subject: Id,
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(DELIVERIES_PAGE.max))),
  cursor: z.optional(z.string().check(z.refine((c) => deliveryCursorKey(c) !== undefined, 'not a cursor this list handed out'))),
});

/**
 * The delivery log of a seminar or deadline: the `summary` (per kind, per status) and `total` of the whole
 * log, and one page of its entries (by kind, then address: `limit`, `cursor` the `next` of the page
 * before), each saying whether its address is suppressed now. Paged, so the answer stays within what
 * one HTTP answer may carry however large the audience (Lambda's 6 MB).
 */
export async function deliveriesRoute(ctx: RouteContext): Promise<HttpResult> {
  const q = DeliveriesQuery.safeParse(ctx.query);
  if (!q.success) throw validationProblem(q.error, 'query');
  const entries = await listEntries(q.data.subject);
  const summary = entries.reduce<Record<string, Record<string, number>>>((acc, e) => {
    acc[e.kind] ??= {};
    acc[e.kind][e.status] = (acc[e.kind][e.status] ?? 0) + 1;
    return acc;
  }, {});
  const after = q.data.cursor === undefined ? undefined : deliveryCursorKey(q.data.cursor);
  const page = pageByKey(entries, deliveryKey, q.data.limit ?? DELIVERIES_PAGE.default, after);
  // The page's addresses only, one BatchGetItem per 100.
  const recipients = [...new Set(page.items.map((e) => e.recipient))];
  const flags = await suppressedMany(recipients);
  const suppressed = new Set(recipients.filter((_, i) => flags[i]));
  return json(200, {
    subject: q.data.subject,
    summary,
    total: entries.length,
    items: page.items.map((e) => ({ ...e, suppressed: suppressed.has(e.recipient) })),
    ...(page.next ? { next: page.next } : {}),
  });
}

const EventBody = z.object({ detailType: z.string().check(z.minLength(1)), detail: z.unknown() });

export async function putEventRoute(ctx: RouteContext): Promise<HttpResult> {
  const body = EventBody.safeParse(ctx.body);
  if (!body.success) throw validationProblem(body.error);
  const def = findEvent(body.data.detailType);
  if (!def) {
    throw badRequest(`Unknown detailType ${body.data.detailType}`, [
      { field: 'detailType', message: `must be one of: ${Object.values(catalog).filter((e) => e.ours).map((e) => e.detailType).join(', ')}` },
    ]);
  }
  if (!def.ours) {
    // EventBridge refuses PutEvents for AWS sources (`aws.*`): only AWS itself publishes these.
    throw badRequest(`${def.detailType} is published by AWS (${def.source}), not through this API`, [
      { field: 'detailType', message: `an event of ours; ${def.source} events come from AWS only` },
    ]);
  }
  const detail = def.schema.safeParse(body.data.detail);
  if (!detail.success) throw badRequest(`The detail is not a valid ${def.detailType}`, fieldErrors(detail.error, 'detail'));
  const [eventId] = await publish({ event: def, detail: detail.data });
  return json(202, { eventId, detailType: def.detailType, source: def.source });
}

export async function auditRoute(ctx: RouteContext): Promise<HttpResult> {
  const time = z.optional(z.iso.datetime({ offset: true }));
  const q = z
    .object({
      from: time,
      since: time,
      to: time,
      actor: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
      action: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
      cursor: z.optional(z.string().check(z.refine((c) => auditCursorKey(c) !== undefined, 'the next of the page before'))),
      limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 200),
    })
    .safeParse(ctx.query);
  if (!q.success) throw validationProblem(q.error, 'query');
  const to = q.data.to ? new Date(q.data.to).toISOString() : now().toISOString();
  const fromGiven = q.data.from ?? q.data.since;
  const from = fromGiven ? new Date(fromGiven).toISOString() : new Date(Date.parse(to) - 90 * 86400_000).toISOString();
  if (from > to) throw badRequest('from is after to', [{ field: 'from', message: 'must not be after to' }]);
  const page = await auditPage({ from, to, limit: q.data.limit, actor: q.data.actor, action: q.data.action, after: q.data.cursor ? auditCursorKey(q.data.cursor) : undefined });
  return json(200, { from, to, since: from, ...page });
}
