/**
 * The registrant export's format (`GET /admin/seminars/{id}/registrations` as CSV): which separator the
 * client asked for, and each row's times in Oslo time with the offset (`2026-12-04T12:00:00+01:00`), as
 * Norwegian Excel opens them. The columns are REGISTRANT_COLUMNS (admin-inputs.ts); the cells are written
 * by shared/csv.ts (UTF-8 with BOM, CRLF, formula injection defused).
 */
import { toOsloIso } from './time.js';

export type CsvDelimiter = ',' | ';';

/** Names of the separator in `?sep=` and in the `delimiter` parameter of `Accept: text/csv`. */
const DELIMITERS: Record<string, CsvDelimiter> = { comma: ',', ',': ',', semicolon: ';', ';': ';' };
export const DELIMITER_NAMES = ['comma', 'semicolon'] as const;

export type DelimiterChoice = { ok: true; delimiter: CsvDelimiter } | { ok: false; field: string; message: string };

/** The `delimiter` parameter of the `text/csv` media range in an Accept header, if any. */
function acceptDelimiter(accept: string): string | undefined {
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'text/csv') continue;
    for (const p of params) {
      const [k, v] = p.split('=').map((x) => x.trim().replace(/^"|"$/g, ''));
      if (k === 'delimiter') return v;
    }
  }
  return undefined;
}

/** `?sep=` wins over the Accept header's `delimiter`; neither: a comma. An unknown name is refused. */
export function exportDelimiter(accept: string, sep: string | undefined): DelimiterChoice {
  const [field, value] = sep !== undefined ? ['sep', sep.trim().toLowerCase()] : ['accept', acceptDelimiter(accept)];
  if (value === undefined) return { ok: true, delimiter: ',' };
  const delimiter = DELIMITERS[value];
  return delimiter ? { ok: true, delimiter } : { ok: false, field, message: `the separator is one of ${DELIMITER_NAMES.join(', ')}` };
}

/** Whether an Accept header (or `?format=csv`) asks for the CSV export. */
export const wantsCsv = (accept: string, format: string | undefined): boolean => /(^|,)\s*text\/csv\b/i.test(accept) || format === 'csv';

/** Columns holding times, shown in Oslo time with the offset. */
export const TIME_COLUMNS = ['submittedAt', 'confirmedAt', 'cancelledAt'] as const;

/** A row of the export: the registration's fields, its times in Oslo time. */
export function registrantRow(r: object): Record<string, unknown> {
  const row = { ...(r as Record<string, unknown>) };
  for (const c of TIME_COLUMNS) if (typeof row[c] === 'string' && row[c] !== '') row[c] = toOsloIso(row[c] as string);
  return row;
}
