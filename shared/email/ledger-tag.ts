/**
 * Every email carries its ledger key as an SES message tag, so that SES's own events about it
 * (`Email Sent`) can find its ledger entry. Tag values allow only [A-Za-z0-9_-], hence base64url of
 * `[subject, kind]`; the recipient is the event's destination. No SDK imports: the event handler that
 * reads it stays small.
 */
export const LEDGER_TAG = 'ledger';
export function ledgerTagValue(subject: string, kind: string): string | undefined {
  const v = Buffer.from(JSON.stringify([subject, kind]), 'utf8').toString('base64url');
  return v.length <= 256 ? v : undefined;
}
export function parseLedgerTag(value: string | undefined): { subject: string; kind: string } | undefined {
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { subject: parsed[0], kind: parsed[1] };
    }
  } catch {
    // not ours
  }
  return undefined;
}

