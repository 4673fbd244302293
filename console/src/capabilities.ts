/** What the served API offers (read once from GET /openapi.json), so the console uses PATCH where it exists. */
import { cfg } from './config.js';

let doc: Promise<{ paths?: Record<string, Record<string, unknown>> }> | undefined;

export async function hasPatch(path: string): Promise<boolean> {
  doc ??= fetch(`${cfg().apiBaseUrl || location.origin}/openapi.json`).then((r) => (r.ok ? r.json() : {}), () => ({}));
  return Boolean((await doc).paths?.[path]?.patch);
}
