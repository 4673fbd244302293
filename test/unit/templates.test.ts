import { describe, expect, it } from 'vitest';
import { endOfDayOslo } from '../../shared/domain/time.js';
import { escapeHtml, safeHref } from '../../shared/email/html.js';
import {
  optOutUrl,
  renderEmail,
  sanitizeSubject,
  type EmailKind,
  type EmailMessage,
  type MessageOf,
  type EmailScheme,
  type EmailSeminar,
  type GuidanceSessionInfo,
} from '../../shared/email/templates.js';

const NAME = "Åse Ødegård-O'Brien";
const EVIL = '<script>alert("x")</script>';

const seminar: EmailSeminar = {
  title: 'Samordning i statsforvaltningen: Med blanke ark?',
  kind: 'seminar',
  start: '2026-12-04T12:00:00+01:00',
  end: '2026-12-04T16:00:00+01:00',
  doorsOpen: '11:30',
  venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' },
  livestream: true,
  program: [
    { start: '12:00', title: 'Registrering og enkel servering', speakers: [] },
    {
      start: '12:30',
      end: '13:20',
      title: 'Velkommen',
      speakers: [{ name: 'Ruth Astrid Sæter', title: 'seminarleder' }],
      slidesUrl: 'https://example.no/slides/velkommen.pdf',
    },
  ],
  contacts: [{ name: 'Hans Gøran Nilsson', title: 'Seniorrådgiver', phone: '+47 90 27 17 93', email: 'hans@example.no' }],
  physicalDeadline: '2026-12-01T15:00:00+01:00',
  eligibility: {
    kind: 'restricted',
    domains: ['dfo.no'],
    invited: [],
    description: {
      nb: 'Deltakelse er forbeholdt ansatte hos partnerne og spesielt inviterte.',
      en: "Participation is reserved for the partners' employees and specially invited guests.",
    },
  },
};

const breakfast: EmailSeminar = {
  title: 'Frokostseminar om samordning',
  kind: 'breakfast-seminar',
  start: '2022-03-17T08:30:00+01:00',
  end: '2022-03-17T10:00:00+01:00',
  doorsOpen: '08:00',
  venue: { name: 'Difi', address: 'Grev Wedels plass 9' },
};

const scheme: EmailScheme = {
  name: 'Medfinansieringsordningen',
  description: 'Støtte til små og mellomstore digitaliseringsprosjekter.',
  budgetNok: 120_000_000,
  maxSharePercent: 50,
  url: 'https://example.no/medfinansiering',
  contacts: [{ name: 'Fredrik Danker Monsen', phone: '+47 45 20 64 88' }],
};

const deadline = endOfDayOslo('2018-01-17');
const guidanceSessions = [
  { title: 'Veiledningssamling', start: '2017-11-06T09:00:00+01:00', end: '2017-11-06T12:00:00+01:00', registerUrl: 'https://example.no/g/1' },
  { start: '2017-12-06T09:00:00+01:00', registerUrl: 'https://example.no/g/2' },
];

const url = (what: string) => `https://example.no/${what}?token=abc.def`;

/** A message, and the links it must contain. */
type Fixture<K extends EmailKind> = [MessageOf<K>, string[]];

/**
 * Messages of every kind, at least one each: the record is keyed by `EmailKind` (the registry,
 * shared/email/messages/index.ts), so a kind without a fixture, or a fixture of no kind, does not compile.
 */
const fixtures: { [K in EmailKind]: [Fixture<K>, ...Array<Fixture<K>>] } = {
  'confirm-registration': [
    [
      { kind: 'confirm-registration', name: NAME, seminar, mode: 'physical', confirmUrl: url('confirm'), cancelUrl: url('cancel'), expiresAt: '2026-11-20T12:00:00Z' },
      [url('confirm'), url('cancel')],
    ],
  ],
  'already-registered': [[{ kind: 'already-registered', name: NAME, seminar, attendance: 'digital', cancelUrl: url('cancel') }, [url('cancel')]]],
  'registration-confirmed': [
    [
      { kind: 'registration-confirmed', name: NAME, seminar, outcome: { kind: 'physical' }, cancelUrl: url('cancel'), calendarAttached: true },
      [url('cancel')],
    ],
    [
      { kind: 'registration-confirmed', name: NAME, seminar, outcome: { kind: 'digital', because: 'closed' }, cancelUrl: url('cancel') },
      [url('cancel')],
    ],
    [
      { kind: 'registration-confirmed', name: NAME, seminar, outcome: { kind: 'digital', streamingUrl: url('stream') }, cancelUrl: url('cancel') },
      [url('stream'), url('cancel')],
    ],
    [
      { kind: 'registration-confirmed', name: NAME, seminar, outcome: { kind: 'waitlisted', position: 3, online: true }, cancelUrl: url('cancel') },
      [url('cancel')],
    ],
  ],
  'waitlist-promoted': [[{ kind: 'waitlist-promoted', name: NAME, seminar, cancelUrl: url('cancel'), calendarAttached: true }, [url('cancel')]]],
  'seminar-reminder': [
    [{ kind: 'seminar-reminder', name: NAME, seminar, attendance: 'physical', cancelUrl: url('cancel') }, [url('cancel')]],
    [
      { kind: 'seminar-reminder', name: NAME, seminar, attendance: 'digital', streamingLinkAt: '2026-12-04T10:00:00+01:00', cancelUrl: url('cancel') },
      [url('cancel')],
    ],
  ],
  'streaming-link': [[{ kind: 'streaming-link', name: NAME, seminar, streamingUrl: url('stream'), cancelUrl: url('cancel') }, [url('stream'), url('cancel')]]],
  'seminar-moved': [
    [
      {
        kind: 'seminar-moved',
        name: NAME,
        seminar,
        previousStart: '2026-11-27T12:00:00+01:00',
        previousEnd: '2026-11-27T16:00:00+01:00',
        cancelUrl: url('cancel'),
        calendarAttached: true,
      },
      [url('cancel')],
    ],
  ],
  'seminar-cancelled': [[{ kind: 'seminar-cancelled', name: NAME, seminar, reason: 'Sykdom blant innlederne.', cancelUrl: url('cancel') }, [url('cancel')]]],
  'recording-published': [
    [{ kind: 'recording-published', name: NAME, seminar, recordingUrl: url('recording'), cancelUrl: url('cancel') }, [url('recording'), url('cancel')]],
  ],
  'seminar-announced': [
    [
      {
        kind: 'seminar-announced',
        name: NAME,
        seminar,
        series: { name: 'Partnerforums seminarserie om samordning' },
        registerUrl: url('register'),
        unsubscribeUrl: url('unsubscribe'),
      },
      [url('register'), url('unsubscribe')],
    ],
  ],
  'confirm-subscription': [
    [
      {
        kind: 'confirm-subscription',
        name: NAME,
        target: { kind: 'scheme', name: 'Medfinansieringsordningen' },
        confirmUrl: url('sub-confirm'),
        unsubscribeUrl: url('unsubscribe'),
      },
      [url('sub-confirm'), url('unsubscribe')],
    ],
  ],
  'deadline-announced': [
    [
      { kind: 'deadline-announced', name: NAME, scheme, round: '2018', deadline, guidanceSessions, unsubscribeUrl: url('unsubscribe') },
      [url('unsubscribe'), 'https://example.no/g/1', scheme.url!],
    ],
  ],
  'deadline-reminder': [[{ kind: 'deadline-reminder', name: NAME, scheme, deadline, daysLeft: 7, unsubscribeUrl: url('unsubscribe') }, [url('unsubscribe')]]],
  'deadline-moved': [
    [
      {
        kind: 'deadline-moved',
        name: NAME,
        scheme,
        deadline: endOfDayOslo('2018-01-24'),
        previousDeadline: deadline,
        unsubscribeUrl: url('unsubscribe'),
      },
      [url('unsubscribe')],
    ],
  ],
  'registration-cancelled': [
    [
      { kind: 'registration-cancelled', name: NAME, seminar, registerUrl: url('register'), registrationOpen: true, calendarAttached: true },
      [url('register')],
    ],
  ],
  'registration-refused': [
    [{ kind: 'registration-refused', name: NAME, seminar, organiser: 'Partnerforum', seminarUrl: url('seminar') }, [url('seminar')]],
    [{ kind: 'registration-refused', name: NAME, seminar: { ...seminar, contacts: [] }, organiser: 'Partnerforum', seminarUrl: url('seminar') }, [url('seminar')]],
  ],
  'series-recording-published': [
    [
      {
        kind: 'series-recording-published',
        name: NAME,
        seminar,
        series: { name: 'Partnerforums seminarserie om samordning' },
        recordingUrl: url('recording'),
        unsubscribeUrl: url('unsubscribe'),
      },
      [url('recording'), url('unsubscribe')],
    ],
  ],
  'announced-seminar-changed': [
    [
      {
        kind: 'announced-seminar-changed',
        name: NAME,
        seminar,
        change: { kind: 'moved', previousStart: '2026-12-03T08:30:00+01:00' },
        series: { name: 'Partnerforums seminarserie om samordning' },
        registerUrl: url('register'),
        unsubscribeUrl: url('unsubscribe'),
      },
      [url('register'), url('unsubscribe')],
    ],
    [
      {
        kind: 'announced-seminar-changed',
        name: NAME,
        seminar,
        change: { kind: 'cancelled', reason: 'Sykdom blant innlederne.' },
        scheme: { name: 'Medfinansieringsordningen' },
        unsubscribeUrl: url('unsubscribe'),
      },
      [url('unsubscribe')],
    ],
  ],
};

/** Every fixture, with its links. */
const messages: Array<[EmailMessage, string[]]> = Object.values(fixtures).flat();
/** The `i`th fixture message of a kind. */
const fixture = <K extends EmailKind>(kind: K, i = 0): MessageOf<K> => (fixtures[kind] as Array<Fixture<K>>)[i][0];

/** Replaces every user-provided text field with `value`. */
function withUserText(m: EmailMessage, value: string): EmailMessage {
  const c = structuredClone(m) as unknown as Record<string, unknown>;
  c.name = value;
  c.organiser = value;
  if (c.seminar) {
    c.seminar = {
      ...(c.seminar as EmailSeminar),
      title: value,
      description: value,
      venue: { name: value, room: value, address: value },
      contacts: [{ name: value, title: value, phone: value }],
      program: [{ start: '12:00', title: value, speakers: [{ name: value, organisation: value }], slidesUrl: 'https://example.no/x.pdf' }],
    };
  }
  if (c.scheme) c.scheme = { ...(c.scheme as EmailScheme), name: value, description: value, contacts: [{ name: value }] };
  if (c.series) c.series = { name: value };
  if (c.target) c.target = { ...(c.target as { kind: string }), name: value };
  if (c.reason) c.reason = value;
  if (Array.isArray(c.guidanceSessions)) {
    c.guidanceSessions = (c.guidanceSessions as GuidanceSessionInfo[]).map((g) => ({ ...g, title: value }));
  }
  return c as unknown as EmailMessage;
}

describe('renderEmail', () => {
  it('throws for a kind it does not know', () => {
    expect(() => renderEmail({ kind: 'no-such-kind' } as unknown as EmailMessage, 'nb')).toThrow('Unknown email kind: no-such-kind');
  });

  for (const [message, links] of messages) {
    const label = `${message.kind}${'outcome' in message ? ` (${message.outcome.kind})` : ''}${'attendance' in message ? ` (${message.attendance})` : ''}`;
    for (const lang of ['nb', 'en'] as const) {
      describe(`${label} [${lang}]`, () => {
        const out = renderEmail(message, lang);

        it('renders a subject, text and html', () => {
          expect(out.subject.length).toBeGreaterThan(5);
          expect(out.subject).not.toMatch(/[\r\n]/);
          expect(out.text.length).toBeGreaterThan(50);
          expect(out.html).toMatch(/^<!DOCTYPE html>/);
          expect(out.html).toContain(`<html lang="${lang}">`);
        });

        it('contains its links in text and html', () => {
          for (const l of links) {
            expect(out.text).toContain(l);
            expect(out.html).toContain(`href="${escapeHtml(l)}"`);
          }
        });

        it('ends with its cancel or unsubscribe link', () => {
          const last = optOutUrl(message);
          expect(out.text.trimEnd().endsWith(last)).toBe(true);
          const lastHref = [...out.html.matchAll(/href="([^"]+)"/g)].pop()?.[1];
          expect(lastHref).toBe(escapeHtml(last));
        });

        it('keeps the name exact in the text and escaped in the html', () => {
          expect(out.text).toContain(NAME);
          expect(out.html).toContain(escapeHtml(NAME));
          expect(out.html).not.toContain(NAME);
        });

        it('escapes <script> in every user-provided text', () => {
          const evil = renderEmail(withUserText(message, EVIL), lang);
          expect(evil.html).not.toContain('<script');
          expect(evil.html).toContain('&lt;script&gt;');
          expect(evil.text).toContain(EVIL);
        });

        it('strips line breaks from the subject', () => {
          const broken = renderEmail(withUserText(message, 'Linje 1\r\nBcc: eve@example.com\nLinje 3'), lang);
          expect(broken.subject).not.toMatch(/[\r\n]/);
        });
      });
    }
  }
});

describe('wording', () => {
  const text = (m: EmailMessage, lang: 'nb' | 'en' = 'nb') => renderEmail(m, lang);

  it('asks to confirm the registration', () => {
    const out = text(fixture('confirm-registration'));
    expect(out.subject).toBe('Bekreft påmeldingen din: Samordning i statsforvaltningen: Med blanke ark?');
    expect(out.text).toContain('Hei Åse Ødegård-O\'Brien,');
    expect(out.text).toContain('Tid: fredag 4. desember 2026 kl. 12.00–16.00');
    expect(out.text).toContain('Sted: Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1');
    expect(out.text).toContain('Dørene åpner: kl. 11.30');
    expect(out.text).toContain('Lenken virker til 20. november 2026 kl. 13.00.');
    expect(text(fixture('confirm-registration'), 'en').text).toContain('When: Friday 4 December 2026, 12:00–16:00 (Norwegian time)');
  });

  it('shows breakfast time and venue for a physical seat', () => {
    const out = text({ kind: 'registration-confirmed', seminar: breakfast, outcome: { kind: 'physical' }, cancelUrl: url('c') });
    expect(out.text).toContain('Tid: torsdag 17. mars 2022 kl. 08.30–10.00');
    expect(out.text).toContain('Frokost: fra kl. 08.00');
    expect(out.text).toContain('Sted: Difi, Grev Wedels plass 9');
    const en = text({ kind: 'registration-confirmed', seminar: breakfast, outcome: { kind: 'physical' }, cancelUrl: url('c') }, 'en');
    expect(en.text).toContain('Breakfast: from 08:00');
  });

  it('tells a digital attendee when the streaming link comes', () => {
    const out = text({
      kind: 'registration-confirmed',
      seminar,
      outcome: { kind: 'digital', because: 'full', streamingLinkAt: '2026-12-04T10:00:00+01:00' },
      cancelUrl: url('c'),
    });
    expect(out.text).toContain('Arrangementet er fulltegnet for fysisk deltakelse');
    expect(out.text).toContain('Lenke til strømming sendes ut før seminaret starter. Du får den på e-post fredag 4. desember 2026 kl. 10.00.');
    expect(out.text).not.toContain('Sted:');
    const en = text({ kind: 'registration-confirmed', seminar, outcome: { kind: 'digital' }, cancelUrl: url('c') }, 'en');
    expect(en.text).toContain('The streaming link will be sent by email before the seminar starts.');
  });

  it('says when physical registration closed', () => {
    const out = text(fixture('registration-confirmed', 1));
    expect(out.text).toContain('Det er ikke lenger mulig å melde seg på for fysisk deltakelse');
  });

  it('gives the waitlist position', () => {
    const out = text(fixture('registration-confirmed', 3));
    expect(out.subject).toContain('Du står på venteliste');
    expect(out.text).toContain('Du står som nummer 3 på ventelisten');
    expect(text(fixture('registration-confirmed', 3), 'en').text).toContain('You are number 3 on the waiting list');
  });

  it('says "Du har fått plass" when promoted', () => {
    expect(text(fixture('waitlist-promoted')).subject).toBe('Du har fått plass: Samordning i statsforvaltningen: Med blanke ark?');
  });

  it('shows old and new time when moved', () => {
    const out = text(fixture('seminar-moved'));
    expect(out.text).toContain('Nytt tidspunkt: fredag 4. desember 2026 kl. 12.00–16.00');
    expect(out.text).toContain('Tidligere tidspunkt: fredag 27. november 2026 kl. 12.00–16.00');
    expect(out.text).toContain('Den oppdaterte kalenderinvitasjonen ligger vedlagt.');
  });

  it('tells a subscriber who was told about a seminar that it moved (with the way to register) or was cancelled', () => {
    const [moved, cancelled] = [fixture('announced-seminar-changed', 0), fixture('announced-seminar-changed', 1)];
    const nbMoved = text(moved);
    expect(nbMoved.subject).toBe('Nytt tidspunkt: Samordning i statsforvaltningen: Med blanke ark?');
    expect(nbMoved.text).toContain('«Samordning i statsforvaltningen: Med blanke ark?», som vi har varslet deg om, har fått nytt tidspunkt.');
    expect(nbMoved.text).toContain('Nytt tidspunkt: fredag 4. desember 2026 kl. 12.00–16.00');
    expect(nbMoved.text).toContain('Tidligere tidspunkt: torsdag 3. desember 2026 kl. 08.30');
    expect(nbMoved.text).toContain('Meld deg på');
    expect(nbMoved.text).toContain('Du får denne e-posten fordi du abonnerer på varsler om Partnerforums seminarserie om samordning.');
    const enCancelled = text(cancelled, 'en');
    expect(enCancelled.subject).toBe('Cancelled: Samordning i statsforvaltningen: Med blanke ark?');
    expect(enCancelled.text).toContain('Unfortunately, it has been cancelled.');
    expect(enCancelled.text).toContain('Sykdom blant innlederne.');
    expect(enCancelled.text).toContain('You are receiving this email because you subscribed to notices about Medfinansieringsordningen.');
    expect(enCancelled.text).not.toContain('Register');
  });

  it('titles the recording email as the source does', () => {
    expect(text(fixture('recording-published')).subject).toBe('Opptak av seminaret: Samordning i statsforvaltningen: Med blanke ark?');
    expect(text(fixture('recording-published')).text).toContain('https://example.no/slides/velkommen.pdf');
  });

  it('says a corrected recording link corrects the one sent before, to registrants and subscribers', () => {
    const registrant = text({ ...fixture('recording-published'), correction: true });
    expect(registrant.subject).toBe('Rettelse: Opptak av seminaret: Samordning i statsforvaltningen: Med blanke ark?');
    expect(registrant.text).toContain('Rettelse: lenken til opptaket vi sendte tidligere, var feil.');
    const subscriber = text({ ...fixture('series-recording-published'), correction: true }, 'en');
    expect(subscriber.subject).toBe('Correction: Recording: Samordning i statsforvaltningen: Med blanke ark?');
    expect(subscriber.text).toContain('Correction: the recording link we sent earlier was wrong.');
    expect(text(fixture('recording-published')).text).not.toContain('Rettelse');
  });

  it('sends a series subscriber the recording with the series named and an unsubscribe link', () => {
    const m = fixture('series-recording-published');
    const nbOut = text(m);
    expect(nbOut.subject).toBe('Opptak av seminaret: Samordning i statsforvaltningen: Med blanke ark?');
    expect(nbOut.text).toContain('Opptaket av «Samordning i statsforvaltningen: Med blanke ark?» i Partnerforums seminarserie om samordning er nå tilgjengelig.');
    expect(nbOut.text).toContain('Du får denne e-posten fordi du abonnerer på varsler om Partnerforums seminarserie om samordning.');
    const enOut = renderEmail(m, 'en');
    expect(enOut.subject).toBe('Recording: Samordning i statsforvaltningen: Med blanke ark?');
    expect(enOut.text).toContain('The recording of “Samordning i statsforvaltningen: Med blanke ark?” in Partnerforums seminarserie om samordning is now available.');
  });

  it('announces a seminar with program, deadline and eligibility', () => {
    const out = text(fixture('seminar-announced'));
    expect(out.subject).toBe('Nytt seminar: Samordning i statsforvaltningen: Med blanke ark?');
    expect(out.text).toContain('Påmeldingen er åpnet for «Samordning i statsforvaltningen: Med blanke ark?» i Partnerforums seminarserie om samordning.');
    expect(out.text).toContain('- 12.30–13.20 Velkommen (Ruth Astrid Sæter, seminarleder)');
    expect(out.text).toContain('Påmeldingsfrist: 1. desember 2026 kl. 15.00');
    expect(out.text).toContain('Deltakelse er forbeholdt ansatte hos partnerne og spesielt inviterte.');
    expect(text({ ...fixture('seminar-announced'), seminar: { ...seminar, kind: 'guidance-session' } }).subject).toMatch(
      /^Ny veiledningssamling: /,
    );
  });

  it('announces a deadline at the end of the day with amount, share and guidance sessions', () => {
    const out = text(fixture('deadline-announced'));
    expect(out.subject).toBe('Søknadsfrist 17. januar 2018: Medfinansieringsordningen');
    expect(out.text).toContain('Søknadsfristen for Medfinansieringsordningen er onsdag 17. januar 2018, innen utgangen av dagen.');
    expect(out.text).toContain('Ramme: 120 millioner kroner');
    expect(out.text).toContain('Støtte: opptil 50 prosent av kostnadene');
    expect(out.text).toContain('- Veiledningssamling, mandag 6. november 2017 kl. 09.00–12.00');
    expect(out.text).toContain('- onsdag 6. desember 2017 kl. 09.00');
    const en = text(fixture('deadline-announced'), 'en');
    expect(en.text).toContain('Wednesday 17 January 2018, end of day (Norwegian time)');
    expect(en.text).toContain('Budget: NOK 120 million');
    expect(en.text).toContain('Funding: up to 50% of the costs');
  });

  it('shows a deadline with a time of day as such', () => {
    const out = text({ kind: 'deadline-reminder', scheme, deadline: '2017-08-21T12:00:00+02:00', daysLeft: 1, unsubscribeUrl: url('u') });
    expect(out.text).toContain('Det er én dag igjen til søknadsfristen');
    expect(out.text).toContain('Søknadsfristen er mandag 21. august 2017 kl. 12.00.');
  });

  it('says a moved deadline was extended', () => {
    const out = text(fixture('deadline-moved'));
    expect(out.text).toContain('Søknadsfristen for Medfinansieringsordningen er utsatt.');
    expect(out.text).toContain('Ny frist: onsdag 24. januar 2018, innen utgangen av dagen');
    expect(out.text).toContain('Tidligere frist: onsdag 17. januar 2018, innen utgangen av dagen');
  });

  it('lists contact persons', () => {
    const out = text(fixture('registration-confirmed'));
    expect(out.text).toContain('Hans Gøran Nilsson, Seniorrådgiver\nTelefon: +47 90 27 17 93\nE-post: hans@example.no');
    expect(out.html).toContain('href="tel:+4790271793"');
  });

  it('signs with the organiser when given', () => {
    const out = text({ ...fixture('registration-confirmed'), organiser: 'Partnerforum' });
    expect(out.text).toContain('Vennlig hilsen\nPartnerforum');
  });

  it('does not link an unsafe URL', () => {
    const out = text({ kind: 'streaming-link', seminar, streamingUrl: 'javascript:alert(1)', cancelUrl: url('c') });
    expect(out.html).not.toContain('href="javascript:');
  });
});

describe('the sketch competition of seed 004: sketches by 21 August, the five best pitch on 15 September', () => {
  const competition: EmailScheme = {
    name: 'Skissekonkurranse for innovasjonspartnerskap',
    budgetNok: 15_000_000,
    url: 'https://example.no/innovasjonspartnerskap',
  };
  const pitchDay: GuidanceSessionInfo = {
    kind: 'pitch',
    title: 'Pitchekonkurranse: de fem beste skissene',
    start: '2017-09-15T09:00:00+02:00',
    end: '2017-09-15T12:00:00+02:00',
    registerUrl: 'https://example.no/seminars/pitch/register',
  };
  const about = { scheme: competition, round: '2017', deadline: endOfDayOslo('2017-08-21'), guidanceSessions: [pitchDay], unsubscribeUrl: url('u') };
  const render = (m: EmailMessage, lang: 'nb' | 'en' = 'nb') => renderEmail(m, lang);

  it('the announcement lists the pitch day as a pitch day, in both languages, never as a guidance session', () => {
    const nb = render({ kind: 'deadline-announced', ...about });
    expect(nb.subject).toBe('Søknadsfrist 21. august 2017: Skissekonkurranse for innovasjonspartnerskap');
    expect(nb.text).toContain('Søknadsfristen for Skissekonkurranse for innovasjonspartnerskap er mandag 21. august 2017, innen utgangen av dagen.');
    expect(nb.text).toContain('PITCHDAG\n\nDe beste prosjektene inviteres til pitchdag:\n\n- Pitchekonkurranse: de fem beste skissene, fredag 15. september 2017 kl. 09.00–12.00');
    expect(nb.text).toContain('Mer om pitchdagen: https://example.no/seminars/pitch/register');
    expect(nb.html).toContain('Pitchdag</h2>');
    expect(nb.text + nb.html).not.toMatch(/veiledning/i);
    const en = render({ kind: 'deadline-announced', ...about }, 'en');
    expect(en.text).toContain('PITCH DAY\n\nThe best projects are invited to a pitch day:\n\n- Pitchekonkurranse: de fem beste skissene, Friday 15 September 2017, 09:00–12:00 (Norwegian time)');
    expect(en.text).toContain('About the pitch day: https://example.no/seminars/pitch/register');
    expect(en.text + en.html).not.toMatch(/guidance/i);
  });

  it('the reminder and the moved-notice name the pitch day too', () => {
    const reminder = render({ kind: 'deadline-reminder', daysLeft: 3, ...about });
    expect(reminder.text).toContain('Det er 3 dager igjen til søknadsfristen for Skissekonkurranse for innovasjonspartnerskap.');
    expect(reminder.text).toContain('De beste prosjektene inviteres til pitchdag:\n\n- Pitchekonkurranse: de fem beste skissene, fredag 15. september 2017');
    expect(reminder.text).not.toMatch(/veiledning/i);
    const moved = render({ kind: 'deadline-moved', ...about, deadline: endOfDayOslo('2017-08-28'), previousDeadline: endOfDayOslo('2017-08-21') }, 'en');
    expect(moved.text).toContain('Pitch day:\n\n- Pitchekonkurranse: de fem beste skissene, Friday 15 September 2017');
    expect(moved.text).not.toMatch(/guidance/i);
  });

  it('a round with guidance sessions and a pitch day lists each under its own heading', () => {
    const guidance: GuidanceSessionInfo = { kind: 'guidance-session', title: 'Informasjonsmøte', start: '2017-08-01T09:00:00+02:00', end: '2017-08-01T10:00:00+02:00' };
    const out = render({ kind: 'deadline-announced', ...about, guidanceSessions: [guidance, pitchDay] });
    const g = out.text.indexOf('VEILEDNINGSSAMLING\n\nVi arrangerer en veiledningssamling for dere som ønsker å søke:\n\n- Informasjonsmøte');
    const pd = out.text.indexOf('PITCHDAG\n\nDe beste prosjektene inviteres til pitchdag:\n\n- Pitchekonkurranse');
    expect(g).toBeGreaterThan(0);
    expect(pd).toBeGreaterThan(g);
  });

  it('the confirm-subscription email promises the pitch day, not guidance sessions; without sessions only deadlines and reminders', () => {
    const confirm = (sessions?: Array<{ kind?: string }>, lang: 'nb' | 'en' = 'nb') =>
      render(
        { kind: 'confirm-subscription', target: { kind: 'scheme', name: competition.name }, sessions, confirmUrl: url('c'), unsubscribeUrl: url('u') },
        lang,
      ).text;
    expect(confirm([pitchDay])).toContain(
      'Du har bedt om å få varsler på e-post om Skissekonkurranse for innovasjonspartnerskap: søknadsfrister, datoen for pitchdagen og påminnelser før fristen.',
    );
    expect(confirm([pitchDay])).not.toMatch(/veiledning/i);
    expect(confirm([pitchDay], 'en')).toContain(
      'You asked to receive email notices about Skissekonkurranse for innovasjonspartnerskap: application deadlines, the date of the pitch day and reminders before the deadline.',
    );
    expect(confirm(undefined)).toContain('Skissekonkurranse for innovasjonspartnerskap: søknadsfrister og påminnelser før fristen.');
    expect(confirm([{ kind: 'guidance-session' }])).toContain(': søknadsfrister, veiledningssamlinger og påminnelser før fristen.');
  });
});

describe('sanitizeSubject', () => {
  it('removes line breaks and control characters', () => {
    expect(sanitizeSubject('A\r\nB\nC\tD\u2028E  F')).toBe('A B C D E F');
  });
});

describe('html helpers', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('allows only http(s), mailto and tel links', () => {
    expect(safeHref('https://example.no/a?b=1&c=2')).toBe('https://example.no/a?b=1&amp;c=2');
    expect(safeHref('mailto:a@example.no')).toBe('mailto:a@example.no');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,x')).toBeUndefined();
    expect(safeHref('/relative')).toBeUndefined();
    expect(safeHref(undefined)).toBeUndefined();
  });
});

const pick = (lang: 'nb' | 'en', nbText: string, enText: string) => (lang === 'nb' ? nbText : enText);

describe('the refusal by the invitation list', () => {
  const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);

  it('says politely, in Norwegian and English, that the seminar is by invitation and whom to contact', () => {
    const nbOut = renderEmail(fixture('registration-refused'), 'nb');
    expect(nbOut.subject).toBe('Om påmeldingen din: Samordning i statsforvaltningen: Med blanke ark?');
    expect(nbOut.text).toContain('Seminaret er kun for inviterte, og denne e-postadressen står ikke på invitasjonslisten.');
    expect(nbOut.text).toContain('ta kontakt med arrangøren:');
    expect(nbOut.text).toContain('Hans Gøran Nilsson, Seniorrådgiver');
    expect(nbOut.text).toContain('Vennlig hilsen\nPartnerforum');
    const enOut = renderEmail(fixture('registration-refused'), 'en');
    expect(enOut.subject).toBe('About your registration: Samordning i statsforvaltningen: Med blanke ark?');
    expect(enOut.text).toContain('The seminar is by invitation only, and this email address is not on the invitation list.');
    expect(enOut.text).toContain('please contact the organiser:');
    expect(enOut.html).toContain('<html lang="en">');
    // Without contacts on the seminar: the organiser by name.
    expect(renderEmail(fixture('registration-refused', 1), 'nb').text).toContain('ta kontakt med arrangøren, Partnerforum.');
    expect(renderEmail(fixture('registration-refused', 1), 'en').text).toContain('please contact the organiser, Partnerforum.');
  });

  it('carries no confirm or cancel link: every link is the seminar page or a contact', () => {
    for (const lang of ['nb', 'en'] as const) {
      const out = renderEmail(fixture('registration-refused'), lang);
      const links = hrefs(out.html);
      expect(links).toContain(escapeHtml(url('seminar')));
      for (const l of links) expect(l === escapeHtml(url('seminar')) || /^(tel|mailto):/.test(l), l).toBe(true);
      expect(out.text).not.toMatch(/confirm|bekreft/i);
      expect(optOutUrl(fixture('registration-refused'))).toBe(url('seminar'));
    }
  });
});

describe('the cancellation receipt', () => {
  const receipt = (o: Record<string, unknown> = {}) =>
    ({ kind: 'registration-cancelled', name: NAME, seminar, registerUrl: url('register'), registrationOpen: true, calendarAttached: true, ...o }) as EmailMessage;
  const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);

  it('confirms the cancellation in Norwegian and English, says the attachment removes the event, and offers to register again', () => {
    const nbOut = renderEmail(receipt(), 'nb');
    expect(nbOut.subject).toBe('Du er meldt av: Samordning i statsforvaltningen: Med blanke ark?');
    expect(nbOut.text).toContain('Vi bekrefter at du har meldt deg av «Samordning i statsforvaltningen: Med blanke ark?». Takk for at du sa fra.');
    expect(nbOut.text).toContain('Tid: fredag 4. desember 2026 kl. 12.00–16.00');
    expect(nbOut.text).toContain('Vedlagt ligger en kalenderoppdatering som fjerner avtalen.');
    expect(nbOut.text).toContain(`Meld deg på igjen:\n${url('register')}`);
    const enOut = renderEmail(receipt(), 'en');
    expect(enOut.subject).toBe('Registration cancelled: Samordning i statsforvaltningen: Med blanke ark?');
    expect(enOut.text).toContain('We confirm that you have cancelled your registration for “Samordning i statsforvaltningen: Med blanke ark?”.');
    expect(enOut.text).toContain('The attached calendar update removes the event.');
    expect(enOut.text).toContain(`Register again:\n${url('register')}`);
    expect(enOut.html).toContain('<html lang="en">');
  });

  it('carries no cancel link: every link is the registration page or a contact', () => {
    for (const lang of ['nb', 'en'] as const) {
      const out = renderEmail(receipt(), lang);
      const links = hrefs(out.html);
      expect(links).toContain(escapeHtml(url('register')));
      for (const l of links) expect(l === escapeHtml(url('register')) || /^(tel|mailto):/.test(l), l).toBe(true);
      expect(out.text).not.toContain('/cancel');
      expect(out.text).not.toContain(pick(lang, 'Meld deg av', 'Cancel your registration'));
    }
  });

  it('offers no new registration once registration has closed, and mentions no calendar update without an invite', () => {
    const out = renderEmail(receipt({ registrationOpen: false, calendarAttached: false }), 'nb');
    expect(out.text).not.toContain('Meld deg på igjen');
    expect(out.text).not.toContain('kalenderoppdatering');
    // It still ends with the event's page (nothing to cancel or unsubscribe from).
    expect(out.text.trimEnd().endsWith(url('register'))).toBe(true);
    expect(renderEmail(receipt({ registrationOpen: false }), 'en').text).not.toContain('Register again');
  });

  it('is signed by the organiser', () => {
    expect(renderEmail(receipt({ organiser: 'Partnerforum' }), 'nb').text).toContain('Vennlig hilsen\nPartnerforum\n\n-- ');
    expect(renderEmail(receipt({ organiser: 'Partnerforum' }), 'en').text).toContain('Kind regards\nPartnerforum\n\n-- ');
  });
});

describe('wording: each thing said once, and the same words for the same thing', () => {
  const registrantMessages = messages.map(([m]) => m).filter((m) => 'cancelUrl' in m);

  it('gives the streaming link once: the button, no lead-in that says the same', () => {
    const confirmed: EmailMessage = { kind: 'registration-confirmed', name: NAME, seminar, outcome: { kind: 'digital', streamingUrl: url('stream') }, cancelUrl: url('c') };
    const reminder: EmailMessage = { kind: 'seminar-reminder', name: NAME, seminar, attendance: 'digital', streamingUrl: url('stream'), cancelUrl: url('c') };
    const link: EmailMessage = { kind: 'streaming-link', name: NAME, seminar, streamingUrl: url('stream'), cancelUrl: url('c') };
    for (const m of [confirmed, reminder, link]) {
      const nbText = renderEmail(m, 'nb').text;
      expect(nbText).not.toContain('Her er lenken til strømmingen');
      expect(nbText).not.toContain('via lenken under');
      expect(nbText.match(/Se strømmingen/g)).toHaveLength(1);
      expect(nbText).toContain(`Se strømmingen:\n${url('stream')}`);
      const enText = renderEmail(m, 'en').text;
      expect(enText).not.toContain('Here is the link to the livestream');
      expect(enText).not.toContain('using the link below');
      expect(enText.match(/Watch the livestream/g)).toHaveLength(1);
    }
    expect(renderEmail(link, 'nb').text).toContain('Du kan følge seminaret digitalt.');
  });

  it('says "påmeldt for å delta digitalt", never "påmeldt digital deltakelse"', () => {
    const digital: EmailMessage[] = [
      { kind: 'registration-confirmed', seminar, outcome: { kind: 'digital' }, cancelUrl: url('c') },
      { kind: 'registration-confirmed', seminar, outcome: { kind: 'digital', because: 'full' }, cancelUrl: url('c') },
      { kind: 'registration-confirmed', seminar, outcome: { kind: 'waitlisted', position: 2, online: true }, cancelUrl: url('c') },
      { kind: 'already-registered', seminar, attendance: 'digital', cancelUrl: url('c') },
      { kind: 'confirm-registration', seminar, mode: 'digital', confirmUrl: url('confirm'), cancelUrl: url('c') },
    ];
    for (const m of [...digital, ...registrantMessages]) {
      const out = renderEmail(m, 'nb');
      expect(out.text).not.toMatch(/påmeldt digital deltakelse|meldt deg på digital deltakelse/);
      expect(out.html).not.toContain('digital deltakelse.');
    }
    expect(renderEmail(digital[0], 'nb').subject).toBe('Påmeldingen er bekreftet: Samordning i statsforvaltningen: Med blanke ark?');
    expect(renderEmail(digital[0], 'nb').html).toContain('>Du er påmeldt for å delta digitalt</h1>');
    expect(renderEmail(digital[1], 'nb').text).toContain('Arrangementet er fulltegnet for fysisk deltakelse, så du er påmeldt for å delta digitalt.');
    expect(renderEmail(digital[2], 'nb').text).toContain('I mellomtiden er du påmeldt for å delta digitalt.');
    expect(renderEmail(digital[3], 'nb').text).toContain('Du er påmeldt for å delta digitalt.');
    expect(renderEmail(digital[4], 'nb').text).toContain('Du har meldt deg på for å delta digitalt.');
  });

  it('words cancelling one way: "Meld deg av" / "Cancel your registration", in every email with a cancel link', () => {
    const cancelling = registrantMessages.filter((m) => m.kind !== 'seminar-cancelled' && m.kind !== 'recording-published'); // those stop emails
    expect(cancelling.map((m) => m.kind)).toContain('confirm-registration');
    for (const m of cancelling) {
      const cancelUrl = escapeHtml((m as { cancelUrl: string }).cancelUrl);
      expect(renderEmail(m, 'nb').html, m.kind).toContain(`<a href="${cancelUrl}" style="color:#0b5394;text-decoration:underline;">Meld deg av</a>`);
      expect(renderEmail(m, 'en').html, m.kind).toContain(`<a href="${cancelUrl}" style="color:#0b5394;text-decoration:underline;">Cancel your registration</a>`);
    }
    for (const [m] of messages) {
      for (const lang of ['nb', 'en'] as const) {
        const out = renderEmail(m, lang);
        expect(out.text + out.html, `${m.kind} [${lang}]`).not.toMatch(/Trekk påmeldingen|trekke påmeldingen|Withdraw|withdraw|avmeld/);
      }
    }
    expect(renderEmail(fixture('confirm-registration'), 'nb').text).toContain('Vil du melde deg av, bruk denne lenken:');
    expect(renderEmail(fixture('confirm-registration'), 'en').text).toContain('To cancel your registration, use this link:');
  });

  it('signs every registration email with the organiser when given, as the scheme emails are', () => {
    for (const m of [...registrantMessages, fixture('registration-cancelled')]) {
      const signed = { ...m, organiser: 'Partnerforum' } as EmailMessage;
      expect(renderEmail(signed, 'nb').text, m.kind).toContain('Vennlig hilsen\nPartnerforum\n\n-- ');
      expect(renderEmail(signed, 'en').html, m.kind).toContain('Kind regards<br>Partnerforum</p>');
    }
  });
});
