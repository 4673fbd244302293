/** Admin routes for operations: the delivery log, putting any catalogued event on the bus, the audit log. */
import * as z from 'zod/mini';
import { findEvent, catalog } from '../../events/index.js';
import { listEntries, isSuppressed } from '../store/ledger.js';
import { listAudit } from '../store/audit.js';
import { publish } from '../aws/publisher.js';
import { json, badRequest, validationProblem } from '../http/responses.js';
import { fieldErrors } from '../http/responses.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { now } from '../clock.js';
import { Id } from '../domain/primitives.js';

export async function deliveriesRoute(ctx: RouteContext): Promise<HttpResult> {
  const q = z.object({ subject: Id }).safeParse(ctx.query);
  if (!q.success) throw validationProblem(q.error, 'query');
  const entries = await listEntries(q.data.subject);
  const recipients = [...new Set(entries.map((e) => e.recipient))];
  const suppressed = new Set<string>();
  for (const r of recipients) if (await isSuppressed(r)) suppressed.add(r);
  const summary = entries.reduce<Record<string, Record<string, number>>>((acc, e) => {
    acc[e.kind] ??= {};
    acc[e.kind][e.status] = (acc[e.kind][e.status] ?? 0) + 1;
    return acc;
  }, {});
  return json(200, {
    subject: q.data.subject,
    summary,
    items: entries.map((e) => ({ ...e, suppressed: suppressed.has(e.recipient) })),
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
  const q = z
    .object({ since: z.optional(z.iso.datetime({ offset: true })), limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 200) })
    .safeParse(ctx.query);
  if (!q.success) throw validationProblem(q.error, 'query');
  const until = now().toISOString();
  const since = q.data.since ? new Date(q.data.since).toISOString() : new Date(Date.parse(until) - 90 * 86400_000).toISOString();
  return json(200, { since, items: await listAudit(since, until, q.data.limit) });
}
