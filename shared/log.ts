/**
 * Structured logging (Powertools). Email addresses never appear in clear: use `maskEmail` for the
 * addresses you log on purpose, and every string that reaches a log line (messages, attributes, error
 * messages and stacks) passes `redactEmails` on the way out, as a last line of defence.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHash } from 'node:crypto';

/** `ola.nordmann@dfo.no` → `o***@dfo.no#3f2a…`: enough to correlate, not enough to read. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const hash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 8);
  if (at < 1) return `***#${hash}`;
  return `${email[0]}***${email.slice(at)}#${hash}`;
}

/** An address in text, also URL-encoded (`ola%40dfo.no`, as in a logged request path). */
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Masks every email address in a text; a masked address (`o***@dfo.no#…`) is left as it is. */
export function redactEmails(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m.replace('%40', '@')));
}

export const logger = new Logger({
  serviceName: 'seminar-events',
  logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO',
  jsonReplacerFn: (_key, value) => (typeof value === 'string' ? redactEmails(value) : value),
});
