/** Logs never carry an email address in clear: masked on purpose, and redacted on the way out otherwise. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, maskEmail, redactEmails } from '../../shared/log.js';

describe('email addresses in logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('maskEmail keeps the domain and a short hash, not the local part', () => {
    const m = maskEmail('Ola.Nordmann@dfo.no');
    expect(m).toMatch(/^O\*\*\*@dfo\.no#[0-9a-f]{8}$/);
    expect(m).toBe(maskEmail('Ola.Nordmann@dfo.no'));
    expect(maskEmail('ola.nordmann@dfo.no').split('#')[1]).toBe(m.split('#')[1]);
  });

  it('redactEmails masks every address in a text, URL-encoded ones too, and leaves masked ones alone', () => {
    const text = 'SES: Email address is not verified: kari+seminar@example.no, per.hansen@sub.example.com; path /admin/people/ola%40dfo.no';
    const out = redactEmails(text);
    expect(out).not.toMatch(/kari\+seminar@|per\.hansen@|ola%40dfo/);
    expect(out).toContain('k***@example.no#');
    expect(out).toContain('p***@sub.example.com#');
    expect(out).toContain('o***@dfo.no#');
    expect(redactEmails(out)).toBe(out);
    expect(redactEmails('no address here: a@b, @example.no')).toBe('no address here: a@b, @example.no');
  });

  it('the logger redacts messages, attributes and error messages before they are written', () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write);
    logger.error('Send to ola@dfo.no failed', { to: 'kari@example.no', nested: { list: ['per@example.com'] }, error: new Error('Rejected: 550 unknown user siri@example.no') });
    const out = lines.join('');
    expect(out).toContain('Send to o***@dfo.no#');
    expect(out).not.toMatch(/ola@dfo\.no|kari@example\.no|per@example\.com|siri@example\.no/);
    expect(out).toContain('k***@example.no#');
    expect(out).toContain('s***@example.no#');
  });
});
