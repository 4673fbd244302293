/**
 * Which audit entries an admin asked for (`GET /admin/audit`): by who did it (the JWT subject), by
 * action (a route key such as `PATCH /admin/seminars/{seminarId}`, or its start, e.g. `PATCH` or
 * `POST /admin/seminars`), and where a page ends (the cursor: the sort key of the last entry given).
 */
import { timeIdCursor, timeIdCursorKey } from './cursor.js';

export interface AuditFilter {
  actor?: string;
  action?: string;
}

export function auditMatches(e: { who: string; action: string }, f: AuditFilter): boolean {
  if (f.actor !== undefined && e.who !== f.actor) return false;
  if (f.action !== undefined && !(e.action === f.action || e.action.startsWith(`${f.action} `) || e.action.startsWith(`${f.action}/`))) return false;
  return true;
}

/** An entry's place in the log (its sort key: time, then id), as an opaque cursor and back (shared/domain/cursor.ts). */
export const auditCursor = (e: { at: string; id: string }): string => timeIdCursor(e.at, e.id);

export const auditCursorKey = timeIdCursorKey;
