/**
 * Small HTML helpers shared by the emails and the public pages.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. `null`/`undefined` become ''. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * A URL that is safe to put in `href`: http(s), mailto or tel only, escaped for an attribute.
 * Anything else (javascript:, data:, relative or unparsable) gives `undefined`.
 */
export function safeHref(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'mailto:', 'tel:'].includes(parsed.protocol)) return undefined;
  return escapeHtml(url.trim());
}
