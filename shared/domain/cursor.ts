/**
 * Opaque page cursors for lists ordered by a time and then an id (the audit log, a seminar's
 * registrants): the place of the last entry given, `<ISO time>#<id>` in base64url. The key compares as
 * a string in the list's order (ISO times of one format sort as text), so a page is what comes after it.
 */
export const timeIdCursor = (at: string, id: string): string => Buffer.from(timeIdKey(at, id), 'utf8').toString('base64url');

/** The sort key a list orders by: time, then id. */
export const timeIdKey = (at: string, id: string): string => `${at}#${id}`;

/** The key a cursor holds, or undefined for anything we did not hand out. */
export function timeIdCursorKey(cursor: string): string | undefined {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^\d{4}-\d{2}-\d{2}T[^#]+#[\w-]+$/.test(key) ? key : undefined;
}

/**
 * One page of a list in (time, id) order: up to `limit` entries after the cursor's key, and `next`
 * (the last one's cursor) while more follow.
 */
export function pageAfter<T>(list: readonly T[], placeOf: (t: T) => { at: string; id: string }, limit: number, after?: string): { items: T[]; next?: string } {
  const keyed = list.map((t) => ({ t, key: timeIdKey(placeOf(t).at, placeOf(t).id) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = after === undefined ? keyed : keyed.filter((k) => k.key > after);
  const items = rest.slice(0, limit).map((k) => k.t);
  if (rest.length <= limit) return { items };
  const last = placeOf(items[items.length - 1]);
  return { items, next: timeIdCursor(last.at, last.id) };
}

/**
 * A page cursor of the delivery log: the place of the last entry given, `<kind>#<recipient>` (the order
 * the page lists them in) in base64url; undefined for anything that is not one.
 */
export const deliveryCursor = (kind: string, recipient: string): string => Buffer.from(`${kind}#${recipient}`, 'utf8').toString('base64url');
export function deliveryCursorKey(cursor: string): string | undefined {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^\S+#\S+$/.test(key) ? key : undefined;
}
