/**
 * The sender name as SES v2 takes it in FromEmailAddress: a non-ASCII display name as MIME encoded-words
 * (RFC 2047), an ASCII one quoted when it holds specials; and the local SES pass-through refuses a raw
 * non-ASCII name as SES does (400 BadRequestException).
 */
import { describe, expect, it } from 'vitest';
import { encodedWords, formatMailbox, fromAddressProblem } from '../../shared/email/mailbox-address.js';
import { sendEmailRefusal } from '../../infra/local/ses.js';

const DFO = 'DFØ – Direktoratet for forvaltning og økonomistyring';
/** Decodes `=?UTF-8?B?…?=` words separated by spaces, as a mail client shows them. */
const decode = (phrase: string) =>
  phrase
    .split(' ')
    .map((w) => /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(w))
    .map((m) => Buffer.from(m![1], 'base64').toString('utf8'))
    .join('');

describe('FromEmailAddress', () => {
  it('encodes a non-ASCII sender name as RFC 2047 encoded-words of at most 75 characters, 7-bit ASCII throughout', () => {
    const from = formatMailbox(DFO, 'noreply@dfo.no');
    expect(from).toMatch(/^=\?UTF-8\?B\?[^ ]+\?=( =\?UTF-8\?B\?[^ ]+\?=)* <noreply@dfo\.no>$/);
    expect(from).toMatch(/^[\x20-\x7e]+$/);
    const phrase = from.slice(0, from.lastIndexOf(' <'));
    for (const w of phrase.split(' ')) expect(w.length, w).toBeLessThanOrEqual(75);
    expect(decode(phrase)).toBe(DFO);
    expect(fromAddressProblem(from)).toBeUndefined();
  });

  it('splits encoded-words between characters, never inside one', () => {
    const words = encodedWords('ø'.repeat(40) + '😀');
    expect(words.length).toBeGreaterThan(1);
    expect(words.map((w) => decode(w)).join('')).toBe('ø'.repeat(40) + '😀');
    for (const w of words) expect(decode(w)).not.toContain('\ufffd');
  });

  it('sends a plain ASCII name as is, quotes one with specials, and drops line breaks', () => {
    expect(formatMailbox('Seminarer', 'a@b.no')).toBe('Seminarer <a@b.no>');
    expect(formatMailbox('Seminarer (lokalt)', 'a@b.no')).toBe('"Seminarer (lokalt)" <a@b.no>');
    expect(formatMailbox('DFO, Oslo', 'a@b.no')).toBe('"DFO, Oslo" <a@b.no>');
    expect(formatMailbox('Say "hi" \\o/', 'a@b.no')).toBe('"Say \\"hi\\" \\\\o/" <a@b.no>');
    expect(formatMailbox('Evil\r\nBcc: x@y.no', 'a@b.no')).toBe('"Evil Bcc: x@y.no" <a@b.no>');
    expect(formatMailbox('  ', 'a@b.no')).toBe('a@b.no');
  });

  it('the local SES pass-through refuses a raw non-ASCII display name with 400 BadRequestException, and lets the encoded one through', () => {
    const body = (from: string) => Buffer.from(JSON.stringify({ FromEmailAddress: from, Destination: { ToAddresses: ['x@example.no'] } }));
    const refused = sendEmailRefusal('POST', '/v2/email/outbound-emails', body(`"${DFO}" <noreply@dfo.no>`));
    expect(refused?.status).toBe(400);
    expect(refused?.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(JSON.parse(refused!.body.toString()).message).toMatch(/encoded-word/);
    expect(sendEmailRefusal('POST', '/v2/email/outbound-emails', body(formatMailbox(DFO, 'noreply@dfo.no')))).toBeUndefined();
    expect(sendEmailRefusal('POST', '/v2/email/outbound-emails', body('"Seminarer (lokalt)" <noreply@dfo.no>'))).toBeUndefined();
    expect(sendEmailRefusal('GET', '/v2/email/account', Buffer.alloc(0))).toBeUndefined();
  });
});
