/** The audit log: every admin action with who (JWT subject), what, when. Partitioned by month. */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { newId } from '../ids.js';

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

/** Newest first, for the months from `since` (ISO) up to now. */
export async function listAudit(sinceIso: string, untilIso: string, limit = 500): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  const months: string[] = [];
  const d = new Date(`${untilIso.slice(0, 7)}-01T00:00:00Z`);
  const stop = `${sinceIso.slice(0, 7)}`;
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
          ExpressionAttributeValues: { ':pk': `AUDIT#${m}`, ':from': sinceIso, ':to': `${untilIso}~` },
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const i of page.Items ?? []) {
        const { pk: _p, sk: _s, ...rest } = i;
        out.push(rest as AuditEntry);
        if (out.length >= limit) return out;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return out;
}
