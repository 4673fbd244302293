/** The audit log: every admin action with who (JWT subject), what, when. Partitioned by month. */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { newId } from '../ids.js';
import { auditCursor, auditMatches, type AuditFilter } from '../domain/audit-query.js';

export interface AuditEntry {
  id: string;
  at: string;
  who: string;
  action: string;
  target?: Record<string, string>;
  status: number;
  eventId?: string;
}

const pk = (at: string) => `AUDIT#${at.slice(0, 7)}`;

export async function recordAudit(e: Omit<AuditEntry, 'id'>): Promise<void> {
  const id = newId(Date.parse(e.at));
  await documentClient().send(new PutCommand({ TableName: config().tableName, Item: { pk: pk(e.at), sk: `${e.at}#${id}`, id, ...e } }));
}

export interface AuditPageQuery extends AuditFilter {
  /** ISO times, both included. */
  from: string;
  to: string;
  limit: number;
  /** The sort key of the last entry of the page before (auditCursorKey): this page starts after it. */
  after?: string;
}

/**
 * Newest first, for the months from `from` up to `to`, the entries that match the filter (audit-query.ts),
 * at most `limit`; `next` is the cursor of the following page while more may match.
 */
export async function auditPage(q: AuditPageQuery): Promise<{ items: AuditEntry[]; next?: string }> {
  const out: AuditEntry[] = [];
  const upper = q.after ?? `${q.to}~`;
  const months: string[] = [];
  const d = new Date(`${upper.slice(0, 7)}-01T00:00:00Z`);
  const stop = `${q.from.slice(0, 7)}`;
  for (let i = 0; i < 36; i++) {
    const m = d.toISOString().slice(0, 7);
    months.push(m);
    if (m <= stop) break;
    d.setUTCMonth(d.getUTCMonth() - 1);
  }
  for (const m of months) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: config().tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `AUDIT#${m}`, ':from': q.from, ':to': upper },
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const i of page.Items ?? []) {
        const { pk: _p, sk, ...rest } = i;
        if (sk === q.after) continue;
        const entry = rest as AuditEntry;
        if (!auditMatches(entry, q)) continue;
        if (out.length === q.limit) return { items: out, next: auditCursor(out[out.length - 1]) };
        out.push(entry);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return { items: out };
}
