/**
 * Odd input is refused by the schemas' building blocks, with the field named: lone surrogates in any text
 * field, NUL and other control characters (line breaks too in one-line fields; a description keeps its
 * newlines), and links that are not https: (http: only for localhost), such as javascript:.
 */
import { describe, expect, it } from 'vitest';
import { CancelInput, RecordingInput, SchemeInput, SeminarInput } from '../../shared/domain/admin-inputs.js';
import { RegistrationInput } from '../../shared/domain/public-inputs.js';
import { isWebUrl } from '../../shared/domain/primitives.js';
import { fieldErrors } from '../../shared/http/responses.js';

const errorsOf = (r: { success: boolean; error?: Parameters<typeof fieldErrors>[0] }) => (r.success ? [] : fieldErrors(r.error!));
const fieldsOf = (r: Parameters<typeof errorsOf>[0]) => errorsOf(r).map((e) => e.field);
const seminar = { title: 'T', start: '2030-01-01T10:00:00Z', end: '2030-01-01T12:00:00Z', capacity: 10 };

describe('odd input is refused, naming the field', () => {
  it('a lone surrogate in a registrant name or organisation', () => {
    expect(fieldsOf(RegistrationInput.safeParse({ email: 'a@b.no', name: 'Ola \ud800', mode: 'physical' }))).toEqual(['name']);
    expect(fieldsOf(RegistrationInput.safeParse({ email: 'a@b.no', name: 'Ola', organisation: '\udc00DFØ', mode: 'physical' }))).toEqual(['organisation']);
    expect(RegistrationInput.safeParse({ email: 'a@b.no', name: 'Åse 😀', mode: 'physical' }).success).toBe(true);
  });

  it('NUL, CR/LF and lone surrogates in admin text fields; a description keeps its newlines but not NUL', () => {
    expect(fieldsOf(SeminarInput.safeParse({ ...seminar, title: 'A\u0000B' }))).toEqual(['title']);
    expect(fieldsOf(SeminarInput.safeParse({ ...seminar, title: 'A\r\nBcc: x@y.no' }))).toEqual(['title']);
    expect(fieldsOf(SeminarInput.safeParse({ ...seminar, speakers: [{ name: 'K\ud83d' }] }))).toEqual(['speakers.0.name']);
    expect(fieldsOf(SeminarInput.safeParse({ ...seminar, venue: { name: 'Hall', room: 'R\n2' } }))).toEqual(['venue.room']);
    expect(fieldsOf(SeminarInput.safeParse({ ...seminar, description: 'one\u0000two' }))).toEqual(['description']);
    expect(SeminarInput.parse({ ...seminar, description: 'line one\nline two\r\n\tthree' }).description).toBe('line one\nline two\r\n\tthree');
    expect(fieldsOf(SchemeInput.safeParse({ name: 'S', organiser: 'D\u001bF' }))).toEqual(['organiser']);
    expect(fieldsOf(CancelInput.safeParse({ reason: 'sick\u0007' }))).toEqual(['reason']);
    expect(errorsOf(SeminarInput.safeParse({ ...seminar, title: 'A\u0000B' }))[0].message).toMatch(/one line of text/);
  });

  it('links are https: (http: only for localhost): javascript:, data: and plain http: elsewhere are refused', () => {
    for (const bad of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'http://example.no/live', 'ftp://example.no/f', 'https://ex\nample.no']) {
      expect(fieldsOf(SeminarInput.safeParse({ ...seminar, streamingUrl: bad })), bad).toEqual(['streamingUrl']);
      expect(fieldsOf(SeminarInput.safeParse({ ...seminar, program: [{ start: '10:00', title: 'P', slidesUrl: bad }] })), bad).toEqual(['program.0.slidesUrl']);
      expect(fieldsOf(RecordingInput.safeParse({ url: bad })), bad).toEqual(['url']);
      expect(fieldsOf(SchemeInput.safeParse({ name: 'S', url: bad })), bad).toEqual(['url']);
    }
    expect(errorsOf(RecordingInput.safeParse({ url: 'javascript:alert(1)' }))[0].message).toBe('an https:// URL (http:// only for localhost)');
    for (const good of ['https://example.no/live', 'http://localhost:3000/x', 'http://127.0.0.1/y']) expect(isWebUrl(good), good).toBe(true);
    expect(SeminarInput.parse({ ...seminar, streamingUrl: 'https://teams.example.no/l/1' }).streamingUrl).toBe('https://teams.example.no/l/1');
  });
});
