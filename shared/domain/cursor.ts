/**
 * Opaque page cursors: the place of the last entry given, its sort key in base64url. A list is ordered by
 * a key that compares as a string in the list's order, so a page is what comes after the cursor's key.
 * - by time, then id (the audit log, a seminar's registrants): `<ISO time>#<id>` (ISO times of one format
 *   sort as text);
 * - the delivery log: `<kind>#<recipient>`.
 */
const encode = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
/** The key a cursor holds when it has the list's form, else undefined (anything we did not hand out). */
const decode = (cursor: string, form: RegExp): string | undefined => {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return form.test(key) ? key : undefined;
};

/** The sort key a list orders by: time, then id. */
export const timeIdKey = (at: string, id: string): string => `${at}#${id}`;
export const timeIdCursor = (at: string, id: string): string => encode(timeIdKey(at, id));
export const timeIdCursorKey = (cursor: string): string | undefined => decode(cursor, /^\d{4}-\d{2}-\d{2}T[^#]+#[\w-]+$/);

/** The delivery log's sort key: the email's kind, then its recipient. */
export const deliveryKey = (e: { kind: string; recipient: string }): string => `${e.kind}#${e.recipient}`;
export const deliveryCursorKey = (cursor: string): string | undefined => decode(cursor, /^\S+#\S+$/);

/**
 * One page of a list in the order of `keyOf`: up to `limit` entries after the cursor's key `after`, and
 * `next` (the last one's cursor) while more follow.
 */
export function pageByKey<T>(list: readonly T[], keyOf: (t: T) => string, limit: number, after?: string): { items: T[]; next?: string } {
  const keyed = list.map((t) => ({ t, key: keyOf(t) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rest = after === undefined ? keyed : keyed.filter((k) => k.key > after);
  const page = rest.slice(0, limit);
  return rest.length <= limit ? { items: page.map((k) => k.t) } : { items: page.map((k) => k.t), next: encode(page[page.length - 1].key) };
}

/** One page of a list in (time, id) order (`pageByKey` with `timeIdKey`). */
export function pageAfter<T>(list: readonly T[], placeOf: (t: T) => { at: string; id: string }, limit: number, after?: string): { items: T[]; next?: string } {
  return pageByKey(list, (t) => timeIdKey(placeOf(t).at, placeOf(t).id), limit, after);
}
