/**
 * Seminar series on the local cloud, through HTTP, the bus, the handlers and the mailbox: subscribing
 * (JSON and the form on the registration page), double opt-in, the announcement of each new seminar of
 * the series with its registration link (exactly once, every event delivered twice), one-click
 * unsubscribe, a move and a cancellation told to those who were told about the seminar and did not register,
 * the recording to subscribers and registrants (once each, once for someone who is both),
 * one email for someone subscribed to a scheme and to the series of its guidance session, erasure, the
 * rate limit and the answers to bad input. nb and en.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { api, bounce, chaos, daysFromNow, deadLetters, header, idle, mails, resetClock, uniqueEmail } from '../support/local.js';
import { createDraft, createSeminar as createScheduled, linkIn, postThrottled as post, seminarInput, type Json } from '../support/seminars.js';
import { CONFIRM_SUBJECT, confirmByEmail, subscribe as subscribeTo, subscribeAndConfirm as subscribeAndConfirmTo } from '../support/subscriptions.js';
import { escapeHtml } from '../../shared/email/html.js';
import { recordingKind } from '../../shared/email/ledger-kinds.js';

const SERIES_NB = 'Partnerforums seminarserie om samordning';
const SERIES_EN = "The partner forum's series on coordination";

// ---------------------------------------------------------------------------------------------
// Helpers

const newSeriesId = (tag = 'samordning') => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A whole seminar body (POST or PUT): the seminar of test/support/bodies.ts at the university, 30 days ahead; then `o`. */
const seminarBody = (o: Json): Json =>
  seminarInput({
    capacity: 50,
    livestream: true,
    doubleOptIn: false,
    venue: { name: 'Universitetet i Oslo', address: 'Problemveien 7, 0313 Oslo', room: 'Gamle festsal' },
    start: daysFromNow(30, 11),
    end: daysFromNow(30, 15),
    ...o,
  });

const createSeminar = (o: Json, schedule = true): Promise<string> => (schedule ? createScheduled(seminarBody(o)) : createDraft(seminarBody(o)));

const subscribe = (seriesId: string, email: string, language: 'nb' | 'en' = 'nb') => subscribeTo({ seriesId }, email, language);
const subscribeAndConfirm = (seriesId: string, email: string, language: 'nb' | 'en' = 'nb', name = language === 'nb' ? SERIES_NB : SERIES_EN) =>
  subscribeAndConfirmTo({ seriesId }, email, language, name);

/** A subject that is exactly `s`. */
const exactly = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

async function register(seminarId: string, email: string, name: string, language: 'nb' | 'en' = 'nb'): Promise<void> {
  const res = await post(`/seminars/${seminarId}/registrations`, { body: { email, name, organisation: 'DFØ', mode: 'digital', language } });
  expect(res.status, res.text).toBe(202);
}

async function deadLettersAbout(...ids: string[]): Promise<Json[]> {
  return (await deadLetters()).filter((x) => ids.some((id) => JSON.stringify(x.event).includes(id)));
}

afterAll(async () => {
  await chaos({ duplicateDeliveries: false });
  await resetClock();
});

const seriesFields = (seriesId: string) => ({ seriesId, seriesTitle: SERIES_NB, seriesTitleEn: SERIES_EN });

// ---------------------------------------------------------------------------------------------

describe('subscribing to a series and hearing about its new seminars', () => {
  it('subscribe (JSON and the page form) → confirm → a new seminar is announced once each (events twice); the link works; unsubscribed and suppressed get nothing', async () => {
    await resetClock();
    const seriesId = newSeriesId();
    const first = await createSeminar({ title: 'Samordning i statsforvaltningen: Med blanke ark?', ...seriesFields(seriesId) });

    // The registration page offers the series, in nb and en, as a form that works without JavaScript.
    const pageNb = await api('GET', `/seminars/${first}/register`);
    expect(pageNb.status).toBe(200);
    expect(pageNb.text).toContain('<h2 id="subscribe-series">Få varsel om nye seminarer i serien</h2>');
    expect(pageNb.text).toContain(`Vi sender deg en e-post når det kommer et nytt seminar i ${SERIES_NB}`);
    expect(pageNb.text).toContain(`<form action="/series/${seriesId}/subscriptions?lang=nb" method="post"`);
    expect(pageNb.text).toContain(`<input type="hidden" name="seminarId" value="${first}">`);
    expect(pageNb.text).toContain('<label for="field-series-email">E-postadresse</label>');
    const pageEn = await api('GET', `/seminars/${first}/register?lang=en`);
    expect(pageEn.text).toContain('Get notified of new seminars in this series');
    expect(pageEn.text).toContain(`We email you when there is a new seminar in ${escapeHtml(SERIES_EN)}`);
    const outside = await createSeminar({ title: 'Et seminar utenfor serier' });
    expect((await api('GET', `/seminars/${outside}/register`)).text).not.toContain('subscribe-series');

    await chaos({ duplicateDeliveries: true });
    const [a, b, c, pending, u, bounced] = ['a', 'b', 'form', 'pending', 'one-click', 'bounced'].map((t) => uniqueEmail(`series-${t}`));
    const confirmA = await subscribeAndConfirm(seriesId, a);
    expect(confirmA.subject).toBe(`Bekreft abonnementet ditt: ${SERIES_NB}`);
    expect(confirmA.body.text).toContain(`Du har bedt om å få e-post når det kommer nye seminarer i ${SERIES_NB}.`);
    expect(confirmA.body.text).toContain('/unsubscribe?token='); // can opt out straight away
    const confirmB = await subscribeAndConfirm(seriesId, b, 'en');
    expect(confirmB.subject).toBe(`Confirm your subscription: ${SERIES_EN}`);
    expect(confirmB.body.text).toContain(`You asked to receive an email whenever there is a new seminar in ${SERIES_EN}.`);

    // The form on the registration page (no JavaScript): 303 back to that page, which says "check your
    // email" (so a reload does not post again); the GET changes nothing.
    const form = await post(`/series/${seriesId}/subscriptions?lang=nb`, { form: { email: c.toUpperCase(), language: 'nb', seminarId: first } });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`/seminars/${first}/register?seriesSent=1&lang=nb#subscribe-series`);
    const sentPage = await api('GET', form.headers.get('location')!);
    expect(sentPage.status).toBe(200);
    expect(sentPage.text).toContain('<h1>Samordning i statsforvaltningen: Med blanke ark?</h1>');
    expect(sentPage.text).toContain('Sjekk e-posten din.');
    expect(sentPage.text).not.toContain(`action="/series/${seriesId}/subscriptions`);
    expect(sentPage.text).toContain(`href="/seminars/${first}/register?seriesSent=1&amp;lang=en" hreflang="en"`);
    await idle();
    const confirmedPage = await confirmByEmail(c, SERIES_NB);
    expect(confirmedPage.subject).toBe(`Bekreft abonnementet ditt: ${SERIES_NB}`);
    await subscribe(seriesId, pending); // never confirms
    await subscribeAndConfirm(seriesId, u);
    await subscribeAndConfirm(seriesId, bounced);

    // Repeats get the same answer; a confirmed address gets nothing more.
    await subscribe(seriesId, ` ${a.toUpperCase()}`);
    expect(await mails(a)).toHaveLength(1);
    expect((await api('GET', `/admin/seminars/${first}`)).body.seriesSubscribers).toEqual({ pending: 1, confirmed: 5, unsubscribed: 0 });

    // `bounced` bounces permanently (SES's configuration set puts the event on the bus): suppressed.
    await bounce(bounced);
    await idle();

    // ── A new seminar of the series is scheduled ────────────────────────────────────────────────
    const title2 = 'Samordning i praksis: Tjenester på tvers';
    const second = await createSeminar({ title: title2, ...seriesFields(seriesId), start: daysFromNow(60, 11), end: daysFromNow(60, 15) });
    for (const x of [a, c, u]) expect(await mails(x, exactly(`Nytt seminar: ${title2}`)), x).toHaveLength(1);
    const announced = (await mails(a, /^Nytt seminar/))[0];
    expect(announced.body.text).toContain(`Påmeldingen er åpnet for «${title2}» i ${SERIES_NB}.`);
    expect(announced.body.text).toContain('Sted: Universitetet i Oslo, Gamle festsal, Problemveien 7, 0313 Oslo');
    expect(announced.body.text).toContain(`/seminars/${second}/register`);
    expect(announced.body.text).toContain(`Du får denne e-posten fordi du abonnerer på varsler om ${SERIES_NB}.`);
    expect(header(announced, 'List-Unsubscribe')).toMatch(/^<http:\/\/[^>]+\/unsubscribe\?token=[^>]+>$/);
    expect(header(announced, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const announcedEn = await mails(b, /^New seminar/);
    expect(announcedEn.map((m) => m.subject)).toEqual([`New seminar: ${title2}`]);
    expect(announcedEn[0].body.text).toContain(`Registration is open for “${title2}” in ${SERIES_EN}.`);
    expect(announcedEn[0].body.text).toContain(`/seminars/${second}/register?lang=en`);
    expect(await mails(pending, /^Nytt seminar/)).toHaveLength(0);
    expect(await mails(bounced, /^Nytt seminar/)).toHaveLength(0);

    // The registration link works.
    const registerUrl = new URL(/https?:\/\/\S+\/seminars\/\S+\/register\S*/.exec(announcedEn[0].body.text ?? '')![0]);
    const registerPage = await api('GET', registerUrl.pathname + registerUrl.search);
    expect(registerPage.status).toBe(200);
    expect(registerPage.text).toContain(`<h1>${title2}</h1>`);
    expect(registerPage.text).toContain('<html lang="en">');

    const log = (await api('GET', `/admin/deliveries?subject=${second}`)).body;
    expect(log.summary['seminar-announced']).toEqual({ sent: 4, suppressed: 1 }); // a b c u; bounced suppressed

    // ── u unsubscribes with the RFC 8058 one-click POST; the next seminar reaches everyone else ───
    const unsubscribeUrl = new URL(header((await mails(u, /^Nytt seminar/))[0], 'List-Unsubscribe')!.slice(1, -1));
    const oneClick = await api('POST', unsubscribeUrl.pathname + unsubscribeUrl.search, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(oneClick.status).toBe(200);
    expect(oneClick.text).toContain(`Du får ikke flere varsler om ${SERIES_NB}`);
    const unsubscribePage = await api('GET', unsubscribeUrl.pathname + unsubscribeUrl.search);
    expect(unsubscribePage.text).toContain(`Du var allerede meldt av varsler om ${SERIES_NB}`);

    const title3 = 'Samordning og styring: Hva nå?';
    const third = await createSeminar({ title: title3, ...seriesFields(seriesId), start: daysFromNow(90, 11), end: daysFromNow(90, 15) });
    for (const x of [a, c]) expect(await mails(x, /^Nytt seminar/), x).toHaveLength(2);
    expect(await mails(b, exactly(`New seminar: ${title3}`))).toHaveLength(1);
    expect(await mails(u, /^Nytt seminar/)).toHaveLength(1); // only the one before unsubscribing
    expect(await mails(bounced, /^Nytt seminar/)).toHaveLength(0);
    expect((await api('GET', `/admin/deliveries?subject=${third}`)).body.summary['seminar-announced']).toEqual({ sent: 3, suppressed: 1 });

    // Seminars outside the series, and scheduling the same seminar again, announce nothing more.
    await createSeminar({ title: 'Frokostseminar utenfor serien', start: daysFromNow(70, 7), end: daysFromNow(70, 9) });
    expect((await api('POST', `/admin/seminars/${second}/schedule`)).status).toBe(202);
    await idle();
    await chaos({ duplicateDeliveries: false });
    // a: confirm, two announcements; c: the same; u: confirm, one announcement; pending: the confirm email only
    expect(await mails(a)).toHaveLength(3);
    expect(await mails(b)).toHaveLength(3);
    expect(await mails(c)).toHaveLength(3);
    expect(await mails(u)).toHaveLength(2);
    expect(await mails(pending)).toHaveLength(1);
    expect(await mails(bounced)).toHaveLength(1);
    expect(await deadLettersAbout(seriesId, first, second, third)).toEqual([]);
  }, 180_000);

  it('someone subscribed to a funding scheme and to the series of its guidance session hears about the session once', async () => {
    await resetClock();
    const seriesId = newSeriesId('veiledning');
    await createSeminar({ title: 'Første samling i serien', ...seriesFields(seriesId) });
    const scheme = await api('POST', '/admin/schemes', { body: { name: 'Medfinansieringsordningen', nameEn: 'The co-funding scheme', organiser: 'Difi' } });
    expect(scheme.status, scheme.text).toBe(201);
    const schemeId = scheme.body.id as string;
    const both = uniqueEmail('series-and-scheme');
    const schemeOnly = uniqueEmail('scheme-only');
    const seriesOnly = uniqueEmail('series-only');
    await subscribeAndConfirm(seriesId, both);
    await subscribeAndConfirm(seriesId, seriesOnly);
    for (const x of [both, schemeOnly]) {
      expect((await post(`/schemes/${schemeId}/subscriptions`, { body: { email: x } })).status).toBe(202);
      await idle();
      await confirmByEmail(x, 'Medfinansieringsordningen');
    }

    await chaos({ duplicateDeliveries: true });
    const session = await createSeminar({ title: 'Veiledningssamling om medfinansiering', kind: 'guidance-session', schemeId, ...seriesFields(seriesId) });
    await chaos({ duplicateDeliveries: false });
    for (const x of [both, schemeOnly, seriesOnly]) {
      expect(await mails(x, /^Ny veiledningssamling: Veiledningssamling om medfinansiering$/), x).toHaveLength(1);
    }
    expect((await mails(seriesOnly, /^Ny veiledningssamling/))[0].body.text).toContain(`i ${SERIES_NB}.`);
    expect((await mails(schemeOnly, /^Ny veiledningssamling/))[0].body.text).toContain('for dere som vil søke Medfinansieringsordningen');
    expect((await api('GET', `/admin/deliveries?subject=${session}`)).body.summary['seminar-announced']).toEqual({ sent: 3 });

    // Cancelled: each of them hears once, whichever lists they are on, in the words of their list.
    const cancelled = await api('POST', `/admin/seminars/${session}/cancel`, { body: { reason: 'Samlingen flyttes til neste år.' } });
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
    await idle();
    for (const x of [both, schemeOnly, seriesOnly]) expect(await mails(x, /^Avlyst: Veiledningssamling om medfinansiering$/), x).toHaveLength(1);
    expect((await mails(schemeOnly, /^Avlyst/))[0].body.text).toContain('abonnerer på varsler om Medfinansieringsordningen');
    expect((await mails(seriesOnly, /^Avlyst/))[0].body.text).toContain(`abonnerer på varsler om ${SERIES_NB}`);
    // In the admin's words, as stored with the seminar.
    for (const x of [both, schemeOnly, seriesOnly]) expect((await mails(x, /^Avlyst/))[0].body.text, x).toContain('Samlingen flyttes til neste år.');
    expect((await api('GET', `/admin/deliveries?subject=${session}`)).body.summary['announced-cancelled']).toEqual({ sent: 3 });
  }, 120_000);
});

describe('the recording', () => {
  it('goes to series subscribers and to registrants once each; a subscriber who registered gets one email, the registrants', async () => {
    await resetClock();
    const seriesId = newSeriesId('opptak');
    const title = 'Samordning i statsforvaltningen: Opptaket';
    const seminar = await createSeminar({ title, ...seriesFields(seriesId), start: daysFromNow(10, 11), end: daysFromNow(10, 15) });
    const [subNb, subEn, both, regNb, regEn, cancelledReg] = ['sub-nb', 'sub-en', 'both', 'reg-nb', 'reg-en', 'cancelled'].map((t) => uniqueEmail(`rec-${t}`));
    await subscribeAndConfirm(seriesId, subNb);
    await subscribeAndConfirm(seriesId, subEn, 'en');
    await subscribeAndConfirm(seriesId, both);
    await subscribeAndConfirm(seriesId, cancelledReg);
    await register(seminar, both, 'Begge Deler');
    await register(seminar, regNb, 'Kari Nordmann');
    await register(seminar, regEn, 'Jane Smith', 'en');
    await register(seminar, cancelledReg, 'Angret Avmelding');
    await idle();
    // cancelledReg cancels the registration: the series subscription still brings the recording.
    const registered = (await mails(cancelledReg)).find((m) => (m.body.text ?? '').includes('/registrations/cancel?token='));
    expect(registered, 'the registration email with its cancel link').toBeDefined();
    const cancelLink = linkIn(registered!, '/registrations/cancel');
    expect((await api('POST', cancelLink, { form: {} })).status).toBe(200);
    await idle();

    await chaos({ duplicateDeliveries: true });
    const url = 'https://example.no/opptak/samordning';
    const published = await api('POST', `/admin/seminars/${seminar}/recording`, { body: { url } });
    expect(published.status, published.text).toBe(202);
    await idle();
    await chaos({ duplicateDeliveries: false });

    const subMail = await mails(subNb, /^Opptak/);
    expect(subMail.map((m) => m.subject)).toEqual([`Opptak av seminaret: ${title}`]);
    expect(subMail[0].body.text).toContain(`Opptaket av «${title}» i ${SERIES_NB} er nå tilgjengelig.`);
    expect(subMail[0].body.text).toContain(url);
    expect(subMail[0].body.text).toContain(`Du får denne e-posten fordi du abonnerer på varsler om ${SERIES_NB}.`);
    expect(header(subMail[0], 'List-Unsubscribe')).toMatch(/\/unsubscribe\?token=/);
    expect(header(subMail[0], 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const subEnMail = await mails(subEn, /^Recording/);
    expect(subEnMail.map((m) => m.subject)).toEqual([`Recording: ${title}`]);
    expect(subEnMail[0].body.text).toContain(`The recording of “${title}” in ${SERIES_EN} is now available.`);
    expect(await mails(cancelledReg, /^Opptak/)).toHaveLength(1);

    // Registrants get theirs (with their registration's link); the one on both lists gets exactly one.
    for (const x of [regNb, both]) {
      const got = await mails(x, /^Opptak/);
      expect(got, x).toHaveLength(1);
      expect(got[0].body.text).toContain(`Takk for interessen for «${title}». Opptaket er nå tilgjengelig.`);
      expect(got[0].body.text).toContain('/registrations/cancel?token=');
    }
    expect(await mails(regEn, /^Recording/)).toHaveLength(1);
    expect((await api('GET', `/admin/deliveries?subject=${seminar}`)).body.summary[recordingKind(url)]).toEqual({ sent: 6 }); // subNb subEn cancelledReg both regNb regEn

    // Published again (a retry by hand): nothing twice.
    expect((await api('POST', '/admin/events', { body: { detailType: 'SeminarRecordingPublished', detail: { version: 1, seminarId: seminar, url } } })).status).toBe(202);
    await idle();
    for (const x of [subNb, both, regNb, cancelledReg]) expect(await mails(x, /^Opptak/), x).toHaveLength(1);
    expect(await deadLettersAbout(seminar, seriesId)).toEqual([]);
  }, 120_000);
});

describe('a scheduled seminar that joins a series', () => {
  it("is announced to the series' subscribers once; edits that leave the series alone announce nothing", async () => {
    await resetClock();
    const seriesId = newSeriesId('senere');
    await createSeminar({ title: 'Samordning i statsforvaltningen: Første', ...seriesFields(seriesId) });
    const subscriber = uniqueEmail('joined');
    await subscribeAndConfirm(seriesId, subscriber);
    const title = 'Et seminar som blir med i serien';
    const body = seminarBody({ title, start: daysFromNow(20, 11), end: daysFromNow(20, 15) });
    const seminar = await createSeminar(body);
    expect(await mails(subscriber, /^Nytt seminar/)).toHaveLength(0);

    const before = (await api('GET', `/admin/seminars/${seminar}`)).body;
    const joined = await api('PUT', `/admin/seminars/${seminar}`, { body: { ...body, ...seriesFields(seriesId) } });
    expect(joined.status, joined.text).toBe(200);
    expect(joined.body.sequence, JSON.stringify({ before, after: joined.body })).toBe(before.sequence); // nothing registrants see changed: no new calendar version
    await idle();
    const announced = await mails(subscriber, exactly(`Nytt seminar: ${title}`));
    expect(announced).toHaveLength(1);
    expect(announced[0].body.text).toContain(`/seminars/${seminar}/register`);

    // Another edit, in the series already: nothing new.
    expect((await api('PUT', `/admin/seminars/${seminar}`, { body: { ...body, ...seriesFields(seriesId), capacity: 60 } })).status).toBe(200);
    await idle();
    expect(await mails(subscriber, /^Nytt seminar/)).toHaveLength(1);
    expect(await deadLettersAbout(seminar, seriesId)).toEqual([]);
  }, 120_000);
});

describe('a seminar the subscribers were told about moves, then is cancelled', () => {
  it('those told about it who did not register hear of each change once; registrants get only their own notice; later subscribers nothing', async () => {
    await resetClock();
    const seriesId = newSeriesId('endring');
    const [told, toldEn, registered, late] = ['told', 'told-en', 'registered', 'late'].map((t) => uniqueEmail(`chg-${t}`));
    // A series exists once a seminar of it is published.
    await createSeminar({ title: 'Samordning i statsforvaltningen: Oppstart', ...seriesFields(seriesId), start: daysFromNow(8, 11), end: daysFromNow(8, 15) });
    await subscribeAndConfirm(seriesId, told);
    await subscribeAndConfirm(seriesId, toldEn, 'en');
    await subscribeAndConfirm(seriesId, registered);
    const title = 'Samordning i statsforvaltningen: Endringer';
    const body = seminarBody({ title, ...seriesFields(seriesId), start: daysFromNow(12, 11), end: daysFromNow(12, 15) });
    const seminar = await createSeminar(body);
    for (const x of [told, toldEn, registered]) expect(await mails(x, /^(Nytt seminar|New seminar)/), x).toHaveLength(1);
    await register(seminar, registered, 'Rita Registrert');
    await subscribeAndConfirm(seriesId, late);
    await idle();

    // Moved, with every event delivered twice.
    await chaos({ duplicateDeliveries: true });
    const moved = await api('PUT', `/admin/seminars/${seminar}`, { body: { ...body, start: daysFromNow(13, 9), end: daysFromNow(13, 12) } });
    expect(moved.status, moved.text).toBe(200);
    await idle();
    await chaos({ duplicateDeliveries: false });
    const movedNb = await mails(told, exactly(`Nytt tidspunkt: ${title}`));
    expect(movedNb).toHaveLength(1);
    expect(movedNb[0].body.text).toContain(`«${title}», som vi har varslet deg om, har fått nytt tidspunkt.`);
    expect(movedNb[0].body.text).toContain(`/seminars/${seminar}/register`);
    expect(movedNb[0].body.text).toContain(`Du får denne e-posten fordi du abonnerer på varsler om ${SERIES_NB}.`);
    expect(header(movedNb[0], 'List-Unsubscribe')).toMatch(/\/unsubscribe\?token=/);
    const movedEn = await mails(toldEn, exactly(`New time: ${title}`));
    expect(movedEn).toHaveLength(1);
    expect(movedEn[0].body.text).toContain(`“${title}”, which we told you about, has a new time.`);
    // The registrant gets the registrants' notice (with the calendar update and a cancel link), once.
    const registrantMoved = await mails(registered, exactly(`Nytt tidspunkt: ${title}`));
    expect(registrantMoved).toHaveLength(1);
    expect(registrantMoved[0].body.text).toContain('/registrations/cancel?token=');
    expect(await mails(late, /^(Nytt tidspunkt|New time)/)).toHaveLength(0);

    // Cancelled: the same people hear once more; the registrant through the registrants' notice.
    const cancelled = await api('POST', `/admin/seminars/${seminar}/cancel`, { body: { reason: 'Foredragsholderne er syke.' } });
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
    await idle();
    const cancelNb = await mails(told, exactly(`Avlyst: ${title}`));
    expect(cancelNb).toHaveLength(1);
    expect(cancelNb[0].body.text).toContain('Foredragsholderne er syke.');
    expect(cancelNb[0].body.text).not.toContain('/register');
    expect(await mails(toldEn, exactly(`Cancelled: ${title}`))).toHaveLength(1);
    expect(await mails(registered, exactly(`Avlyst: ${title}`))).toHaveLength(1);
    expect(await mails(late, /^(Avlyst|Cancelled)/)).toHaveLength(0);

    // The same cancellation again (a redelivery by hand) sends nothing twice.
    expect((await api('POST', '/admin/events', { body: { detailType: 'SeminarCancelled', detail: { version: 1, seminarId: seminar } } })).status).toBe(202);
    await idle();
    expect(await mails(told, /^Avlyst/)).toHaveLength(1);
    expect(await deadLettersAbout(seminar, seriesId)).toEqual([]);
  }, 120_000);
});

describe('erasure, limits and bad input', () => {
  it('DELETE /admin/people/{email} removes series subscriptions: no more announcements, the links name nothing', async () => {
    await resetClock();
    const seriesId = newSeriesId('sletting');
    const first = await createSeminar({ title: 'Seminar før slettingen', ...seriesFields(seriesId) });
    const erased = uniqueEmail('series-erased');
    const kept = uniqueEmail('series-kept');
    const confirm = await subscribeAndConfirm(seriesId, erased);
    await subscribeAndConfirm(seriesId, kept);
    const receipt = await api('DELETE', `/admin/people/${encodeURIComponent(erased)}`);
    expect(receipt.status, receipt.text).toBe(200);
    expect(receipt.body.counts).toMatchObject({ subscriptions: 1, subscriptionGuards: 1 });
    expect((await api('GET', `/admin/seminars/${first}`)).body.seriesSubscribers).toEqual({ pending: 0, confirmed: 1, unsubscribed: 0 });
    const unsubscribe = await api('GET', linkIn(confirm, '/unsubscribe'));
    expect(unsubscribe.status).toBe(404);
    expect(unsubscribe.text).not.toContain(erased);

    await createSeminar({ title: 'Seminar etter slettingen', ...seriesFields(seriesId), start: daysFromNow(40, 11), end: daysFromNow(40, 15) });
    expect(await mails(kept, /^Nytt seminar: Seminar etter slettingen$/)).toHaveLength(1);
    expect(await mails(erased, /^Nytt seminar/)).toHaveLength(0);
  });

  it('is rate-limited per address like the other public write routes', async () => {
    const seriesId = newSeriesId('grense');
    await createSeminar({ title: 'Seminar med grense', ...seriesFields(seriesId) });
    const email = uniqueEmail('series-limit');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await post(`/series/${seriesId}/subscriptions`, { body: { email } })).status);
    expect(answers).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await post(`/series/${seriesId}/subscriptions`, { body: { email } });
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await idle();
    expect(await mails(email, CONFIRM_SUBJECT)).toHaveLength(2); // the first, and one repeat today
  });

  it('answers bad input, unknown and unpublished series plainly; names a series without a title by its id', async () => {
    await resetClock();
    const seriesId = newSeriesId('feil');
    const seminar = await createSeminar({ title: 'Seminar for feilsøking', ...seriesFields(seriesId) });
    const bad = await post(`/series/${seriesId}/subscriptions`, { body: { email: 'not an address', language: 'de' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((x: Json) => x.field).sort()).toEqual(['email', 'language']);

    // A bad form post from the registration page: that page again, with the error next to the field.
    const badForm = await post(`/series/${seriesId}/subscriptions`, { form: { email: 'nope', language: 'en', seminarId: seminar } });
    expect(badForm.status).toBe(400);
    expect(badForm.text).toContain('<h1>Seminar for feilsøking</h1>');
    expect(badForm.text).toContain('Enter a valid email address');
    expect(badForm.text).toContain('<a href="#field-series-email">');
    expect(badForm.text).toContain('id="field-series-email" name="email" value="nope"');
    expect(badForm.text).toContain('aria-invalid="true"');
    // Without a page to go back to: 303 to the series' own small page (a GET that changes nothing).
    const bare = await post(`/series/${seriesId}/subscriptions`, { form: { email: uniqueEmail('bare'), language: 'en' } });
    expect(bare.status).toBe(303);
    expect(bare.headers.get('location')).toBe(`/series/${seriesId}/subscriptions?sent=1&lang=en`);
    const own = await api('GET', bare.headers.get('location')!);
    expect(own.status).toBe(200);
    expect(own.text).toContain('<h1>Check your email</h1>');
    expect(own.text).toContain(escapeHtml(SERIES_EN));
    expect(own.text).toContain(`href="/series/${seriesId}/subscriptions?sent=1&amp;lang=nb" hreflang="nb"`);
    // Without ?sent=1 that page is the form.
    const ownForm = await api('GET', `/series/${seriesId}/subscriptions`);
    expect(ownForm.status).toBe(200);
    expect(ownForm.text).toContain(`<form action="/series/${seriesId}/subscriptions?lang=nb" method="post"`);
    expect((await api('GET', '/series/nosuchseries/subscriptions')).status).toBe(404);

    expect((await post('/series/nosuchseries/subscriptions', { body: { email: uniqueEmail() } })).status).toBe(404);
    const notFoundForm = await post('/series/nosuchseries/subscriptions', { form: { email: uniqueEmail(), language: 'nb' } });
    expect(notFoundForm.status).toBe(404);
    expect(notFoundForm.text).toContain('Fant ikke seminarserien');
    const draftOnly = newSeriesId('utkast');
    await createSeminar({ title: 'Bare et utkast', seriesId: draftOnly }, false);
    expect((await post(`/series/${draftOnly}/subscriptions`, { body: { email: uniqueEmail() } })).status).toBe(404);

    // No seriesTitle anywhere: the id, humanised.
    const untitled = newSeriesId('dialog-om-digitalisering');
    await createSeminar({ title: 'Dialogmøte', seriesId: untitled });
    const person = uniqueEmail('untitled');
    await subscribe(untitled, person);
    const humanised = `Dialog om digitalisering ${untitled.slice('dialog-om-digitalisering-'.length)}`;
    expect((await mails(person, CONFIRM_SUBJECT))[0].subject).toBe(`Bekreft abonnementet ditt: ${humanised}`);

    // A series title needs a series.
    const titleOnly = await api('POST', '/admin/seminars', {
      body: { title: 'X', seriesTitle: 'En serie', start: daysFromNow(30, 11), end: daysFromNow(30, 12), capacity: 1 },
    });
    expect(titleOnly.status).toBe(400);
    expect(titleOnly.body.errors).toEqual([{ field: 'seriesTitle', message: 'needs a seriesId' }]);

    const doc = (await api('GET', '/openapi.json')).body;
    const op = doc.paths['/series/{seriesId}/subscriptions'].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['email']);
    expect(op.description).toContain('Rate-limited');
  });
});
