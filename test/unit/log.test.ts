/**
 * Logs are one JSON line per entry with the fields CloudWatch queries use, and never carry an email
 * address in clear: masked on purpose, and redacted on the way out otherwise.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger, logger, maskEmail, redactEmails } from '../../shared/log.js';

/** What the logger writes while `fn` runs, per stream. */
function captured(fn: () => void): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => out.push(String(chunk)) > 0) as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => err.push(String(chunk)) > 0) as typeof process.stderr.write);
  try {
    fn();
  } finally {
    vi.restoreAllMocks();
  }
  return { out, err };
}

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

describe('log lines', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('one JSON line with level, message, timestamp, service, sampling rate and trace id, then the attributes', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    const { out, err } = captured(() => new Logger('svc', 'INFO').info('Seminar moved', { seminarId: 's1', level: 'dropped', count: 3, big: 10n, none: undefined }));
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    expect(out[0].endsWith('\n')).toBe(true);
    expect(out[0].trim()).not.toContain('\n');
    const line = JSON.parse(out[0]);
    expect(Object.keys(line)).toEqual(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id', 'seminarId', 'count', 'big']);
    expect(line).toMatchObject({ level: 'INFO', message: 'Seminar moved', service: 'svc', sampling_rate: 0, xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793', seminarId: 's1', count: 3, big: '10' });
    expect(Date.parse(line.timestamp)).not.toBeNaN();
  });

  it('debug and info go to stdout, warn and error to stderr; LOG_LEVEL sets the threshold (INFO by default)', () => {
    const all = (l: Logger) => captured(() => (['debug', 'info', 'warn', 'error'] as const).forEach((m) => l[m](m)));
    const levels = (lines: string[]) => lines.map((l) => JSON.parse(l).level);
    expect(all(new Logger('svc', 'debug'))).toEqual({ out: [expect.stringContaining('"DEBUG"'), expect.stringContaining('"INFO"')], err: [expect.stringContaining('"WARN"'), expect.stringContaining('"ERROR"')] });
    expect(levels(all(new Logger('svc', undefined)).out)).toEqual(['INFO']);
    expect(levels(all(new Logger('svc', 'nonsense')).out)).toEqual(['INFO']);
    const errorOnly = all(new Logger('svc', 'ERROR'));
    expect([levels(errorOnly.out), levels(errorOnly.err)]).toEqual([[], ['ERROR']]);
    expect(all(new Logger('svc', 'SILENT'))).toEqual({ out: [], err: [] });
  });

  it('errors become name, location, message, stack and cause, with their own fields; a cycle does not break the line', () => {
    const cause = new Error('socket hang up');
    const err = Object.assign(new Error('Throttled', { cause }), { name: 'ThrottlingException', $fault: 'client' });
    const cyclic: Record<string, unknown> = { id: 'x' };
    cyclic.self = cyclic;
    const { err: lines } = captured(() => new Logger('svc', 'INFO').error('Unhandled error', { error: err, nested: { list: [cause] }, cyclic }));
    const line = JSON.parse(lines[0]);
    expect(line.error).toMatchObject({ name: 'ThrottlingException', message: 'Throttled', $fault: 'client', cause: { name: 'Error', message: 'socket hang up' } });
    expect(line.error.location).toMatch(/^\S+:\d+$/); // the first frame that names a file in parentheses
    expect(line.error.stack).toContain('ThrottlingException: Throttled');
    expect(line.nested.list[0].message).toBe('socket hang up');
    expect(line.cyclic).toEqual({ id: 'x' });
  });
});

