/** The server-rendered pages: escaping, labels and ARIA, nb/en, and what each registration page says. */
import { describe, expect, it } from 'vitest';
import type { Registration } from '../../shared/domain/model.js';
import { seminarRecord as seminar } from '../support/records.js';
import { registrationState } from '../../shared/domain/registration-lifecycle.js';
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
import { schemePage, schemesPage, subscriptionConfirmedPage, type SchemeView } from '../../shared/pages/schemes.js';
import { parseDeadline, type Deadline, type Scheme } from '../../shared/domain/funding.js';
import { seminarsPage } from '../../shared/pages/seminars.js';

const EVIL = `<script>alert("x")</script> & 'quoted'`;
const EVIL_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;';

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
    const shut = seminar({ physicalOpen: false, digitalOpen: false });
    const closed = registerPage({ lang: 'nb', seminar: shut, state: registrationState(shut, BEFORE) });
    expect(closed).toContain('Påmeldingen er stengt.');
    expect(closed).not.toContain('<form');
  });

  it('seats are shown only while on offer: not when physical registration has closed or its deadline passed', () => {
    const closedPhysical = seminar({ physicalOpen: false, seatsTaken: 0, capacity: 100 });
    const nb = registerPage({ lang: 'nb', seminar: closedPhysical, state: registrationState(closedPhysical, BEFORE) });
    expect(nb).not.toContain('Ledige plasser i salen');
    expect(nb).not.toContain('100 av 100');
    expect(nb).toContain('<dt>Påmelding åpen for</dt><dd>Digitalt (strømming)</dd>');
    const late = seminar({ physicalDeadline: '2027-03-14T14:00:00.000Z', seatsTaken: 0, capacity: 100 });
    const en = registerPage({ lang: 'en', seminar: late, state: registrationState(late, new Date('2027-03-15T10:00:00Z')) });
    expect(en).not.toContain('Seats left');
    expect(en).not.toContain('100 of 100');
    expect(en).toContain('<dt>Registration open for</dt><dd>Online (livestream)</dd>');
    // Still open: the row is there.
    const open = seminar({ seatsTaken: 0, capacity: 100 });
    expect(registerPage({ lang: 'nb', seminar: open, state: registrationState(open, BEFORE) })).toContain('<dt>Ledige plasser i salen</dt><dd>100 av 100</dd>');
  });

  it('"open for" comes from the lifecycle: the waiting list when seats are full, in person only or with online', () => {
    const fullInPersonOnly = seminar({ livestream: false, seatsTaken: 150 });
    const nb = registerPage({ lang: 'nb', seminar: fullInPersonOnly, state: registrationState(fullInPersonOnly, BEFORE) });
    expect(nb).toContain('<dt>Påmelding åpen for</dt><dd>Venteliste for plass i salen</dd>');
    expect(nb).toContain('<dt>Ledige plasser i salen</dt><dd>Ingen – fulltegnet</dd>');
    expect(nb).not.toContain('Påmeldingen er stengt');
    expect(nb).toMatch(/name="mode" value="physical"(?! disabled)/);
    expect(nb).toContain('name="joinWaitlist"');
    const full = seminar({ seatsTaken: 150 });
    const en = registerPage({ lang: 'en', seminar: full, state: registrationState(full, BEFORE) });
    expect(en).toContain('<dt>Registration open for</dt><dd>Waiting list for a seat and online (livestream)</dd>');
  });

  it('while running: says it has started, and offers online registration if the lifecycle keeps it open', () => {
    const s = seminar();
    const during = new Date('2027-03-17T08:00:00Z');
    const nb = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, during) });
    expect(nb).toContain('Arrangementet har startet. Du kan fortsatt melde deg på for å følge det digitalt.');
    expect(nb).toContain('name="mode" value="physical" disabled');
    expect(nb).toContain('name="mode" value="digital" checked');
    expect(nb).not.toContain('Ledige plasser i salen');
    expect(nb).not.toContain('Arrangementet ble holdt');
    const noStream = seminar({ livestream: false });
    const en = registerPage({ lang: 'en', seminar: noStream, state: registrationState(noStream, during) });
    expect(en).toContain('<p>The event has started.</p>');
    expect(en).toContain('Registration is closed.');
    expect(en).not.toContain('<form');
  });

  it('after the end: says it took place and links the recording once published; no form and no "closed" notices', () => {
    const after = new Date('2027-03-18T10:00:00Z');
    const s = seminar({ recordingUrl: 'https://example.no/opptak/6' });
    const nb = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, after) });
    expect(nb).toContain('<p>Arrangementet ble holdt onsdag 17. mars 2027.</p>');
    expect(nb).toContain('<a class="button" href="https://example.no/opptak/6">Opptak av seminaret</a>');
    expect(nb).not.toContain('<form');
    expect(nb).not.toContain('Meld deg på');
    expect(nb).not.toContain('stengt');
    expect(nb).not.toContain('har startet');
    expect(nb).not.toContain('role="alert"');
    expect(nb).not.toContain('Ledige plasser i salen');
    expect(nb).not.toContain('Påmelding åpen for');
    expect(nb).toContain('<span class="time">08.30–09.00</span>Velkommen'); // the program stays
    const en = registerPage({ lang: 'en', seminar: s, state: registrationState(s, after), errors: [{ field: '', message: 'Registration is closed.' }] });
    expect(en).toContain('<p>The event took place on Wednesday 17 March 2027.</p>');
    expect(en).toContain('href="https://example.no/opptak/6">Recording of the seminar</a>');
    expect(en).not.toContain('Registration is closed');
    expect(en).not.toContain('There is a problem');
    expect(en).not.toContain('role="alert"');
    const noRecording = seminar();
    const before = registerPage({ lang: 'nb', seminar: noRecording, state: registrationState(noRecording, after) });
    expect(before).toContain('Arrangementet ble holdt onsdag 17. mars 2027.');
    expect(before).not.toContain('Opptak av seminaret');
  });

  it('a cancelled seminar says it is cancelled, with no form', () => {
    const s = seminar({ status: 'cancelled' });
    const nb = registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE) });
    expect(nb).toContain('Arrangementet er avlyst.');
    expect(nb).not.toContain('<form');
    expect(nb).not.toContain('Påmelding åpen for');
    expect(registerPage({ lang: 'en', seminar: s, state: registrationState(s, BEFORE) })).toContain('The event has been cancelled.');
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

  it('shows no series form without a series, and stays when the seminar is over', () => {
    const s = seminar();
    expect(registerPage({ lang: 'nb', seminar: s, state: registrationState(s, BEFORE) })).not.toContain('subscribe-series');
    const over = inSeries();
    const closed = registerPage({ lang: 'nb', seminar: over, state: registrationState(over, new Date('2027-03-18T10:00:00Z')), series });
    expect(closed).toContain('Arrangementet ble holdt');
    expect(closed).not.toContain('action="/seminars/sem123/registrations');
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

describe('the seminar list page', () => {
  const upcoming = seminar();
  const fullInPerson = seminar({ id: 'full1', title: 'Pitchdag', kind: 'pitch', livestream: false, seatsTaken: 150, start: '2027-04-08T08:00:00.000Z', end: '2027-04-08T10:00:00.000Z' });
  const past = seminar({
    id: 'old1',
    title: `Samordning <i>før</i>`,
    kind: 'seminar',
    start: '2026-11-05T10:00:00.000Z',
    end: '2026-11-05T14:00:00.000Z',
    recordingUrl: 'https://example.no/opptak/5',
  });
  const pastNoRecording = seminar({ id: 'old2', title: 'Uten opptak', start: '2026-10-01T10:00:00.000Z', end: '2026-10-01T12:00:00.000Z' });
  const input = (lang: 'nb' | 'en') => ({
    lang,
    upcoming: [upcoming, fullInPerson].map((s) => ({ seminar: s, state: registrationState(s, BEFORE) })),
    past: [past, pastNoRecording],
  });

  it('in Norwegian: upcoming seminars with kind, Oslo time, venue, what is open and a link, then past ones with the recording', () => {
    const html = seminarsPage(input('nb'));
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('<h1>Seminarer og arrangementer</h1>');
    expect(html).toContain('<h2 id="upcoming">Kommende arrangementer</h2>');
    expect(html).toContain('<h3><a href="/seminars/sem123/register?lang=nb">Frokostseminar: Bedre styring og ledelse</a></h3>');
    expect(html).toContain('<dt>Type</dt><dd>Frokostseminar</dd>');
    expect(html).toContain('<dd>onsdag 17. mars 2027 kl. 08.30–10.00</dd>');
    expect(html).toContain('<dd>Regjeringskvartalet, Plenumssalen i R4, Einar Gerhardsens plass 1</dd>');
    expect(html).toContain('<dt>Ledige plasser i salen</dt><dd>140 av 150</dd>');
    expect(html).toContain('<dt>Påmelding åpen for</dt><dd>Fysisk og digitalt (strømming)</dd>');
    expect(html).toContain('<dt>Type</dt><dd>Pitch</dd>');
    expect(html).toContain('<dt>Påmelding åpen for</dt><dd>Venteliste for plass i salen</dd>');
    expect(html).toContain('<h2 id="past">Tidligere arrangementer</h2>');
    expect(html).toContain('<h3><a href="/seminars/old1/register?lang=nb">Samordning &lt;i&gt;før&lt;/i&gt;</a></h3>');
    expect(html).toContain('<dd>torsdag 5. november 2026 kl. 11.00–15.00</dd>');
    expect(html).toContain('<a href="https://example.no/opptak/5">Opptak av seminaret<span class="visually-hidden">: Samordning &lt;i&gt;før&lt;/i&gt;</span></a>');
    expect(html.match(/Opptak av seminaret/g)).toHaveLength(1); // none for the one without a recording
    expect(html).toContain('Uten opptak');
    expect(html.indexOf('id="upcoming"')).toBeLessThan(html.indexOf('sem123'));
    expect(html.indexOf('sem123')).toBeLessThan(html.indexOf('id="past"'));
    expect(html.indexOf('id="past"')).toBeLessThan(html.indexOf('old1'));
    expect(html.indexOf('old1')).toBeLessThan(html.indexOf('old2'));
    expect(html).toContain('<a href="/seminars?lang=en" hreflang="en" lang="en">English</a>');
    expect(html).not.toContain('secret-stream');
    expect(html).not.toContain('<i>');
  });

  it('in English', () => {
    const html = seminarsPage(input('en'));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Seminars and events</h1>');
    expect(html).toContain('<h2 id="upcoming">Upcoming events</h2>');
    expect(html).toContain('<h3><a href="/seminars/sem123/register?lang=en">');
    expect(html).toContain('<dt>Kind</dt><dd>Breakfast seminar</dd>');
    expect(html).toContain('<dd>Wednesday 17 March 2027, 08:30–10:00 (Norwegian time)</dd>');
    expect(html).toContain('<dt>Seats left</dt><dd>140 of 150</dd>');
    expect(html).toContain('<dt>Registration open for</dt><dd>In person and online (livestream)</dd>');
    expect(html).toContain('<dt>Registration open for</dt><dd>Waiting list for a seat</dd>');
    expect(html).toContain('<h2 id="past">Past events</h2>');
    expect(html).toContain('<a href="https://example.no/opptak/5">Recording of the seminar<span class="visually-hidden">: ');
    expect(html).toContain('<a href="/seminars?lang=nb" hreflang="nb" lang="nb">Norsk (bokmål)</a>');
  });

  it('hides seats when physical registration has closed, and says when there is nothing to show', () => {
    const closedPhysical = seminar({ physicalOpen: false, seatsTaken: 0, capacity: 100 });
    const html = seminarsPage({ lang: 'nb', upcoming: [{ seminar: closedPhysical, state: registrationState(closedPhysical, BEFORE) }], past: [] });
    expect(html).not.toContain('Ledige plasser i salen');
    expect(html).toContain('<dt>Påmelding åpen for</dt><dd>Digitalt (strømming)</dd>');
    expect(html).toContain('Det er ingen tidligere arrangementer å vise.');
    const empty = seminarsPage({ lang: 'en', upcoming: [], past: [] });
    expect(empty).toContain('There are no upcoming events right now.');
    expect(empty).toContain('There are no past events to show.');
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
      [{ outcome: 'digital' }, 'Du er påmeldt for å delta digitalt.', 'You are registered to attend online.'],
      [{ outcome: 'digital', because: 'full' }, 'Det var ingen ledige plasser igjen i salen', 'No seats were left at the venue'],
      [{ outcome: 'waitlisted', position: 3, online: true }, 'du står som nummer 3 på ventelisten', 'you are number 3 on the waiting list'],
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
    expect(html).toContain('<button type="submit" class="danger">Meld deg av</button>');
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

describe('the scheme page for the sketch competition of seed 004: sketches by 21 August, the five best pitch on 15 September', () => {
  const competition: Scheme = {
    id: 'skisse',
    name: 'Skissekonkurranse for innovasjonspartnerskap',
    nameEn: 'Sketch competition for innovation partnerships',
    description: { nb: 'De fem beste prosjektene inviteres til pitchekonkurranse.', en: 'The five best projects are invited to a pitch competition.' },
    budgetNok: 15_000_000,
    organiser: 'Innovasjon Norge',
    contacts: [],
    published: true,
    createdAt: '2017-06-01T08:00:00.000Z',
    updatedAt: '2017-06-01T08:00:00.000Z',
  };
  const round: Deadline = {
    id: 'r2017',
    schemeId: 'skisse',
    round: '2017',
    ...parseDeadline('2017-08-21'),
    reminderOffsets: [14, 3, 1],
    retiredOffsets: [],
    guidanceSessions: ['pitch1'],
    revision: 0,
    createdAt: '2017-06-01T08:00:00.000Z',
    updatedAt: '2017-06-01T08:00:00.000Z',
  };
  // 15 September 2017, 09:00–12:00 Oslo (CEST, +02:00)
  const pitchDay = seminar({
    id: 'pitch1',
    kind: 'pitch',
    title: 'Pitchekonkurranse: de fem beste skissene',
    start: '2017-09-15T07:00:00.000Z',
    end: '2017-09-15T10:00:00.000Z',
    venue: { name: 'Innovasjon Norge', address: 'Akersgata 13, Oslo' },
  });
  const view = (status: 'open' | 'closed'): SchemeView => ({ scheme: competition, rounds: [{ round, status, sessions: [pitchDay] }] });

  it('in Norwegian: the pitch day is a pitch day, and the subscribe text promises it, not guidance sessions', () => {
    const html = schemePage({ lang: 'nb', scheme: view('open') });
    expect(html).toContain('Søknadsfrist: mandag 21. august 2017, innen utgangen av dagen.');
    expect(html).toContain('<p>De beste prosjektene inviteres til pitchdag:</p><ul><li><strong>Pitchekonkurranse: de fem beste skissene</strong><br>fredag 15. september 2017 kl. 09.00–12.00');
    expect(html).toContain('<a href="/seminars/pitch1/register?lang=nb">Mer om pitchdagen<span class="visually-hidden">: Pitchekonkurranse: de fem beste skissene</span></a>');
    expect(html).toContain('Vi sender deg søknadsfrister, datoen for pitchdagen og påminnelser før fristen.');
    expect(html).not.toMatch(/veiledning/i);
    const list = schemesPage({ lang: 'nb', schemes: [view('open')] });
    expect(list).toContain('<h1>Ordninger og søknadsfrister</h1>');
    expect(list).not.toMatch(/veiledning|tilskuddsordning/i);
  });

  it('in English', () => {
    const html = schemePage({ lang: 'en', scheme: view('open') });
    expect(html).toContain('<p>The best projects are invited to a pitch day:</p>');
    expect(html).toContain('Friday 15 September 2017, 09:00–12:00 (Norwegian time)');
    expect(html).toContain('>About the pitch day<span class="visually-hidden">');
    expect(html).toContain('We email you application deadlines, the date of the pitch day and reminders before the deadline.');
    expect(html).not.toMatch(/guidance/i);
  });

  it('after the sketch deadline the closed round still shows the coming pitch day, and subscribing no longer promises it', () => {
    const html = schemePage({ lang: 'nb', scheme: view('closed') });
    expect(html).toContain('Søknadsfristen var mandag 21. august 2017, innen utgangen av dagen. Runden er stengt.');
    expect(html).toContain('<p>De beste prosjektene inviteres til pitchdag:</p>');
    expect(html).toContain('fredag 15. september 2017 kl. 09.00–12.00');
    expect(html).toContain('Vi sender deg søknadsfrister og påminnelser før fristen.');
    expect(html).not.toMatch(/veiledning/i);
  });

  it('a co-funding round with guidance sessions keeps its words; the confirmed page promises what the scheme has', () => {
    const g = seminar({ id: 'g1', kind: 'guidance-session', title: 'Veiledningssamling 1', start: '2017-08-01T07:00:00.000Z', end: '2017-08-01T10:00:00.000Z' });
    const html = schemePage({ lang: 'nb', scheme: { scheme: competition, rounds: [{ round, status: 'open', sessions: [g, pitchDay] }] } });
    expect(html).toContain('<p>Veiledningssamling for dere som vil søke:</p>');
    expect(html).toContain('>Meld deg på<span class="visually-hidden">: Veiledningssamling 1</span>');
    expect(html.indexOf('Veiledningssamling for dere')).toBeLessThan(html.indexOf('De beste prosjektene inviteres til pitchdag:'));
    expect(html).toContain('Vi sender deg søknadsfrister, veiledningssamlinger, datoen for pitchdagen og påminnelser før fristen.');
    expect(subscriptionConfirmedPage('nb', competition.name, false, 'u.t', 'scheme', [pitchDay])).toContain(
      'Du får søknadsfrister, datoen for pitchdagen og påminnelser før fristen.',
    );
    expect(subscriptionConfirmedPage('en', competition.name, false, 'u.t', 'scheme', [pitchDay])).toContain(
      'You will get application deadlines, the date of the pitch day and reminders before the deadline.',
    );
    expect(subscriptionConfirmedPage('nb', competition.name, false, 'u.t', 'scheme')).not.toMatch(/veiledning/i);
  });
});

describe('outcome pages: each thing said once, cancelling worded one way, a language switch', () => {
  const s = seminar();

  it('digital because the seats ran out (or physical closed) says so once, without a double space', () => {
    const full = confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'digital', because: 'full' } });
    expect(full).toContain('<div class="notice success" role="status"><p>Det var ingen ledige plasser igjen i salen, så du er påmeldt for å delta digitalt.</p></div>');
    expect(full).not.toContain('Du er påmeldt for å delta digitalt.');
    expect(full).not.toContain('digital deltakelse');
    expect(full).not.toMatch(/\.\s{2,}|<\/p><p>Du er påmeldt/);
    expect(full).toContain('<h1>Du er påmeldt for å delta digitalt</h1>');
    const fullEn = confirmedPage({ lang: 'en', seminar: s, view: { outcome: 'digital', because: 'full' } });
    expect(fullEn).toContain('<p>No seats were left at the venue, so you are registered to attend online.</p></div>');
    expect(fullEn.match(/registered to attend online\./g)).toHaveLength(1);
    const closed = confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'digital', because: 'closed' } });
    expect(closed).toContain('<p>Påmeldingen til fysisk deltakelse er stengt, så du er påmeldt for å delta digitalt.</p></div>');
    expect(closed).not.toContain('Du er påmeldt for å delta digitalt.');
    // Asked for digital: just what they have.
    expect(confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'digital' } })).toContain('role="status"><p>Du er påmeldt for å delta digitalt.</p></div>');
  });

  it('the pages for a digital registration say "påmeldt for å delta digitalt"', () => {
    const digital = registration({ status: 'confirmed', attendance: 'digital', requestedMode: 'digital' });
    for (const html of [
      confirmPage({ lang: 'nb', seminar: s, registration: digital, token: 't.u' }),
      cancelPage({ lang: 'nb', seminar: s, registration: digital, token: 't.u' }),
      confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'digital' } }),
    ]) {
      expect(html).toContain('Du er påmeldt for å delta digitalt.');
      expect(html).not.toContain('påmeldt digital deltakelse');
    }
  });

  it('cancelling is "Meld deg av" / "Cancel your registration" everywhere; never "avmeldt", "Trekk" or "withdraw"', () => {
    const confirmed = registration({ status: 'confirmed', attendance: 'physical' });
    const nbCancel = cancelPage({ lang: 'nb', seminar: s, registration: confirmed, token: 'x.y' });
    expect(nbCancel).toContain('<h1>Meld deg av</h1>');
    expect(nbCancel).toContain('<button type="submit" class="danger">Meld deg av</button>');
    const enCancel = cancelPage({ lang: 'en', seminar: s, registration: confirmed, token: 'x.y' });
    expect(enCancel).toContain('<h1>Cancel your registration</h1>');
    expect(enCancel).toContain('<button type="submit" class="danger">Cancel your registration</button>');
    const withCancel = confirmedPage({ lang: 'en', seminar: s, view: { outcome: 'physical' }, cancelHref: '/registrations/cancel?token=a.b&lang=en' });
    expect(withCancel).toContain('>Cancel your registration</a>');

    const cancelled = registration({ status: 'cancelled' });
    const pages = (lang: 'nb' | 'en') => [
      cancelPage({ lang, seminar: s, registration: cancelled, token: 'x.y' }),
      confirmPage({ lang, seminar: s, registration: cancelled, token: 'x.y' }),
      confirmedPage({ lang, seminar: s, view: { outcome: 'cancelled' } }),
      cancelledPage(lang, s, false),
      cancelledPage(lang, s, true),
    ];
    for (const html of pages('nb')) expect(html).not.toMatch(/avmeld|Trekk|trekke/i);
    for (const html of pages('en')) expect(html).not.toMatch(/withdraw/i);
    const [alreadyNb, , confirmCancelledNb, doneNb, againNb] = pages('nb');
    expect(alreadyNb).toContain('<h1>Du er allerede meldt av</h1>');
    expect(confirmCancelledNb).toContain('<h1>Du er meldt av</h1>');
    expect(doneNb).toContain('Du er meldt av «Frokostseminar: Bedre styring og ledelse».');
    expect(againNb).toContain('Du var allerede meldt av «Frokostseminar: Bedre styring og ledelse».');
    expect(pages('en')[0]).toContain('<h1>You have already cancelled your registration</h1>');
  });

  it('the outcome pages after confirming and after cancelling have the language switch (to the link’s own page)', () => {
    const nb = confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'physical' }, switchHref: withLang('/registrations/confirm', { token: 'a.b' }, 'en') });
    expect(nb).toContain('<nav aria-label="Language"><a href="/registrations/confirm?token=a.b&amp;lang=en" hreflang="en" lang="en">English</a></nav>');
    const en = confirmedPage({ lang: 'en', seminar: s, view: { outcome: 'waitlisted', position: 2, online: true } as Parameters<typeof confirmedPage>[0]['view'], switchHref: '/registrations/confirm?token=a.b&lang=nb' });
    expect(en).toContain('<a href="/registrations/confirm?token=a.b&amp;lang=nb" hreflang="nb" lang="nb">Norsk (bokmål)</a>');
    expect(confirmedPage({ lang: 'nb', seminar: s, view: { outcome: 'physical' } })).not.toContain('hreflang');
    const after = cancelledPage('nb', s, false, withLang('/registrations/cancel', { token: 'c.d' }, 'en'));
    expect(after).toContain('<a href="/registrations/cancel?token=c.d&amp;lang=en" hreflang="en" lang="en">English</a>');
  });

  it('after a series form post, the switch keeps "check your email"; the series page has a switch of its own', () => {
    const inSeries = seminar({ seriesId: 'partnerforum-samordning', seriesTitle: 'Partnerforums seminarserie' });
    const view = { id: 'partnerforum-samordning', name: 'Partnerforums seminarserie' };
    const sent = registerPage({ lang: 'nb', seminar: inSeries, state: registrationState(inSeries, BEFORE), series: { ...view, sent: true } });
    expect(sent).toContain('href="/seminars/sem123/register?seriesSent=1&amp;lang=en" hreflang="en"');
    expect(sent).toContain('Sjekk e-posten din.');
    const form = registerPage({ lang: 'nb', seminar: inSeries, state: registrationState(inSeries, BEFORE), series: view });
    expect(form).toContain('href="/seminars/sem123/register?lang=en" hreflang="en"');
    expect(seriesSubscribePage('nb', { ...view, sent: true })).toContain('href="/series/partnerforum-samordning/subscriptions?sent=1&amp;lang=en" hreflang="en"');
    expect(seriesSubscribePage('en', view)).toContain('href="/series/partnerforum-samordning/subscriptions?lang=nb" hreflang="nb"');
  });
});
