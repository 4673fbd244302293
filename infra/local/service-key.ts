/**
 * How the local AWS services (SES, when it runs as its own process) deliver their events to the local
 * bus. On AWS, only AWS services put events with an `aws.*` source (EventBridge answers anyone else
 * NotAuthorizedForSourceException): SES delivers through its configuration set's event destination, as a
 * service principal, not as a caller of PutEvents. Locally, the AWS endpoint takes `aws.*` sources only
 * from a request carrying the service key, a random key in `<dataDir>/service-key` (mode 0600) that only
 * the local cloud and the local SES read. The in-process SES puts its events on the bus directly.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SERVICE_KEY_HEADER = 'x-local-aws-service-key';

/** The service key of the local cloud whose data is in `dataDir`: created by whichever process needs it first. */
export function localServiceKey(dataDir: string): string {
  const file = join(dataDir, 'service-key');
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) {
    // Written whole, then linked into place (fails if another process got there first): never read half-written.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, randomBytes(32).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** Whether a request's header value is the service key. */
export function isServiceKey(given: string | string[] | undefined, key: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}
