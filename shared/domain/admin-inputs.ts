/**
 * Small admin request bodies and the registrant export's columns, shared by the handlers that validate
 * them and the OpenAPI document (shared/http/openapi.ts) that describes them.
 */
import * as z from 'zod/mini';
import '../zod-locale.js';

/** `POST /admin/seminars/{id}/recording` */
export const RecordingInput = z.object({ url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }) });

/** `POST /admin/seminars/{id}/cancel` (the body is optional) */
export const CancelInput = z.object({ reason: z.optional(z.string().check(z.trim(), z.maxLength(2000))) });

/**
 * Columns of the registrant export (`GET /admin/seminars/{id}/registrations` with `Accept: text/csv`),
 * in order. UTF-8 with a byte-order mark (Excel then reads æøå right), comma-separated, CRLF line ends,
 * times in ISO 8601 UTC.
 */
export const REGISTRANT_COLUMNS = [
  ['name', 'name as the registrant wrote it'],
  ['email', 'email address (lower case)'],
  ['organisation', 'organisation, may be empty'],
  ['requestedMode', 'what was asked for: physical or digital'],
  ['attendance', 'what the registrant has once confirmed: physical, digital or waitlisted'],
  ['status', 'pending (address not confirmed yet), confirmed or cancelled'],
  ['waitlistPosition', '1-based place on the waitlist, for waitlisted registrants'],
  ['language', 'nb or en: the language of the emails'],
  ['submittedAt', 'when the form was submitted'],
  ['confirmedAt', 'when the address was confirmed'],
  ['cancelledAt', 'when the registration was cancelled'],
] as const;
export const registrantColumnNames: string[] = REGISTRANT_COLUMNS.map(([name]) => name);
