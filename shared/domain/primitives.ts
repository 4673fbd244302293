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

// ---------------------------------------------------------------------------------------------
// Text and URLs as requests give them: odd input is refused with a 400 naming the field.

/** A UTF-16 surrogate without its other half: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const LINE_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Control characters other than tab and line breaks (NUL, escape, backspace…). */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** No lone surrogates: true when the text is well-formed Unicode. */
export const isWellFormedText = (v: string): boolean => !LONE_SURROGATE.test(v);
/** One line: well-formed, without control characters or line breaks. */
export const isSingleLineText = (v: string): boolean => isWellFormedText(v) && !LINE_CONTROLS.test(v);
/** Several lines: well-formed, line breaks and tabs allowed, other control characters not. */
export const isMultiLineText = (v: string): boolean => isWellFormedText(v) && !TEXT_CONTROLS.test(v);

export const WELL_FORMED_MESSAGE = 'must be valid text (it holds a broken character)';
const SINGLE_LINE_MESSAGE = 'must be one line of text, without line breaks or control characters';
const MULTI_LINE_MESSAGE = 'must be text without control characters (line breaks and tabs are fine)';

/** One line of text, trimmed, `min` to `max` characters. */
export const SingleLineText = (max: number, min = 0) =>
  z.string().check(z.trim(), z.minLength(min), z.maxLength(max), z.refine(isSingleLineText, SINGLE_LINE_MESSAGE));
/** Text that may run over several lines (a description), trimmed, at most `max` characters. */
export const MultiLineText = (max: number) => z.string().check(z.trim(), z.maxLength(max), z.refine(isMultiLineText, MULTI_LINE_MESSAGE));

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** An `https:` URL, or `http:` on this machine (localhost, 127.0.0.1); never `javascript:`, `data:` and the like. */
export const isWebUrl = (v: string): boolean => {
  if (!URL.canParse(v) || !isSingleLineText(v)) return false;
  const u = new URL(v);
  return u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
};
/** A link we put in pages and emails (streaming, slides, recording, a scheme's page). */
export const WebUrl = z.string().check(
  z.trim(),
  z.maxLength(2000),
  z.refine(isWebUrl, 'an https:// URL (http:// only for localhost)'),
  z.meta({ format: 'uri', description: 'An https:// URL (http:// only for localhost or 127.0.0.1).' }),
);
