/**
 * A seminar's private invitation list cannot be probed (issue 14, item 6). For an address outside the
 * partner domains the answer is the same whether it is invited or not (202 and "check your email", the
 * form's 303 to the same page); the refusal goes to the address by email, once per address and seminar,
 * with no confirm link. The partner-domain rule alone still refuses on the page
 * (test/integration/registration.test.ts, "eligibility").
 *
 * Equal cost: the submission use-case, run in this process against the cloud's DynamoDB Local and bus,
 * with the store's and the bus's clients counted, makes the same calls in the same order for an invited
 * and a non-invited address, new or repeated, and for a registered and an unknown address. The medians
 * of 30 submissions over HTTP are printed, not asserted (timing belongs in bench/registration.ts).
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { api, idle, mailbox, uniqueEmail, type ApiResponse } from '../support/local.js';
import { createSeminar, linkIn, register, registerForm, subjectStarts, waitForMail } from '../support/seminars.js';
import { functionEnvironment } from '../../shared/env-names.js';
import { localEnvironmentValues, REGION } from '../../infra/local/cloud.js';
import { wired } from '../../infra/wiring.js';

const PARTNER = 'dfo.no';
const REFUSED_NB = 'Om påmeldingen din: ';
const REFUSED_EN = 'About your registration: ';
const body = (email: string, o: Record<string, unknown> = {}) => ({ name: 'Gjest Gjestesen', email, organisation: 'Eksempel AS', mode: 'digital', ...o });
const guests = (tag: string, n: number) => Array.from({ length: n }, (_, i) => uniqueEmail(`${tag}${i}`, 'example.com'));

/** What a client sees of an answer, ids aside. */
function seen(r: ApiResponse) {
  return { status: r.status, contentType: r.headers.get('content-type'), cacheControl: r.headers.get('cache-control'), location: r.headers.get('location'), body: r.text };
}

/** The use-case as the public API function runs it, in this process, with the public API's environment. */
async function inProcess() {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoUrl'),
    AWS_ENDPOINT_URL_EVENTBRIDGE: inject('awsUrl'),
    ...functionEnvironment(wired('public-api'), localEnvironmentValues(inject('dataDir'), inject('apiUrl'))),
  });
  const { submit } = await import('../../shared/app/registrations.js');
  const { documentClient, eventBridgeClient } = await import('../../shared/aws/clients.js');
  // Every call the use-case makes to the table and the bus, in order, by command.
  const calls: string[] = [];
  for (const client of [documentClient(), eventBridgeClient()] as Array<{ send: (...a: unknown[]) => Promise<unknown> }>) {
    const send = client.send.bind(client);
    client.send = (command: unknown, ...rest: unknown[]) => {
      calls.push((command as object).constructor.name);
      return send(command, ...rest);
    };
  }
  return {
    /** The calls one submission makes, and its answer. */
    async submit(seminarId: string, b: Record<string, unknown>) {
      calls.length = 0;
      const result = await submit(seminarId, b, () => []);
      return { calls: [...calls], result: result.ok ? 'accepted' : `refused ${result.status}` };
    },
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The time of one submission over HTTP, after a pause in which the handlers finish with the one before
 * (its email); `idle()` would wait for SES's delayed events too, half a second each.
 */
async function timed(seminarId: string, email: string): Promise<number> {
  await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  const res = await register(seminarId, body(email));
  const ms = performance.now() - t0;
  expect(res.status, res.text).toBe(202);
  return ms;
}

describe('a seminar with a private invitation list', () => {
  const invited = guests('invitert', 94);
  let seminarId: string;
  let openSeminarId: string;
  beforeAll(async () => {
    seminarId = await createSeminar({
      title: 'Partnerforum: lukket seminar',
      eligibility: { kind: 'restricted', domains: [PARTNER], invited },
      contacts: [{ name: 'Hans Gøran Nilsson', email: 'hans@example.no' }],
    });
    openSeminarId = await createSeminar({ title: 'Åpent seminar for sammenligning' });
  });
  afterAll(() => idle());

  it('answers an invited and a non-invited address alike, as JSON and as a form post', async () => {
    const [inv, other] = [invited[0], uniqueEmail('ikke-invitert', 'example.com')];
    const a = await register(seminarId, body(inv));
    const b = await register(seminarId, body(other));
    expect(a.status, a.text).toBe(202);
    expect(seen(b)).toEqual(seen(a));
    expect(b.body).toEqual({ status: 'pending_confirmation' });

    const form = (email: string) => registerForm(seminarId, { name: 'Gjest Gjestesen', email, organisation: 'Eksempel AS', mode: 'digital', language: 'nb' });
    const fa = await form(invited[1]);
    const fb = await form(uniqueEmail('ikke-invitert-skjema', 'example.com'));
    expect(fa.status).toBe(303);
    expect(seen(fb)).toEqual(seen(fa));
    // Where the form lands, for both: "check your email", promising a confirm link only to who may register.
    const where = new URL(fa.headers.get('location')!, 'http://x');
    const page = await api('GET', where.pathname + where.search);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sjekk e-posten din');
    expect(page.text).toContain('Kan du melde deg på, har den en lenke du følger for å bekrefte påmeldingen.');
  });

  it('sends the invited address its confirm link, and the other one polite refusal, once however often it submits', async () => {
    const inv = invited[2];
    const other = uniqueEmail('ikke-invitert-to', 'example.com');
    expect((await register(seminarId, body(inv))).status).toBe(202);
    for (let i = 0; i < 3; i++) expect((await register(seminarId, body(other, { name: `Forsøk ${i + 1}` }))).status).toBe(202);
    expect((await registerForm(seminarId, { name: 'Forsøk 4', email: other, organisation: 'Eksempel AS', mode: 'digital' })).status).toBe(303);
    const confirm = await waitForMail(inv, subjectStarts('Bekreft påmeldingen din: '));
    expect(linkIn(confirm, '/registrations/confirm')).toBeTruthy();
    const refusal = await waitForMail(other, subjectStarts(REFUSED_NB));
    await idle();
    const toOther = await mailbox(other);
    expect(toOther.map((m) => m.subject)).toEqual([`${REFUSED_NB}Partnerforum: lukket seminar`]);
    const text = refusal.body.text ?? '';
    expect(text).toContain('Seminaret er kun for inviterte, og denne e-postadressen står ikke på invitasjonslisten.');
    expect(text).toContain('Hans Gøran Nilsson');
    // Its first submission's name, and no link that confirms or cancels anything.
    expect(text).toContain('Hei Forsøk 1,');
    expect(text).not.toContain('/registrations/');
    expect(refusal.body.html ?? '').not.toContain('/registrations/');
  });

  it('refuses in English to an address that asked in English', async () => {
    const other = uniqueEmail('not-invited', 'example.org');
    expect((await register(seminarId, body(other, { language: 'en' }))).status).toBe(202);
    const refusal = await waitForMail(other, subjectStarts(REFUSED_EN));
    expect(refusal.body.text).toContain('The seminar is by invitation only, and this email address is not on the invitation list.');
  });

  it('still takes a partner address without a refusal, and refuses no one by email on an open seminar', async () => {
    const partner = uniqueEmail('partner', PARTNER);
    expect((await register(seminarId, body(partner))).status).toBe(202);
    await waitForMail(partner, subjectStarts('Bekreft påmeldingen din: '));
    await idle();
    expect((await mailbox(partner)).filter((m) => m.subject.startsWith(REFUSED_NB))).toEqual([]);
  });

  it('costs the same store and bus calls for an invited and a non-invited address, new or repeated, registered or unknown', async () => {
    const use = await inProcess();
    const other = uniqueEmail('ikke-invitert-kall', 'example.com');
    const openAddress = uniqueEmail('apen-kall', 'example.com');
    const runs = {
      'invited, new': await use.submit(seminarId, body(invited[3])),
      'not invited, new': await use.submit(seminarId, body(other)),
      'invited, registered': await use.submit(seminarId, body(invited[3])),
      'not invited, again': await use.submit(seminarId, body(other)),
      'open seminar, unknown': await use.submit(openSeminarId, body(openAddress)),
      'open seminar, registered': await use.submit(openSeminarId, body(openAddress)),
    };
    console.log('store and bus calls per submission:', JSON.stringify(runs, null, 1));
    const shape = ['GetCommand', 'TransactWriteCommand', 'GetCommand', 'PutEventsCommand'];
    for (const [what, run] of Object.entries(runs)) {
      expect(run.result, what).toBe('accepted');
      expect(run.calls, what).toEqual(shape);
    }
    await idle();
    expect(await mailbox(other)).toHaveLength(1);
  });

  it('prints the median answer times: registered vs unknown, invited vs not (no assertion on time)', async () => {
    const n = 30;
    const [registered, unknown] = [invited.slice(4, 4 + n), invited.slice(4 + n, 4 + 2 * n)];
    for (const email of registered) expect((await register(seminarId, body(email))).status).toBe(202);
    const notInvited = guests('ikke-invitert-tid', n);
    await idle();
    const t = { registered: [] as number[], unknown: [] as number[], notInvited: [] as number[] };
    // Interleaved in a shuffled order, so that a slower moment of the machine weighs on each alike.
    for (let i = 0; i < n; i++) {
      const round: Array<[keyof typeof t, string]> = [
        ['registered', registered[i]],
        ['unknown', unknown[i]],
        ['notInvited', notInvited[i]],
      ];
      for (const [kind, email] of round.sort(() => Math.random() - 0.5)) t[kind].push(await timed(seminarId, email));
    }
    // The use-case alone, in this process (no gateway, no handlers sharing its event loop): the store's cost.
    const use = await inProcess();
    const [fresh, notInvitedToo] = [invited.slice(4 + 2 * n, 4 + 3 * n), guests('ikke-invitert-tid2', n)];
    const u = { registered: [] as number[], unknown: [] as number[], notInvited: [] as number[] };
    for (let i = 0; i < n; i++) {
      const round: Array<[keyof typeof u, string]> = [
        ['registered', registered[i]],
        ['unknown', fresh[i]],
        ['notInvited', notInvitedToo[i]],
      ];
      for (const [kind, email] of round.sort(() => Math.random() - 0.5)) {
        await new Promise((r) => setTimeout(r, 60));
        const t0 = performance.now();
        expect((await use.submit(seminarId, body(email))).result).toBe('accepted');
        u[kind].push(performance.now() - t0);
      }
    }
    const line = (where: string, x: typeof t) => {
      const m = { registered: median(x.registered), unknown: median(x.unknown), notInvited: median(x.notInvited) };
      return (
        `submission medians ${where}, ${n} each: registered ${m.registered.toFixed(1)} ms, unknown (invited) ${m.unknown.toFixed(1)} ms, not invited ${m.notInvited.toFixed(1)} ms;` +
        ` registered − unknown ${(m.registered - m.unknown).toFixed(1)} ms, not invited − unknown ${(m.notInvited - m.unknown).toFixed(1)} ms`
      );
    };
    console.log(`${line('over HTTP', t)}\n${line('of the use-case in process', u)}`);
    expect([...Object.values(t), ...Object.values(u)].every((xs) => xs.length === n)).toBe(true);
  });
});
