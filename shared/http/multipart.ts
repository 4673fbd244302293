/**
 * The text fields of a `multipart/form-data` body (RFC 7578). Mail clients send the RFC 8058 one-click
 * unsubscribe (`List-Unsubscribe=One-Click`) this way or as a urlencoded form; files are ignored.
 */
export function multipartBoundary(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipartFields(raw: string, boundary: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of raw.split(`--${boundary}`)) {
    const sep = part.indexOf('\r\n\r\n') >= 0 ? '\r\n\r\n' : '\n\n';
    const at = part.indexOf(sep);
    if (at < 0) continue;
    const head = part.slice(0, at);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head);
    if (!disposition || /filename\*?=/i.test(disposition[1])) continue;
    const name = /\bname="([^"]*)"/i.exec(disposition[1])?.[1];
    if (!name) continue;
    fields[name] = part.slice(at + sep.length).replace(/\r?\n$/, '');
  }
  return fields;
}
