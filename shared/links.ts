/** Links in emails and pages, with signed tokens that carry their purpose (and expire where it makes sense). */
import { signToken, type TokenPurpose } from './domain/tokens.js';
import { tokenSecret } from './aws/secret.js';
import { config } from './config.js';
import { nowMs } from './clock.js';
import type { Lang } from './domain/primitives.js';

const DAY = 86400;

/** Confirm links expire after 7 days; cancel and unsubscribe links last as long as the data does. */
const lifetime: Record<TokenPurpose, number | undefined> = {
  'confirm-registration': 7 * DAY,
  'confirm-subscription': 7 * DAY,
  'cancel-registration': undefined,
  'stop-seminar-emails': undefined,
  unsubscribe: undefined,
};

const paths: Record<TokenPurpose, string> = {
  'confirm-registration': '/registrations/confirm',
  'cancel-registration': '/registrations/cancel',
  'stop-seminar-emails': '/registrations/stop-emails',
  'confirm-subscription': '/subscriptions/confirm',
  unsubscribe: '/unsubscribe',
};

export async function tokenFor(purpose: TokenPurpose, sub: string): Promise<string> {
  const ttl = lifetime[purpose];
  return signToken(await tokenSecret(), { purpose, sub, ...(ttl ? { exp: Math.floor(nowMs() / 1000) + ttl } : {}) });
}

export async function linkFor(purpose: TokenPurpose, sub: string, lang?: Lang): Promise<string> {
  const token = await tokenFor(purpose, sub);
  return `${config().publicBaseUrl}${paths[purpose]}?token=${encodeURIComponent(token)}${lang === 'en' ? '&lang=en' : ''}`;
}

/** A registration is named in tokens as `<seminarId>.<registrationId>` (no email address in links). */
export const registrationSub = (seminarId: string, registrationId: string) => `${seminarId}.${registrationId}`;
export function parseRegistrationSub(sub: string): { seminarId: string; registrationId: string } | undefined {
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(sub);
  return m ? { seminarId: m[1], registrationId: m[2] } : undefined;
}

export const registerPageUrl = (seminarId: string, lang?: Lang) =>
  `${config().publicBaseUrl}/seminars/${seminarId}/register${lang === 'en' ? '?lang=en' : ''}`;
