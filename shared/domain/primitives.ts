/**
 * The domain's primitives, defined once: an id, an ISO time, a language, an email address and how an
 * address is normalised (trimmed, lower case) wherever it is stored, compared, counted or hashed. The
 * event catalog (events/), the records (model.ts, funding.ts) and the request bodies (admin-inputs.ts,
 * public-inputs.ts) build on these. Imports nothing of the store, the mailer, the handlers or infra.
 */
import * as z from 'zod/mini';
import '../zod-locale.js';

/** The languages of emails and pages: Norwegian (bokmål) and English. */
export const LANGS = ['nb', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const Language = z.enum(LANGS);

/** An id in a path, an event or a record: letters, digits, - and _. */
export const Id = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'));
export type Id = string;

/** An ISO 8601 time with an offset. */
export const IsoTime = z.iso.datetime({ offset: true });
export type IsoTime = string;

/** A person's email address as it is stored and compared: trimmed, lower case. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** An email address as a request gives it: at most 254 characters, valid, then normalised. */
export const Email = z.pipe(
  z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email({ message: 'a valid email address' })),
  z.transform(normaliseEmail),
);
export type Email = string;
