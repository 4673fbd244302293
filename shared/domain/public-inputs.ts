/**
 * The public API's request bodies: a registration and a subscription (to a funding scheme or a seminar
 * series). The handlers validate with these; the OpenAPI document shows them.
 */
import * as z from 'zod/mini';
import { Email, isWellFormedText, Language, WELL_FORMED_MESSAGE } from './primitives.js';

/**
 * A person's name or organisation: one line. Line breaks, tabs and other control characters become a
 * single space (they have no place in a name, and a name goes into email texts and the CSV); a lone
 * surrogate (half a character) is refused.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const oneLine = (max: number, min = 0) =>
  z.pipe(
    z.pipe(z.string(), z.transform((v: string) => v.replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim())),
    z.string().check(z.minLength(min), z.maxLength(max), z.refine(isWellFormedText, WELL_FORMED_MESSAGE)),
  );

export const RegistrationMode = z.enum(['physical', 'digital']);

export const RegistrationInput = z.object({
  email: Email,
  name: oneLine(200, 1),
  organisation: z._default(oneLine(300), ''),
  mode: RegistrationMode,
  digitalIfFull: z._default(z.boolean(), false),
  joinWaitlist: z._default(z.boolean(), false),
  language: z._default(Language, 'nb'),
});
export type RegistrationInput = z.output<typeof RegistrationInput>;

export const SubscriptionInput = z.object({
  email: Email,
  language: z._default(Language, 'nb'),
});
export type SubscriptionInput = z.output<typeof SubscriptionInput>;
