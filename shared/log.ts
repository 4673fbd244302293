/** Structured logging (Powertools). Email addresses never appear in clear: use `maskEmail`. */
import { Logger } from '@aws-lambda-powertools/logger';
import { createHash } from 'node:crypto';

export const logger = new Logger({ serviceName: 'seminar-events', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });

/** `ola.nordmann@dfo.no` → `o***@dfo.no#3f2a…`: enough to correlate, not enough to read. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const hash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 8);
  if (at < 1) return `***#${hash}`;
  return `${email[0]}***${email.slice(at)}#${hash}`;
}
