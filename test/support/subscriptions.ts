/**
 * Subscribing to a funding scheme or a seminar series, as the schemes and series tests do it: the
 * request, the confirm email, its page and the button, double opt-in to the end.
 */
import { expect } from 'vitest';
import { escapeHtml } from '../../shared/email/html.js';
import { api, idle, mails, type Mail } from './local.js';
import { linkIn, postThrottled } from './seminars.js';

/** What one subscribes to: `schemes/{id}` or `series/{id}`. */
export type Subscribable = { schemeId: string } | { seriesId: string };

const pathOf = (to: Subscribable) => ('schemeId' in to ? `/schemes/${to.schemeId}/subscriptions` : `/series/${to.seriesId}/subscriptions`);

export async function subscribe(to: Subscribable, email: string, language: 'nb' | 'en' = 'nb'): Promise<void> {
  const res = await postThrottled(pathOf(to), { body: { email, language } });
  expect(res.status, res.text).toBe(202);
  expect(res.body).toEqual({ status: 'pending_confirmation' });
  await idle();
}

export const CONFIRM_SUBJECT = /^(Bekreft abonnementet ditt|Confirm your subscription)/;

/**
 * Confirms through the link in the latest confirm email: the page first (naming `nameOnPage`, when
 * given), then its button's POST; the confirmation page offers one-click unsubscribe.
 */
export async function confirmByEmail(email: string, nameOnPage?: string): Promise<Mail> {
  const confirm = (await mails(email, CONFIRM_SUBJECT)).pop();
  expect(confirm, `confirm email to ${email}`).toBeDefined();
  const path = linkIn(confirm!, '/subscriptions/confirm');
  const pageRes = await api('GET', path);
  expect(pageRes.status).toBe(200);
  expect(pageRes.text).toContain('action="/subscriptions/confirm"');
  if (nameOnPage) expect(pageRes.text).toContain(escapeHtml(nameOnPage));
  const done = await api('POST', path, { form: {} });
  expect(done.status, done.text).toBe(200);
  expect(done.text).toContain('action="/unsubscribe"');
  await idle();
  return confirm!;
}

export async function subscribeAndConfirm(to: Subscribable, email: string, language: 'nb' | 'en' = 'nb', nameOnPage?: string): Promise<Mail> {
  await subscribe(to, email, language);
  return confirmByEmail(email, nameOnPage);
}
