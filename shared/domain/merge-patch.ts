/**
 * JSON Merge Patch (RFC 7396) for the admin PATCH routes: a member absent from the patch is left as it
 * is, `null` removes it, an object merges into the object it replaces, anything else (arrays included)
 * replaces the value. The routes merge the patch into a record's editable fields and validate the result
 * exactly as a full PUT body, so a patch is never checked by rules of its own.
 */

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a member as an own property (also one named `__proto__`, which plain assignment would not). */
function put(into: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
}

/** RFC 7396 MergePatch(target, patch). Neither argument is changed. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const out: JsonObject = {};
  if (isJsonObject(target)) for (const [k, v] of Object.entries(target)) put(out, k, v);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else put(out, k, mergePatch(out[k], v));
  }
  return out;
}

/** The record's members named in `keys` (its editable fields, the base a patch is merged into). */
export function pickFields(record: object, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) {
    const v = (record as JsonObject)[k];
    if (v !== undefined) put(out, k, v);
  }
  return out;
}

export type PatchResult = { ok: true; merged: JsonObject; touched: string[]; removed: string[] } | { ok: false; message: string };

/**
 * A patch body merged into `base`: refused unless it is a JSON object (the admin records are objects,
 * and a non-object patch would replace the whole record). `touched` lists the top-level members it names,
 * `removed` those of `base` it removes (set to `null`), which the stored record must lose as well.
 */
export function applyPatch(base: JsonObject, patch: unknown): PatchResult {
  if (!isJsonObject(patch)) return { ok: false, message: 'a JSON object with the fields to change (application/merge-patch+json)' };
  const merged = mergePatch(base, patch) as JsonObject;
  return { ok: true, merged, touched: Object.keys(patch), removed: Object.keys(base).filter((k) => !Object.hasOwn(merged, k)) };
}

/** A copy of `record` without the members named in `keys`. */
export function withoutFields<T extends object>(record: T, keys: readonly string[]): T {
  const out = { ...record } as JsonObject;
  for (const k of keys) delete out[k];
  return out as T;
}
