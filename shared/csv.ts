/**
 * CSV for Excel: UTF-8 with BOM (so æøå open right), CRLF, quoted where needed, formula injection defused;
 * separated by `delimiter` (`;` for Norwegian Excel, which takes the comma as the decimal sign).
 */
export function toCsv(columns: string[], rows: Array<Record<string, unknown>>, delimiter: ',' | ';' = ','): string {
  const cell = (v: unknown) => {
    let s = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n;]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + [columns.map(cell).join(delimiter), ...rows.map((r) => columns.map((c) => cell(r[c])).join(delimiter))].join('\r\n') + '\r\n';
}
