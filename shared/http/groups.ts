/**
 * The `cognito:groups` claim as the HTTP API's JWT authorizer hands it to Lambda: an array claim arrives
 * flattened to the string `"[a b]"` (names separated by spaces inside brackets). Cognito group names may
 * contain commas but no spaces, so the string is split on spaces only: `"[readers,admins]"` is the one
 * group `readers,admins`, never `admins`. A real array (a caller that passes claims unflattened) is taken
 * element by element, as is.
 */
export function groupsOfClaim(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const inner = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return inner.split(' ').filter(Boolean);
}
