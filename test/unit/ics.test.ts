import ical, { type VEvent } from 'node-ical';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Registration, Seminar } from '../../shared/domain/model.js';
import { Env, functionEnvironment } from '../../shared/env-names.js';
import { wired } from '../../infra/wiring.js';
import { buildIcs, escapeIcsText, foldLine, type IcsInput } from '../../shared/email/ics.js';

const base: IcsInput = {
  method: 'REQUEST',
  uid: 'reg_123.sem_456@seminar-events',
  sequence: 0,
  start: '2026-03-30T09:00:00+02:00',
  end: '2026-03-30T11:30:00+02:00',
  summary: 'Frokostseminar: Samordning i staten',
  description: 'Velkommen!\nFrokost fra kl. 08.30.',
  location: 'Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1',
  url: 'https://seminarer.example.no/seminars/sem_456',
  organizer: { name: 'Partnerforum, sekretariatet', email: 'post@partnerforum.example.no' },
  attendee: { name: "Åse Ødegård-O'Brien", email: 'ase@example.no' },
  dtstamp: new Date('2026-02-01T10:00:00Z'),
};

function parseEvent(text: string): VEvent {
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
  expect(events).toHaveLength(1);
  return events[0];
}

/** Unfolds content lines as a parser would. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('buildIcs', () => {
  it('has the calendar properties, a VTIMEZONE and CRLF line endings', () => {
    const text = buildIcs(base);
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(text).split('\r\n');
    for (const l of [
      'PRODID:-//seminar-events//NONSGML v1//EN',
      'VERSION:2.0',
      'CALSCALE:GREGORIAN',
      'METHOD:REQUEST',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Oslo',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'DTSTART;TZID=Europe/Oslo:20260330T090000',
      'DTEND;TZID=Europe/Oslo:20260330T113000',
      'DTSTAMP:20260201T100000Z',
      'STATUS:CONFIRMED',
    ]) {
      expect(lines).toContain(l);
    }
  });

  it('round-trips through node-ical: a seminar just after the spring change', () => {
    const ev = parseEvent(buildIcs(base));
    expect(ev.uid).toBe(base.uid);
    expect(Number(ev.sequence)).toBe(0);
    expect(new Date(ev.start).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(new Date(ev.end!).toISOString()).toBe('2026-03-30T09:30:00.000Z');
    expect(ev.summary).toBe(base.summary);
    expect(ev.description).toBe(base.description);
    expect(ev.location).toBe(base.location);
    expect(ev.url).toBe(base.url);
    expect(ev.status).toBe('CONFIRMED');
    expect(ev.method).toBe('REQUEST');
  });

  it('round-trips a seminar in November (winter time) and one on the autumn change day', () => {
    const nov = parseEvent(
      buildIcs({ ...base, start: '2026-11-12T08:30:00+01:00', end: '2026-11-12T10:00:00+01:00', sequence: 3 }),
    );
    expect(new Date(nov.start).toISOString()).toBe('2026-11-12T07:30:00.000Z');
    expect(new Date(nov.end!).toISOString()).toBe('2026-11-12T09:00:00.000Z');
    expect(Number(nov.sequence)).toBe(3);

    const text = buildIcs({ ...base, start: '2026-10-25T12:00:00+01:00', end: '2026-10-25T15:00:00+01:00' });
    expect(unfold(text)).toContain('DTSTART;TZID=Europe/Oslo:20261025T120000');
    const changeDay = parseEvent(text);
    expect(new Date(changeDay.start).toISOString()).toBe('2026-10-25T11:00:00.000Z');
  });

  it('writes a spring seminar before the change in winter time', () => {
    const text = buildIcs({ ...base, start: new Date('2026-03-27T11:00:00Z'), end: new Date('2026-03-27T13:00:00Z') });
    expect(unfold(text)).toContain('DTSTART;TZID=Europe/Oslo:20260327T120000');
    expect(new Date(parseEvent(text).start).toISOString()).toBe('2026-03-27T11:00:00.000Z');
  });

  it('has an organizer and an attendee who is not asked to reply', () => {
    const text = unfold(buildIcs(base));
    expect(text).toContain('ORGANIZER;CN="Partnerforum, sekretariatet":mailto:post@partnerforum.example.no');
    expect(text).toMatch(/ATTENDEE;CN="Åse Ødegård-O'Brien";[^\r\n]*RSVP=FALSE:mailto:ase@example\.no/);
    const ev = parseEvent(buildIcs(base));
    const attendee = ev.attendee as unknown as { params: Record<string, unknown>; val: string };
    expect(attendee.params.CN).toBe("Åse Ødegård-O'Brien");
    expect(attendee.val).toBe('mailto:ase@example.no');
    const organizer = ev.organizer as unknown as { params: Record<string, unknown>; val: string };
    expect(organizer.params.CN).toBe('Partnerforum, sekretariatet');
  });

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const text = buildIcs({ ...base, method: 'CANCEL', sequence: 4 });
    expect(unfold(text).split('\r\n')).toContain('METHOD:CANCEL');
    const ev = parseEvent(text);
    expect(ev.status).toBe('CANCELLED');
    expect(ev.method).toBe('CANCEL');
    expect(Number(ev.sequence)).toBe(4);
    expect(ev.uid).toBe(base.uid);
  });

  it('keeps the same UID across updates, with the given SEQUENCE', () => {
    const a = parseEvent(buildIcs({ ...base, sequence: 1 }));
    const b = parseEvent(buildIcs({ ...base, sequence: 2, start: '2026-04-02T09:00:00+02:00', end: '2026-04-02T10:00:00+02:00' }));
    expect(a.uid).toBe(b.uid);
    expect(Number(b.sequence)).toBe(2);
  });

  it('escapes special characters and survives the round trip', () => {
    const summary = 'Semikolon; komma, bakstrek \\ og "sitat"';
    const description = 'Linje 1\nLinje 2\r\nLinje 3; med, tegn';
    const ev = parseEvent(buildIcs({ ...base, summary, description }));
    expect(ev.summary).toBe(summary);
    expect(ev.description).toBe(description.replace(/\r\n/g, '\n'));
    // A literal backslash followed by "n" is written as an escaped backslash, not as a newline.
    // (node-ical 0.26 unescapes this case wrongly, so the raw line is checked here.)
    expect(unfold(buildIcs({ ...base, description: 'C:\\new' }))).toContain('DESCRIPTION:C:\\\\new\r\n');
  });

  it('folds long lines at 75 octets without splitting æøå', () => {
    const summary = 'Æøå-seminar om samordning på tvers av sektorer, nivåer og fagdisipliner – '.repeat(6) + 'ÆØÅ æøå';
    const text = buildIcs({ ...base, summary, description: 'ø'.repeat(300) + ' 🎉'.repeat(40) });
    for (const line of text.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      // A split multi-byte character would show up as U+FFFD when the octets are decoded per line.
      expect(Buffer.from(line, 'utf8').toString('utf8')).not.toContain('\uFFFD');
    }
    expect(text.split('\r\n').some((l) => l.startsWith(' '))).toBe(true);
    const ev = parseEvent(text);
    expect(ev.summary).toBe(summary);
    expect(ev.description).toBe('ø'.repeat(300) + ' 🎉'.repeat(40));
  });

  it('folds exactly where counting each character with a UTF-8 encoder would (the count is by code point)', () => {
    // The definition the fold follows: a character's or escape's octets as TextEncoder gives them.
    const encoder = new TextEncoder();
    const byEncoder = (line: string) => {
      const out: string[] = [];
      let current = '';
      let octets = 0;
      let limit = 75;
      for (const unit of line.match(/\\.|[\s\S]/gu) ?? []) {
        const size = encoder.encode(unit).length;
        if (octets + size > limit) {
          out.push(current);
          current = '';
          octets = 0;
          limit = 74;
        }
        current += unit;
        octets += size;
      }
      out.push(current);
      return out.join('\r\n ');
    };
    // ASCII, two-, three- and four-octet characters, escapes (also of a multi-byte character) and a lone surrogate.
    const pieces = ['a', 'Z', ' ', 'æ', 'Ø', '–', '€', '🎉', '𝄞', '\\;', '\\,', '\\n', '\\ø', '\uD800', ':'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const line = Array.from({ length: next() % 160 }, () => pieces[next() % pieces.length]).join('');
      expect(foldLine(line)).toBe(byEncoder(line));
    }
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(74) + 'ø')).toBe('x'.repeat(74) + '\r\n ø');
  });

  it('strips line breaks from parameter and URI values (no property injection)', () => {
    const text = buildIcs({
      ...base,
      attendee: { name: 'Eve\r\nATTENDEE:mailto:x@evil.example', email: 'eve@example.no' },
      url: 'https://example.no/a\r\nX-EVIL:1',
    });
    expect(unfold(text).split('\r\n').filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(1);
    expect(unfold(text)).not.toMatch(/^X-EVIL/m);
  });

  it('rejects an end before the start and a bad sequence', () => {
    expect(() => buildIcs({ ...base, end: base.start })).toThrow(RangeError);
    expect(() => buildIcs({ ...base, sequence: -1 })).toThrow(RangeError);
    expect(() => buildIcs({ ...base, start: 'not a date' })).toThrow(RangeError);
  });
});

describe('escapeIcsText', () => {
  it('escapes backslash, semicolon, comma and newlines', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });
});

describe('foldLine', () => {
  it('leaves short lines alone and never splits an escape', () => {
    expect(foldLine('SUMMARY:kort')).toBe('SUMMARY:kort');
    const line = 'X:' + '\\,'.repeat(60);
    for (const part of foldLine(line).split('\r\n')) {
      expect(part.replace(/^ /, '')).toMatch(/^(X:)?(\\,)*$/);
    }
  });
});

describe('LANGUAGE', () => {
  it('tags SUMMARY and DESCRIPTION with the language they are written in, and nothing without one', () => {
    const nbText = unfold(buildIcs({ ...base, language: 'nb' }));
    expect(nbText).toContain('SUMMARY;LANGUAGE=nb-NO:Frokostseminar: Samordning i staten\r\n');
    expect(nbText).toContain('DESCRIPTION;LANGUAGE=nb-NO:Velkommen!');
    expect(unfold(buildIcs({ ...base, language: 'en' }))).toContain('SUMMARY;LANGUAGE=en-GB:');
    const untagged = unfold(buildIcs(base));
    expect(untagged).not.toContain('LANGUAGE=');
    expect(untagged).toContain('SUMMARY:Frokostseminar: Samordning i staten\r\n');
  });
});

describe('a registrant’s invite (registrationInvite)', () => {
  let cal: typeof import('../../shared/email/calendar.js');
  beforeAll(async () => {
    // The environment of the function that sends the invite, with this test's values.
    Object.assign(
      process.env,
      functionEnvironment(wired('on-registration-confirmed'), {
        [Env.tableName]: 'seminar-events',
        [Env.senderEmail]: 'seminarer@example.no',
        [Env.senderName]: 'Partnerforum',
        [Env.publicBaseUrl]: 'https://seminarer.example.no',
      }),
    );
    cal = await import('../../shared/email/calendar.js');
  });

  const seminar = (o: Partial<Seminar> = {}): Seminar =>
    ({
      id: 'sem456',
      title: 'Samordning i staten',
      description: 'Velkommen til frokost.',
      kind: 'breakfast-seminar',
      start: '2027-03-17T07:30:00.000Z',
      end: '2027-03-17T09:00:00.000Z',
      venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' },
      capacity: 10,
      livestream: true,
      language: 'nb',
      status: 'scheduled',
      seatsTaken: 1,
      sequence: 3,
      ...o,
    }) as Seminar;
  const registration = (o: Partial<Registration> = {}): Registration => ({
    id: 'reg123',
    seminarId: 'sem456',
    email: 'emma@example.no',
    name: 'Emma English',
    organisation: '',
    requestedMode: 'physical',
    digitalIfFull: false,
    joinWaitlist: true,
    language: 'en',
    status: 'confirmed',
    attendance: 'physical',
    submittedAt: '2027-03-01T10:00:00.000Z',
    confirmedAt: '2027-03-01T10:05:00.000Z',
    ...o,
  });

  it('an English registrant gets an English file name; the Norwegian title and description stay tagged nb', () => {
    const invite = cal.registrationInvite(seminar(), registration());
    expect(invite.fileName).toBe('invitation.ics');
    expect(invite.contentType).toBe('text/calendar; charset=UTF-8; method=REQUEST');
    const text = unfold(invite.content);
    expect(text).toContain('SUMMARY;LANGUAGE=nb-NO:Samordning i staten\r\n');
    expect(text).toContain('DESCRIPTION;LANGUAGE=nb-NO:Velkommen til frokost.\r\n');
    expect(text).not.toContain('en-GB');
    // An English seminar's text is tagged English, whoever reads it.
    expect(unfold(cal.registrationInvite(seminar({ title: 'Coordination in government', language: 'en' }), registration({ language: 'nb' })).content)).toContain(
      'SUMMARY;LANGUAGE=en-GB:Coordination in government\r\n',
    );
    expect(cal.registrationInvite(seminar(), registration({ language: 'nb' })).fileName).toBe('invitasjon.ics');
  });

  it('names the cancelling file in the reader’s language: a cancelled seminar, or the registrant’s own cancellation', () => {
    expect(cal.registrationInvite(seminar(), registration({ language: 'en' }), 'CANCEL').fileName).toBe('cancelled.ics');
    expect(cal.registrationInvite(seminar(), registration({ language: 'nb' }), 'CANCEL').fileName).toBe('avlyst.ics');
    expect(cal.registrationInvite(seminar(), registration({ language: 'nb' }), 'CANCEL', { byRegistrant: true }).fileName).toBe('avmelding.ics');
    expect(cal.registrationInvite(seminar(), registration({ language: 'en' }), 'CANCEL', { byRegistrant: true }).fileName).toBe('cancelled.ics');
  });

  it('the registrant’s own CANCEL has the same UID and a SEQUENCE above every invite sent before it (RFC 5546)', () => {
    for (const r of [registration(), registration({ promotedAt: '2027-03-02T10:00:00.000Z' })]) {
      const s = seminar();
      // Every invite the registration could have had: the first one (sequence 0), each change, a promotion.
      const earlier = [0, 1, 2, 3].flatMap((seq) => [
        parseEvent(cal.registrationInvite({ ...s, sequence: seq }, { ...r, promotedAt: undefined }).content),
        ...(r.promotedAt ? [parseEvent(cal.registrationInvite({ ...s, sequence: seq }, r).content)] : []),
      ]);
      const cancel = cal.registrationInvite(s, { ...r, status: 'cancelled' }, 'CANCEL', { byRegistrant: true });
      const ev = parseEvent(cancel.content);
      expect(ev.method).toBe('CANCEL');
      expect(ev.status).toBe('CANCELLED');
      expect(cancel.contentType).toContain('method=CANCEL');
      for (const e of earlier) {
        expect(ev.uid).toBe(e.uid);
        expect(Number(ev.sequence)).toBeGreaterThan(Number(e.sequence));
      }
    }
    expect(cal.inviteSequence({ sequence: 3 }, {}, true)).toBe(7);
    expect(cal.inviteSequence({ sequence: 3 }, { promotedAt: 'x' }, true)).toBe(8);
  });
});
