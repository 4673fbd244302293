/** The server-rendered pages: escaping, labels and ARIA, nb/en, and what each registration page says. */
import { describe, expect, it } from 'vitest';
import type { Registration, Seminar } from '../../shared/domain/model.js';
import { registrationState } from '../../shared/domain/seminar-rules.js';
import {
  button,
  checkbox,
  errorSummary,
  facts,
  fieldId,
  form,
  htmlResponse,
  linkButton,
  notice,
  page,
  paragraph,
  pickLang,
  radioGroup,
  seeOther,
  textField,
  withLang,
} from '../../shared/pages/layout.js';
import { cancelPage, cancelledPage, confirmedPage, confirmPage, linkProblemPage, registerPage, seminarNotFoundPage } from '../../shared/pages/registration.js';
import { seriesNotFoundPage, seriesSubscribePage } from '../../shared/pages/series.js';

const EVIL = `<script>alert("x")</script> & 'quoted'`;
const EVIL_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;';

const seminar = (o: Partial<Seminar> = {}): Seminar => ({
  id: 'sem123',
  title: 'Frokostseminar: Bedre styring og ledelse',
  description: 'Seks råd om samordning.\n\nVelkommen!',
  kind: 'breakfast-seminar',
  // 17 March 2027, 08:30–10:00 Oslo (CET, +01:00)
  start: '2027-03-17T07:30:00.000Z',
  end: '2027-03-17T09:00:00.000Z',
  doorsOpen: '08:00',
  venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' },
  program: [{ start: '08:30', end: '09:00', title: 'Velkommen', speakers: [{ name: 'Ruth Astrid Sæter', title: 'seminarleder' }] }],
  speakers: [{ name: 'Kåre Svensson', organisation: 'Partnerforum/UiO' }],
  contacts: [{ name: 'Kari Kontakt', title: 'rådgiver', phone: '+47 22 00 00 00', email: 'kari@example.no' }],
  capacity: 150,
  livestream: true,
  physicalOpen: true,
  digitalOpen: true,
  eligibility: { kind: 'open' },
  doubleOptIn: true,
  reminderOffsetsMinutes: [1440],
  streamingLinkOffsetMinutes: 120,
  streamingUrl: 'https://example.no/secret-stream',
  language: 'nb',
  status: 'scheduled',
  seatsTaken: 10,
  sequence: 0,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  ...o,
});

const registration = (o: Partial<Registration> = {}): Registration => ({
  id: 'reg1',
  seminarId: 'sem123',
  email: 'ase@example.no',
  name: `Åse Ødegård-O'Brien`,
  organisation: 'Universitetet i Tromsø',
  requestedMode: 'physical',
  digitalIfFull: true,
  joinWaitlist: false,
  language: 'nb',
  status: 'pending',
  submittedAt: '2026-11-20T10:00:00.000Z',
  ...o,
});

const BEFORE = new Date('2027-03-01T12:00:00Z');

describe('layout', () => {
  it('makes a full HTML5 document with lang, viewport, escaped title, skip link, focus styles and a language switch', () => {
    const html = page({ lang: 'nb', title: EVIL, body: '<p>x</p>', switchHref: withLang('/seminars/a/register', {}, 'en') });
    expect(html.startsWith('<!doctype html>\n<html lang="nb">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain(`<title>${EVIL_ESCAPED}</title>`);
    expect(html).toContain(`<h1>${EVIL_ESCAPED}</h1>`);
    expect(html).not.toContain('<script>');
    expect(html).toContain('<a class="skip" href="#main">Hopp til innholdet</a>');
    expect(html).toContain(':focus-visible{outline:3px solid');
    expect(html).toContain('<a href="/seminars/a/register?lang=en" hreflang="en" lang="en">English</a>');
    const en = page({ lang: 'en', title: 'T', body: '', switchHref: '/x?lang=nb' });
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Skip to content');
    expect(en).toContain('lang="nb">Norsk (bokmål)</a>');
  });

  it('picks the language: en on request, nb otherwise', () => {
    expect(pickLang('en')).toBe('en');
    expect(pickLang(' EN ')).toBe('en');
    expect(pickLang('nb')).toBe('nb');
    expect(pickLang('de')).toBe('nb');
    expect(pickLang(undefined)).toBe('nb');
    expect(pickLang(['en'])).toBe('nb');
  });

  it('text fields: a label for the input, escaped value, and the error next to it with aria-invalid and aria-describedby', () => {
    const ok = textField({ lang: 'nb', name: 'name', label: 'Navn', value: EVIL, required: true, autocomplete: 'name' });
    expect(ok).toContain(`<label for="${fieldId('name')}">Navn</label>`);
    expect(ok).toContain(`id="field-name" name="name" value="${EVIL_ESCAPED}"`);
    expect(ok).toContain('required aria-required="true"');
    expect(ok).not.toContain('aria-invalid');
    const bad = textField({ lang: 'en', name: 'email', type: 'email', label: 'Email', hint: 'We send a link', value: 'x', error: `Bad <address>` });
    expect(bad).toContain('type="email"');
    expect(bad).toContain('aria-invalid="true" aria-describedby="field-email-hint field-email-error"');
    expect(bad).toContain('<span class="hint" id="field-email-hint">We send a link</span>');
    expect(bad).toContain('<span class="error-text" id="field-email-error"><span class="visually-hidden">Error: </span>Bad &lt;address&gt;</span>');
    expect(bad.indexOf('error-text')).toBeLessThan(bad.indexOf('<input'));
  });

  it('radio groups: a fieldset with a legend, labelled options, the checked and disabled ones, the error linked', () => {
    const html = radioGroup({
      lang: 'nb',
      name: 'mode',
      legend: 'Hvordan vil du delta?',
      options: [
        { value: 'physical', label: 'Fysisk', hint: 'Stengt', disabled: true },
        { value: 'digital', label: `Digitalt "<b>"` },
      ],
      value: 'digital',
      error: 'Velg en',
    });
    expect(html).toMatch(/^<fieldset class="field invalid" aria-describedby="field-mode-error" aria-invalid="true"><legend>Hvordan vil du delta\?<\/legend>/);
    expect(html).toContain('<input type="radio" id="field-mode" name="mode" value="physical" disabled aria-describedby="field-mode-hint">');
    expect(html).toContain('<label for="field-mode">Fysisk</label>');
    expect(html).toContain('<input type="radio" id="field-mode-2" name="mode" value="digital" checked>');
    expect(html).toContain('<label for="field-mode-2">Digitalt &quot;&lt;b&gt;&quot;</label>');
    expect(html).toContain('Feil: </span>Velg en');
  });

  it('checkboxes, hidden fields, buttons, notices, facts and forms escape what they show', () => {
    expect(checkbox({ lang: 'nb', name: 'joinWaitlist', label: 'Venteliste <ja>', checked: true })).toContain(
      '<input type="checkbox" id="field-joinWaitlist" name="joinWaitlist" value="true" checked><div><label for="field-joinWaitlist">Venteliste &lt;ja&gt;</label>',
    );
    expect(checkbox({ lang: 'nb', name: 'x', label: 'X' })).not.toContain('checked');
    expect(button(`Send "it"`)).toBe('<button type="submit">Send &quot;it&quot;</button>');
    expect(button('Meld av', { variant: 'danger' })).toBe('<button type="submit" class="danger">Meld av</button>');
    expect(notice('error', paragraph(EVIL))).toBe(`<div class="notice error" role="alert"><p>${EVIL_ESCAPED}</p></div>`);
    expect(facts([['Navn', EVIL], ['Tom', undefined], ['Tom2', '']])).toBe(`<dl class="facts"><dt>Navn</dt><dd>${EVIL_ESCAPED}</dd></dl>`);
    expect(form({ action: '/a?b=1&c=2', body: '<x>' })).toBe('<form action="/a?b=1&amp;c=2" method="post" accept-charset="utf-8" novalidate><x></form>');
    expect(form({ action: 'https://evil.example/steal', body: '' })).toContain('action="/"');
    expect(form({ action: '//evil.example/steal', body: '' })).toContain('action="/"');
    expect(linkButton('Gå', 'javascript:alert(1)')).toBe('');
    expect(linkButton('Gå', '/seminars/a/register?lang=en')).toBe('<a class="button" href="/seminars/a/register?lang=en">Gå</a>');
  });

  it('an error summary at the top links each error to its field', () => {
    expect(errorSummary('nb', [])).toBe('');
    const html = errorSummary('en', [
      { field: 'email', message: 'Enter a valid <email>' },
      { field: '', message: 'Registration is closed.' },
    ]);
    expect(html).toContain('role="alert"');
    expect(html).toContain('<h2 id="error-summary-title">There is a problem</h2>');
    expect(html).toContain('<li><a href="#field-email">Enter a valid &lt;email&gt;</a></li>');
    expect(html).toContain('<li>Registration is closed.</li>');
    expect(errorSummary('nb', [{ field: 'name', message: 'x' }])).toContain('Det er noe som må rettes');
  });

  it('language links keep other parameters and stay on the site; responses carry the page headers', () => {
    expect(withLang('/registrations/confirm', { token: 'a.b', lang: 'nb' }, 'en')).toBe('/registrations/confirm?token=a.b&lang=en');
    expect(withLang('https://evil.example/', {}, 'nb')).toBe('/?lang=nb');
    expect(withLang('//evil.example/', {}, 'nb')).toBe('/?lang=nb');
    const res = htmlResponse(400, '<!doctype html>');
    expect(res.statusCode).toBe(400);
    expect(res.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    expect(String(res.headers?.['content-security-policy'])).toContain("default-src 'none'");
    expect(seeOther('/seminars/a/register?sent=1')).toMatchObject({ statusCode: 303, headers: { location: '/seminars/a/register?sent=1' } });
    expect(seeOther('https://evil.example').headers?.location).toBe('/');
  });
});

describe('the registration page', () => {
  it('in Norwegian: title, Oslo time, venue, breakfast, program, speakers, seats, open modes and the form', () => {
    const s = seminar();
    const html = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE) });
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('<h1>Frokostseminar: Bedre styring og ledelse</h1>');
    expect(html).toContain('onsdag 17. mars 2027 kl. 08.30–10.00');
    expect(html).toContain('<dd>Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1</dd>');
    expect(html).toContain('<dt>Frokost</dt><dd>fra kl. 08.00</dd>');
    expect(html).toContain('<span class="time">08.30–09.00</span>Velkommen');
    expect(html).toContain('Ruth Astrid Sæter, seminarleder');
    expect(html).toContain('Kåre Svensson, Partnerforum/UiO');
    expect(html).toContain('<dd>140 av 150</dd>');
    expect(html).toContain('<dd>Fysisk og digitalt (strømming)</dd>');
    expect(html).toContain('<p>Seks råd om samordning.</p><p>Velkommen!</p>');
    expect(html).toContain('<label for="field-name">Navn</label>');
    expect(html).toContain('<label for="field-email">E-postadresse</label>');
    expect(html).toContain('<legend>Hvordan vil du delta?</legend>');
    expect(html).toContain('Delta digitalt hvis det ikke er flere ledige plasser i salen');
    expect(html).toContain('Sett meg på venteliste hvis salen er full');
    expect(html).toContain('<button type="submit">Meld meg på</button>');
    expect(html).toContain('<form action="/seminars/sem123/registrations?lang=nb" method="post"');
    expect(html).toContain('<a href="mailto:kari@example.no">kari@example.no</a>');
    expect(html).not.toContain('secret-stream');
  });

  it('in English', () => {
    const s = seminar();
    const html = registerPage({ lang: 'en', seminar: s, state: registrationState(s, BEFORE) });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Wednesday 17 March 2027, 08:30–10:00 (Norwegian time)');
    expect(html).toContain('<dt>Breakfast</dt><dd>from 08:00</dd>');
    expect(html).toContain('<dd>140 of 150</dd>');
    expect(html).toContain('<label for="field-email">Email address</label>');
    expect(html).toContain('Attend online if no seat is left');
    expect(html).toContain('Put me on the waiting list if the venue is full');
    expect(html).toContain('<input type="hidden" name="language" value="en">');
    expect(html).toContain('href="/seminars/sem123/register?lang=nb"');
  });

  it('escapes HTML in the seminar and in the values sent back, and keeps æøå, accents and apostrophes', () => {
    const s = seminar({ title: `Seminar <img src=x onerror=alert(1)>`, description: EVIL, venue: { name: EVIL } });
    const html = registerPage({
      lang: 'nb',
      seminar: s,
      state: registrationState(s, BEFORE),
      values: { name: `Åse Ødegård-O'Brien <b>Adélie</b>`, email: 'a"@x', organisation: 'Tromsø & Co' },
      errors: [{ field: 'email', message: 'Skriv inn en gyldig e-postadresse.' }],
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Seminar &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('value="Åse Ødegård-O&#39;Brien &lt;b&gt;Adélie&lt;/b&gt;"');
    expect(html).toContain('value="a&quot;@x"');
    expect(html).toContain('value="Tromsø &amp; Co"');
    expect(html).toContain('<a href="#field-email">Skriv inn en gyldig e-postadresse.</a>');
    expect(html.indexOf('error-summary')).toBeLessThan(html.indexOf('<form'));
  });

  it('past the physical deadline: says digital only, disables physical and selects digital', () => {
    const s = seminar({ physicalDeadline: '2027-03-14T14:00:00.000Z' });
    const html = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, new Date('2027-03-15T10:00:00Z')) });
    expect(html).toContain('Det er ikke lenger mulig å melde seg på for fysisk deltakelse, du kan kun delta digitalt.');
    expect(html).toContain('name="mode" value="physical" disabled');
    expect(html).toContain('name="mode" value="digital" checked');
    expect(html).not.toContain('name="joinWaitlist"');
    expect(html).toContain('<dd>Digitalt (strømming)</dd>');
    expect(html).toContain('<dt>Påmeldingsfrist, fysisk</dt><dd>søndag 14. mars 2027 kl. 15.00</dd>');
  });

  it('fully booked: physical stays selectable with the waitlist; closed: no form', () => {
    const full = seminar({ seatsTaken: 150 });
    const html = registerPage({ lang: 'en', seminar: full, state: registrationState(full, BEFORE) });
    expect(html).toContain('<dd>None – fully booked</dd>');
    expect(html).toContain('The event is fully booked for in-person attendance.');
    expect(html).toMatch(/name="mode" value="physical"(?! disabled)/);
    expect(html).toContain('name="joinWaitlist"');
    const over = seminar();
    const closed = registerPage({ lang: 'nb', seminar: over, state: registrationState(over, new Date('2027-03-18T10:00:00Z')) });
    expect(closed).toContain('Påmeldingen er stengt.');
    expect(closed).not.toContain('<form');
  });

  it('after posting: "check your email", in either language', () => {
    const s = seminar();
    expect(registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE), sent: true })).toContain('<h1>Sjekk e-posten din</h1>');
    const en = registerPage({ lang: 'en', seminar: s, state: registrationState(s, BEFORE), sent: true });
    expect(en).toContain('<h1>Check your email</h1>');
    expect(en).toContain('href="/seminars/sem123/register?sent=1&amp;lang=nb"');
  });

  it('a restricted seminar states its rule', () => {
    const s = seminar({ eligibility: { kind: 'restricted', domains: ['dfo.no'], invited: [], description: { nb: 'Forbeholdt <partnerne>.', en: 'Partners only.' } } });
    expect(registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE) })).toContain('<p>Forbeholdt &lt;partnerne&gt;.</p>');
    expect(registerPage({ lang: 'en', seminar: s, state: registrationState(s, BEFORE) })).toContain('<p>Partners only.</p>');
  });
});

describe('the series form on the registration page', () => {
  const inSeries = () => seminar({ seriesId: 'partnerforum-samordning', seriesTitle: 'Partnerforums seminarserie' });
  const series = { id: 'partnerforum-samordning', name: `Partnerforums <seminarserie> & 'co'` };

  it('offers the series in nb and en, with its own form, field id and hidden seminar id', () => {
    const s = inSeries();
    const nb = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE), series });
    expect(nb).toContain('<section aria-labelledby="subscribe-series"><h2 id="subscribe-series">Få varsel om nye seminarer i serien</h2>');
    expect(nb).toContain('Vi sender deg en e-post når det kommer et nytt seminar i Partnerforums &lt;seminarserie&gt; &amp; &#39;co&#39;,');
    expect(nb).toContain('<form action="/series/partnerforum-samordning/subscriptions?lang=nb" method="post"');
    expect(nb).toContain('<input type="hidden" name="seminarId" value="sem123">');
    expect(nb).toContain('<label for="field-series-email">E-postadresse</label><input type="email" id="field-series-email" name="email"');
    expect(nb).toContain('<button type="submit">Abonner</button>');
    expect(nb.match(/id="field-email"/g)).toHaveLength(1); // the registration form's field keeps its own id
    expect(nb.indexOf('subscribe-series')).toBeGreaterThan(nb.indexOf('/registrations?lang=nb'));
    const en = registerPage({ lang: 'en', seminar: s, state: registrationState(s, BEFORE), series });
    expect(en).toContain('<h2 id="subscribe-series">Get notified of new seminars in this series</h2>');
    expect(en).toContain('<form action="/series/partnerforum-samordning/subscriptions?lang=en" method="post"');
    expect(en).toContain('<button type="submit">Subscribe</button>');
  });

  it('shows no series form without a series, and stays when registration has closed', () => {
    const s = seminar();
    expect(registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE) })).not.toContain('subscribe-series');
    const over = inSeries();
    const closed = registerPage({ lang: 'nb', seminar: over, state: registrationState(over, new Date('2027-03-18T10:00:00Z')), series });
    expect(closed).toContain('Påmeldingen er stengt.');
    expect(closed).toContain('action="/series/partnerforum-samordning/subscriptions?lang=nb"');
  });

  it('shows its error next to its field with the value typed, and "check your email" after a post', () => {
    const s = inSeries();
    const bad = registerPage({
      lang: 'en',
      seminar: s,
      state: registrationState(s, BEFORE),
      series: { ...series, email: 'a"@x', errors: [{ field: 'series-email', message: 'Enter a valid email address.' }] },
    });
    expect(bad).toContain('<a href="#field-series-email">Enter a valid email address.</a>');
    expect(bad).toContain('value="a&quot;@x"');
    expect(bad).toContain('aria-invalid="true" aria-describedby="field-series-email-error"');
    expect(bad).toContain('<span class="error-text" id="field-series-email-error">');
    const sent = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE), series: { ...series, sent: true } });
    expect(sent).toContain('Sjekk e-posten din.');
    expect(sent).not.toContain('action="/series/');
  });

  it('has a page of its own for a post from elsewhere, and for an unknown series', () => {
    const own = seriesSubscribePage('en', { ...series, sent: true });
    expect(own).toContain('<h1>Check your email</h1>');
    expect(own).toContain('Partnerforums &lt;seminarserie&gt; &amp; &#39;co&#39;');
    const form = seriesSubscribePage('nb', series);
    expect(form).toContain('<h1>Få varsel om nye seminarer i serien</h1>');
    expect(form).not.toContain('name="seminarId"');
    expect(seriesNotFoundPage('en')).toContain('<h1>Series not found</h1>');
  });
});

describe('confirm and cancel pages', () => {
  const evilName = registration({ name: `Åse <b>Ødegård</b> "O'Brien"`, organisation: EVIL });

  it('the confirm page is a button with the token in a hidden field; names are escaped', () => {
    const html = confirmPage({ lang: 'nb', seminar: seminar(), registration: evilName, token: 'abc.def' });
    expect(html).toContain('<h1>Bekreft påmeldingen</h1>');
    expect(html).toContain('<dd>Åse &lt;b&gt;Ødegård&lt;/b&gt; &quot;O&#39;Brien&quot;</dd>');
    expect(html).toContain(`<dd>${EVIL_ESCAPED}</dd>`);
    expect(html).toContain('<form action="/registrations/confirm" method="post"');
    expect(html).toContain('<input type="hidden" name="token" value="abc.def">');
    expect(html).toContain('<button type="submit">Bekreft påmeldingen</button>');
    expect(html).toContain('href="/registrations/confirm?token=abc.def&amp;lang=en"');
    const en = confirmPage({ lang: 'en', seminar: seminar(), registration: registration(), token: 't.u' });
    expect(en).toContain('<button type="submit">Confirm registration</button>');
  });

  it('an already confirmed or cancelled registration shows its state, not a button', () => {
    const confirmed = confirmPage({ lang: 'nb', seminar: seminar(), registration: registration({ status: 'confirmed', attendance: 'waitlisted' }), token: 't.u', position: 4 });
    expect(confirmed).toContain('Påmeldingen din er allerede bekreftet.');
    expect(confirmed).toContain('du står som nummer 4 på ventelisten');
    expect(confirmed).not.toContain('<button');
    const cancelled = confirmPage({ lang: 'en', seminar: seminar(), registration: registration({ status: 'cancelled' }), token: 't.u' });
    expect(cancelled).toContain('This registration has been cancelled.');
    expect(cancelled).toContain('href="/seminars/sem123/register?lang=en"');
  });

  it('each outcome in both languages', () => {
    const s = seminar();
    const cases: Array<[Parameters<typeof confirmedPage>[0]['view'], string, string]> = [
      [{ outcome: 'physical' }, 'Du har plass i salen.', 'You have a seat at the venue.'],
      [{ outcome: 'digital' }, 'Du er påmeldt digital deltakelse.', 'You are registered to attend online.'],
      [{ outcome: 'digital', because: 'full' }, 'Det var ingen ledige plasser igjen i salen', 'No seats were left at the venue'],
      [{ outcome: 'waitlisted', position: 3 }, 'du står som nummer 3 på ventelisten', 'you are number 3 on the waiting list'],
      [{ outcome: 'full' }, 'Du er ikke påmeldt.', 'You are not registered.'],
      [{ outcome: 'seminar-cancelled' }, 'er avlyst', 'has been cancelled'],
    ];
    for (const [view, nb, en] of cases) {
      expect(confirmedPage({ lang: 'nb', seminar: s, view })).toContain(nb);
      expect(confirmedPage({ lang: 'en', seminar: s, view })).toContain(en);
    }
    const withCancel = confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'physical' }, cancelHref: '/registrations/cancel?token=a.b&lang=nb' });
    expect(withCancel).toContain('<a href="/registrations/cancel?token=a.b&amp;lang=nb">Meld deg av</a>');
  });

  it('the cancel page is a button; the result says what happened', () => {
    const html = cancelPage({ lang: 'nb', seminar: seminar(), registration: registration({ status: 'confirmed', attendance: 'physical', name: EVIL }), token: 'x.y' });
    expect(html).toContain(`<dd>${EVIL_ESCAPED}</dd>`);
    expect(html).toContain('Plassen din går videre til den første på ventelisten.');
    expect(html).toContain('<button type="submit" class="danger">Meld meg av</button>');
    expect(cancelPage({ lang: 'en', seminar: seminar(), registration: registration({ status: 'cancelled' }), token: 'x.y' })).toContain('You have already cancelled');
    expect(cancelledPage('nb', seminar(), false)).toContain('Du er meldt av');
    expect(cancelledPage('en', seminar(), true)).toContain('was already cancelled');
  });

  it('a link that does not work gets a clear page in the chosen language', () => {
    expect(linkProblemPage('nb', 'bad-signature')).toContain('Lenken er ufullstendig eller endret.');
    expect(linkProblemPage('en', 'malformed')).toContain('<h1>This link does not work</h1>');
    expect(linkProblemPage('nb', 'expired')).toContain('Lenken er utløpt.');
    expect(linkProblemPage('en', 'not-found')).toContain('We cannot find the registration');
    expect(seminarNotFoundPage('en')).toContain('Event not found');
  });
});
