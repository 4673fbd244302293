/**
 * The exactly-once mailer and the fan-out under faults, against the real ledger in DynamoDB Local (the
 * test cloud's; the pacing of the sends, which needs no table, is in test/unit/send-pacing.test.ts).
 * Only the SES client is replaced, to inject throttling, failures, rejections and the "SES took it but
 * the caller never heard" case; DynamoDB faults are injected the way the local cloud's
 * chaos switch does it (a throttling/failing response below the SDK's retries).
 */
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { SendEmailCommandInput } from '../../shared/email/mailer.js';
import { LeanClient, SESV2 } from '../../shared/aws/lean.js';
import { inProcessEnvironment, mailbox } from '../support/local.js';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Registration, Seminar } from '../../shared/domain/model.js';
import { seminarRecord } from '../support/records.js';
import type { RegistrantMessage } from '../../shared/email/registrant-email.js';
import type { RegistrantNotice } from '../../shared/domain/registration-lifecycle.js';
import type { FanOutResult } from '../../shared/email/fan-out.js';

const LEASE_MS = 1500;
/** A sender name SES takes only as a MIME encoded-word (RFC 2047). */
const DFO_NAME = 'DFØ – Direktoratet for forvaltning og økonomistyring';

type Mods = {
  mailer: typeof import('../../shared/email/mailer.js');
  deliver: typeof import('../../shared/notices/deliver.js');
  seminars: typeof import('../../shared/store/seminars.js');
  ledger: typeof import('../../shared/store/ledger.js');
  clients: typeof import('../../shared/aws/clients.js');
  feedback: typeof import('../../functions/email/on-email-feedback.js');
  tag: typeof import('../../shared/email/ledger-tag.js');
  fanOut: typeof import('../../shared/email/fan-out.js');
};
let m: Mods;

beforeAll(async () => {
  Object.assign(process.env, {
    ...inProcessEnvironment(),
    AWS_ENDPOINT_URL_SESV2: 'http://127.0.0.1:9', // never reached: the SES client is replaced
    EVENT_BUS_ARN: 'arn:aws:events:eu-north-1:000000000000:event-bus/seminar-events',
    SCHEDULE_GROUP_NAME: 'seminar-events',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/local-scheduler',
    SENDER_EMAIL: 'seminarer@example.no',
    SENDER_NAME: DFO_NAME,
    PUBLIC_BASE_URL: 'http://localhost:3000',
    TOKEN_SECRET: 'unit-test-secret-unit-test-secret-unit-test',
    SES_SEND_RATE_PER_SECOND: '1000',
    SES_CONFIGURATION_SET: 'seminar-events',
    LEDGER_CLAIM_LEASE_MS: String(LEASE_MS),
    LOG_LEVEL: 'ERROR',
  });
  m = {
    mailer: await import('../../shared/email/mailer.js'),
    deliver: await import('../../shared/notices/deliver.js'),
    seminars: await import('../../shared/store/seminars.js'),
    ledger: await import('../../shared/store/ledger.js'),
    clients: await import('../../shared/aws/clients.js'),
    feedback: await import('../../functions/email/on-email-feedback.js'),
    tag: await import('../../shared/email/ledger-tag.js'),
    fanOut: await import('../../shared/email/fan-out.js'),
  };
});

afterEach(() => {
  vi.restoreAllMocks();
  faults.sentRecord = undefined;
});

/** Errors shaped as the SDK shapes them. */
function sdkError(name: string, status: number, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') {
  return Object.assign(new Error(`${name} (injected)`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

interface Sent {
  input: SendEmailCommandInput;
  messageId: string;
}

/**
 * Replaces SES: `behave(input, n)` runs for the n-th SendEmail call (1-based) and may throw; otherwise
 * the email is "accepted" and recorded. GetAccount answers as the local SES does (no account).
 */
function fakeSes(behave: (input: SendEmailCommandInput, call: number) => void | Promise<void> = () => undefined) {
  const accepted: Sent[] = [];
  let calls = 0;
  vi.spyOn(m.clients.sesClient(), 'send').mockImplementation((async (command: { constructor: { name: string } }) => {
    if (command.constructor.name === 'GetAccountCommand') throw sdkError('BadRequestException', 400);
    throw new Error(`${command.constructor.name} is not expected here`);
  }) as never);
  // SendEmail goes through the lean client (shared/aws/lean.ts): replaced as a whole, retries included, as the SDK's `send` was.
  vi.spyOn(m.clients.leanSesClient(), 'call').mockImplementation((async (operation: string, raw: unknown) => {
    if (operation !== 'SendEmail') throw new Error(`SES ${operation} is not expected here`);
    // The mailer hands over a function that builds the request (called once the first attempt may start).
    const input = (typeof raw === 'function' ? await (raw as () => Promise<unknown>)() : raw) as SendEmailCommandInput;
    calls++;
    await behave(input, calls);
    const messageId = `ses-${randomUUID()}`;
    accepted.push({ input, messageId });
    return { MessageId: messageId };
  }) as never);
  return { accepted, calls: () => calls, to: (addr: string) => accepted.filter((a) => a.input.Destination?.ToAddresses?.[0] === addr) };
}

type SentPut = { Item?: { status?: { S?: string } } };
/** A `sent` record: a transaction of them, or one alone as a conditional PutItem (the claims write `claimed`). */
const isSentRecord = (call: { operation: string; input: unknown }) =>
  (call.operation === 'TransactWriteItems' && (call.input as { TransactItems?: Array<{ Put?: SentPut }> }).TransactItems?.[0]?.Put?.Item?.status?.S === 'sent') ||
  (call.operation === 'PutItem' && (call.input as SentPut).Item?.status?.S === 'sent');

/** DynamoDB faults below the client's retries, like infra/local/chaos.ts does it. */
const faults: { sentRecord?: () => Error | undefined } = {};
let faultsInstalled = false;
function installDynamoFaults() {
  if (faultsInstalled) return;
  faultsInstalled = true;
  // The ledger's `sent` records go through the lean client; its hooks run under its retries, as the SDK's finalizeRequest middleware does.
  m.clients.leanDynamoClient().intercept((call) => {
    if (isSentRecord(call) && faults.sentRecord) {
      const err = faults.sentRecord();
      if (err) throw err;
    }
    return undefined;
  });
}

const subject = () => `unit${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const address = () => `p.${randomUUID().slice(0, 8)}@example.no`;
const email = (o: { subject: string; to: string; kind?: string; unsubscribeUrl?: string }) => ({
  subject: o.subject,
  kind: o.kind ?? 'streaming-link-20261204T073000Z',
  to: o.to,
  content: { subject: 'Lenke til strømming: Frokost', text: 'Her er lenken.', html: '<p>Her er lenken.</p>' },
  unsubscribeUrl: o.unsubscribeUrl,
});

/** SES's `Email Sent` event for an accepted email, as the local SES publishes it. */
function sentEvent(s: Sent) {
  const tags: Record<string, string[]> = {};
  for (const t of s.input.EmailTags ?? []) tags[t.Name!] = [t.Value!];
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Email Sent',
    source: 'aws.ses',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'eu-north-1',
    resources: [],
    detail: { eventType: 'Send', mail: { messageId: s.messageId, destination: s.input.Destination?.ToAddresses, tags }, send: {} },
  };
}

describe('sendOnce', () => {
  it('sends once with the ledger tag, the configuration set and the List-Unsubscribe headers; a second call sends nothing', async () => {
    const ses = fakeSes();
    const mail = email({ subject: subject(), to: address(), unsubscribeUrl: 'https://x.no/registrations/cancel?token=t' });
    expect(await m.mailer.sendOnce(mail)).toBe('sent');
    expect(await m.mailer.sendOnce(mail)).toBe('already-handled');
    expect(ses.calls()).toBe(1);
    const input = ses.accepted[0].input;
    expect(input.ConfigurationSetName).toBe('seminar-events');
    expect(input.Content?.Simple?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: '<https://x.no/registrations/cancel?token=t>' },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
    const tag = input.EmailTags?.find((t) => t.Name === 'ledger')?.Value;
    expect(tag).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(m.tag.parseLedgerTag(tag)).toEqual({ subject: mail.subject, kind: mail.kind });
    const entry = await m.ledger.getEntry(mail.subject, mail.kind, mail.to);
    expect(entry).toMatchObject({ status: 'sent', attempts: 1, messageId: ses.accepted[0].messageId });
  });

  it('a non-ASCII sender name goes out as RFC 2047 encoded-words; the local SES takes that, shows the name decoded, and refuses it raw as SES does', async () => {
    const ses = fakeSes();
    const to = address();
    expect(await m.mailer.sendOnce(email({ subject: subject(), to }))).toBe('sent');
    const input = ses.accepted[0].input;
    expect(input.FromEmailAddress).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?)+ <seminarer@example\.no>$/);
    expect(input.FromEmailAddress).toMatch(/^[\x20-\x7e]+$/);

    // The same request through the local cloud's SES v2 endpoint (the pass-through in front of the mailbox),
    // once as the mailer sends it (the lean client) and once through the SDK.
    const lean = new LeanClient(SESV2, async () => ({ accessKeyId: 'local', secretAccessKey: 'local' }), { endpoint: inject('awsUrl') });
    const real = new SESv2Client({ endpoint: inject('awsUrl'), region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { ConfigurationSetName: _omit, ...plain } = input;
    await lean.call('SendEmail', plain);
    const sdkTo = address();
    await real.send(new SendEmailCommand({ ...plain, Destination: { ToAddresses: [sdkTo] } } as never));
    expect((await mailbox(sdkTo))[0].from).toBe((await mailbox(to))[0].from);
    const [got] = await mailbox(to);
    // A mail client joins adjacent encoded-words (RFC 2047 §6.2: the space between them is not shown).
    const decoded = got.from.replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=(?: (?==\?))?/g, (_w, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
    expect(decoded).toBe(`${DFO_NAME} <seminarer@example.no>`);
    const raw = { ...plain, FromEmailAddress: `"${DFO_NAME}" <seminarer@example.no>`, Destination: { ToAddresses: [address()] } };
    await expect(real.send(new SendEmailCommand(raw as never))).rejects.toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    await expect(lean.call('SendEmail', raw)).rejects.toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
  });

  it('renders a lazy email only when its claim is won', async () => {
    fakeSes();
    const prepare = vi.fn(async () => ({ content: { subject: 'S', text: 'T', html: '<p>T</p>' } }));
    const mail = { subject: subject(), kind: 'recording', to: address(), prepare };
    expect(await m.mailer.sendOnce(mail)).toBe('sent');
    expect(await m.mailer.sendOnce(mail)).toBe('already-handled');
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('throttled by SES: retried with backoff until it goes, once', async () => {
    const ses = fakeSes((_i, n) => {
      if (n <= 2) throw sdkError('TooManyRequestsException', 429);
    });
    const mail = email({ subject: subject(), to: address() });
    expect(await m.mailer.sendWithRetry(mail)).toBe('sent');
    expect(ses.accepted).toHaveLength(1);
    expect(ses.calls()).toBe(3);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('a failure that outlasts the retries is recorded and thrown; the next delivery sends it, once', async () => {
    let failing = true;
    const ses = fakeSes(() => {
      if (failing) throw sdkError('InternalFailure', 500);
    });
    const mail = email({ subject: subject(), to: address() });
    await expect(m.mailer.sendWithRetry(mail, { attempts: 2 })).rejects.toThrow(/InternalFailure/);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'failed', attempts: 2 });
    failing = false;
    expect(await m.mailer.sendWithRetry(mail)).toBe('sent');
    expect(await m.mailer.sendWithRetry(mail)).toBe('already-handled');
    expect(ses.accepted).toHaveLength(1);
  });

  it('a permanent rejection is given up at once and never tried again', async () => {
    const ses = fakeSes(() => {
      throw sdkError('MessageRejected', 400);
    });
    const mail = email({ subject: subject(), to: address() });
    expect(await m.mailer.sendWithRetry(mail)).toBe('given-up');
    expect(ses.calls()).toBe(1);
    expect(await m.mailer.sendWithRetry(mail)).toBe('given-up');
    expect(ses.calls()).toBe(1);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'failed' });
  });

  it('a request SES calls bad is tried a few times (it may be a configuration mistake), then given up', async () => {
    const ses = fakeSes(() => {
      throw sdkError('BadRequestException', 400);
    });
    const mail = email({ subject: subject(), to: address() });
    expect(await m.mailer.sendWithRetry(mail)).toBe('given-up');
    expect(ses.calls()).toBe(m.mailer.BAD_REQUEST_ATTEMPTS);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'failed', attempts: m.mailer.BAD_REQUEST_ATTEMPTS });
  });

  it('a suppressed address gets nothing, and the log says so', async () => {
    const ses = fakeSes();
    const mail = email({ subject: subject(), to: address() });
    await m.ledger.suppress(mail.to, 'bounce (Permanent)', Date.now());
    expect(await m.mailer.sendWithRetry(mail)).toBe('suppressed');
    expect(ses.calls()).toBe(0);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'suppressed' });
  });

  it('the same email sent twice at once (a duplicate delivery): one SendEmail, both callers done', async () => {
    const ses = fakeSes(async () => {
      await new Promise((r) => setTimeout(r, 50));
    });
    const mail = email({ subject: subject(), to: address() });
    const outcomes = await Promise.all([m.mailer.sendWithRetry(mail, { pollMs: 20 }), m.mailer.sendWithRetry(mail, { pollMs: 20 })]);
    expect(outcomes.sort()).toEqual(['already-handled', 'sent']);
    expect(ses.calls()).toBe(1);
  });
});

describe('crashes', () => {
  it('between claim and send: the claim is held for its lease, then claimed again and sent, once', async () => {
    const ses = fakeSes();
    const mail = email({ subject: subject(), to: address() });
    // A sender claims it and dies before SES.
    const dead = await m.ledger.claim(mail.subject, mail.kind, mail.to, Date.now(), undefined, 'crashed-sender');
    expect(dead.claimed).toBe(true);
    expect(await m.mailer.sendWithRetry(mail, { deferInProgress: true })).toBe('in-progress');
    const t = Date.now();
    expect(await m.mailer.sendWithRetry(mail, { pollMs: 100 })).toBe('sent');
    expect(Date.now() - t).toBeGreaterThanOrEqual(LEASE_MS - 300);
    expect(ses.calls()).toBe(1);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('after SES took it, before it was recorded: SES’s Email Sent event records it, and it is never sent again', async () => {
    const ses = fakeSes();
    const mail = email({ subject: subject(), to: address() });
    // The dead sender's email reached SES (here: the fake's record) but never its ledger entry.
    await m.ledger.claim(mail.subject, mail.kind, mail.to, Date.now(), undefined, 'crashed-sender');
    const accepted: Sent = {
      messageId: 'ses-accepted-before-the-crash',
      input: { Destination: { ToAddresses: [mail.to] }, EmailTags: [{ Name: 'kind', Value: mail.kind }, { Name: 'ledger', Value: m.tag.ledgerTagValue(mail.subject, mail.kind)! }], Content: { Simple: { Subject: { Data: 'S' }, Body: { Text: { Data: 'T' } } } } },
    };
    expect(await m.feedback.handler(sentEvent(accepted) as never)).toEqual({ recorded: true });
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'sent', messageId: 'ses-accepted-before-the-crash' });
    await new Promise((r) => setTimeout(r, LEASE_MS + 100)); // the lease runs out: still nothing to send
    expect(await m.mailer.sendWithRetry(mail)).toBe('already-handled');
    expect(ses.calls()).toBe(0);
    // The event again (EventBridge delivers at least once): nothing changes.
    expect(await m.feedback.handler(sentEvent(accepted) as never)).toEqual({ recorded: false });
  });

  it('SES took it but the call failed (connection lost): the failure does not undo SES’s record, no second copy', async () => {
    const ses = fakeSes(async (input) => {
      // SES accepts, publishes Email Sent, and the answer never arrives.
      await m.feedback.handler(sentEvent({ input, messageId: 'ses-lost-answer' }) as never);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
    });
    const mail = email({ subject: subject(), to: address() });
    expect(await m.mailer.sendWithRetry(mail)).toBe('already-handled');
    expect(ses.calls()).toBe(1);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'sent', messageId: 'ses-lost-answer' });
  });

  it('the ledger cannot record a sent email: it is not sent again; the claim holds until SES’s event records it', async () => {
    installDynamoFaults();
    const ses = fakeSes();
    const mail = email({ subject: subject(), to: address() });
    faults.sentRecord = () => sdkError('AccessDeniedException', 400);
    await expect(m.mailer.sendOnce(mail)).rejects.toBeInstanceOf(m.mailer.SentNotRecordedError);
    expect(ses.calls()).toBe(1);
    faults.sentRecord = undefined;
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'claimed' });
    // Another delivery meanwhile: held off by the claim, no second SendEmail.
    expect(await m.mailer.sendWithRetry(mail, { deferInProgress: true })).toBe('in-progress');
    await m.feedback.handler(sentEvent(ses.accepted[0]) as never);
    expect(await m.mailer.sendWithRetry(mail)).toBe('already-handled');
    expect(ses.calls()).toBe(1);
  });

  it('sendWithRetry treats a sent-but-unrecorded email as sent', async () => {
    installDynamoFaults();
    const ses = fakeSes();
    const mail = email({ subject: subject(), to: address() });
    faults.sentRecord = () => sdkError('AccessDeniedException', 400);
    expect(await m.mailer.sendWithRetry(mail)).toBe('sent');
    expect(ses.calls()).toBe(1);
  });

  it('DynamoDB throttling on the record: the SDK retries it through', async () => {
    installDynamoFaults();
    fakeSes();
    const mail = email({ subject: subject(), to: address() });
    let n = 0;
    faults.sentRecord = () => (++n <= 2 ? sdkError('ThrottlingException', 400) : undefined);
    expect(await m.mailer.sendOnce(mail)).toBe('sent');
    expect(n).toBeGreaterThanOrEqual(3);
    expect(await m.ledger.getEntry(mail.subject, mail.kind, mail.to)).toMatchObject({ status: 'sent' });
  });
});

describe('the local SES', () => {
  it('publishes, for an accepted SendEmail with a configuration set, an Email Sent event the catalog accepts and the handler understands', async () => {
    const { sentEventEntry } = await import('../../infra/local/ses.js');
    const { EmailSent } = await import('../../events/index.js');
    const request = {
      ConfigurationSetName: 'seminar-events',
      FromEmailAddress: 'seminarer@example.no',
      Destination: { ToAddresses: ['ola@example.no'] },
      EmailTags: [{ Name: 'ledger', Value: m.tag.ledgerTagValue('sem1', 'recording')! }],
      Content: { Simple: { Subject: { Data: 'Opptak' }, Body: { Text: { Data: 'x' } } } },
    };
    const entry = sentEventEntry(Buffer.from(JSON.stringify(request)), Buffer.from(JSON.stringify({ MessageId: 'ses-1' })), 'seminar-events', '000000000000')!;
    expect(entry).toMatchObject({ Source: 'aws.ses', DetailType: 'Email Sent', EventBusName: 'seminar-events' });
    const detail = EmailSent.schema.parse(JSON.parse(entry.Detail!));
    expect(detail.mail.destination).toEqual(['ola@example.no']);
    expect(m.tag.parseLedgerTag(detail.mail.tags?.ledger?.[0])).toEqual({ subject: 'sem1', kind: 'recording' });
    expect(detail.mail.tags?.['ses:configuration-set']).toEqual(['seminar-events']);
    // No configuration set, no event (as SES).
    const { ConfigurationSetName: _c, ...without } = request;
    expect(sentEventEntry(Buffer.from(JSON.stringify(without)), Buffer.from('{"MessageId":"ses-2"}'), 'seminar-events', '000000000000')).toBeUndefined();
  });
});

describe('claimMany', () => {
  it('claims new entries in one transaction; the same key twice in a batch is claimed once', async () => {
    const s = subject();
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const a = address();
    const b = address();
    const results = await m.ledger.claimMany([
      { subject: s, kind: 'k', recipient: a, nowMs: now, expiresAt: exp, owner: 'one' },
      { subject: s, kind: 'k', recipient: b, nowMs: now, expiresAt: exp, owner: 'one' },
      { subject: s, kind: 'k', recipient: a, nowMs: now, expiresAt: exp, owner: 'two' },
    ]);
    expect(results.map((r) => r.claimed)).toEqual([true, true, false]);
    expect(results[2]).toMatchObject({ claimed: false, status: 'claimed' });
    // Existing entries fall back to single claims: the owner may claim its own again, others may not.
    const again = await m.ledger.claimMany([
      { subject: s, kind: 'k', recipient: a, nowMs: now, expiresAt: exp, owner: 'one' },
      { subject: s, kind: 'k', recipient: b, nowMs: now, expiresAt: exp, owner: 'two' },
    ]);
    expect(again.map((r) => r.claimed)).toEqual([true, false]);
  });
});

async function seedSeminarFor(mods: Mods, n: number): Promise<{ seminar: Seminar; registrations: Registration[] }> {
  const id = subject();
  const at = new Date().toISOString();
  const seminar = seminarRecord({
    id,
    title: 'Frokostseminar',
    description: '',
    start: new Date(Date.now() + 86400_000).toISOString(),
    end: new Date(Date.now() + 90000_000).toISOString(),
    doorsOpen: undefined,
    venue: undefined,
    program: [],
    speakers: [],
    contacts: [],
    capacity: 10,
    streamingUrl: 'https://stream.example.no/x',
    seatsTaken: 0,
    createdAt: at,
    updatedAt: at,
  });
  const registrations: Registration[] = Array.from({ length: n }, (_, i) => ({
    id: `r${String(i).padStart(4, '0')}`,
    seminarId: id,
    email: address(),
    name: `Deltaker ${i}`,
    organisation: '',
    requestedMode: 'digital',
    digitalIfFull: false,
    joinWaitlist: false,
    language: i % 2 ? 'nb' : 'en',
    status: i % 10 === 9 ? 'pending' : 'confirmed',
    attendance: 'digital',
    submittedAt: at,
    confirmedAt: at,
  }));
  for (const r of registrations) {
    await mods.clients.documentClient().send(new PutCommand({ TableName: 'seminar-events', Item: { pk: `SEMINAR#${id}`, sk: `REG#${r.id}`, ...r } }));
  }
  return { seminar, registrations };
}

/** A notice to these registrants as the sender delivers one queued message of it (shared/notices/deliver.ts). */
function notify(
  seminar: Seminar,
  registrations: Registration[],
  kind: string,
  build: (r: Registration) => RegistrantMessage,
  opts: { notice: RegistrantNotice; bulk?: boolean; stopAt?: number },
) {
  return m.deliver.sendNotice({ audience: 'registrants', seminar, kind, notice: opts.notice, bulk: opts.bulk, build }, registrations.map((r) => r.id), { stopAt: opts.stopAt }) as Promise<FanOutResult>;
}

describe('markSentMany', () => {
  it('records each entry that still exists; one an erasure replaced meanwhile is not brought back', async () => {
    const s = subject();
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const [a, b, c] = [address(), address(), address()];
    const won = await m.ledger.claimMany([a, b, c].map((recipient) => ({ subject: s, kind: 'k', recipient, nowMs: now, expiresAt: exp, owner: 'o' })));
    const entries = won.map((r) => (r.claimed ? r.entry : undefined)!);
    expect(entries.every(Boolean)).toBe(true);
    // The erasure of b settled and replaced its entry (SES's Email Sent had marked it sent first).
    await m.clients.documentClient().send(new DeleteCommand({ TableName: 'seminar-events', Key: { pk: `LEDGER#${s}`, sk: `k#${b}` } }));
    await m.ledger.markSentMany(entries.map((entry, i) => ({ entry, messageId: `ses-${i}`, sentAtMs: now })));
    const log = await m.ledger.listEntries(s);
    expect(log.map((e) => [e.recipient, e.status, e.messageId]).sort()).toEqual(
      [
        [a, 'sent', 'ses-0'],
        [c, 'sent', 'ses-2'],
      ].sort(),
    );
  });

  it('one record alone (a single email) is a conditional PutItem: recorded if the entry exists, not brought back if erased', async () => {
    const s = subject();
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const [a, b] = [address(), address()];
    const won = await m.ledger.claimMany([a, b].map((recipient) => ({ subject: s, kind: 'k', recipient, nowMs: now, expiresAt: exp, owner: 'o' })));
    const [ea, eb] = won.map((r) => (r.claimed ? r.entry : undefined)!);
    const ops: string[] = [];
    const remove = m.clients.leanDynamoClient().intercept((call) => void ops.push(call.operation));
    try {
      await m.ledger.markSentMany([{ entry: ea, messageId: 'ses-a', sentAtMs: now }]);
      await m.clients.documentClient().send(new DeleteCommand({ TableName: 'seminar-events', Key: { pk: `LEDGER#${s}`, sk: `k#${b}` } }));
      await m.ledger.markSentMany([{ entry: eb, messageId: 'ses-b', sentAtMs: now }]);
    } finally {
      remove();
    }
    expect(ops).toEqual(['PutItem', 'PutItem']);
    const log = await m.ledger.listEntries(s);
    expect(log.map((e) => [e.recipient, e.status, e.messageId])).toEqual([[a, 'sent', 'ses-a']]);
  });
});

describe('a notice to registrants', () => {
  const seedSeminar = (n: number) => seedSeminarFor(m, n);

  it('two deliveries at once, SES throttling each recipient once: every confirmed registrant gets exactly one email', async () => {
    const { seminar, registrations } = await seedSeminar(40);
    const throttledOnce = new Set<string>();
    const ses = fakeSes((input) => {
      const to = input.Destination!.ToAddresses![0];
      if (!throttledOnce.has(to)) {
        throttledOnce.add(to);
        throw sdkError('TooManyRequestsException', 429);
      }
    });
    const build = (r: Registration) => ({ kind: 'streaming-link' as const, name: r.name, streamingUrl: seminar.streamingUrl! });
    const [a, b] = await Promise.all([
      notify(seminar, registrations, 'streaming-link-test', build, { notice: 'streaming-link', bulk: true }),
      notify(seminar, registrations, 'streaming-link-test', build, { notice: 'streaming-link', bulk: true }),
    ]);
    const confirmed = registrations.filter((r) => r.status === 'confirmed');
    for (const r of confirmed) expect(ses.to(r.email), r.email).toHaveLength(1);
    for (const r of registrations.filter((x) => x.status !== 'confirmed')) expect(ses.to(r.email)).toHaveLength(0);
    expect(a.sent + b.sent).toBe(confirmed.length);
    expect(a.sent + a.alreadyHandled).toBe(confirmed.length);
    expect(b.sent + b.alreadyHandled).toBe(confirmed.length);
    const log = await m.ledger.listEntries(seminar.id);
    expect(log.filter((e) => e.status === 'sent')).toHaveLength(confirmed.length);
    // Bulk notices carry the registrant's own cancel link as List-Unsubscribe.
    const headers = ses.accepted[0].input.Content?.Simple?.Headers ?? [];
    expect(headers.find((h) => h.Name === 'List-Unsubscribe')?.Value).toMatch(/^<http:\/\/localhost:3000\/registrations\/cancel\?token=.+>$/);
  });

  it('a recipient that keeps failing makes the delivery throw (so the message comes back) after everyone else got theirs; the retry sends only that one', async () => {
    const { seminar, registrations } = await seedSeminar(12);
    const confirmed = registrations.filter((r) => r.status === 'confirmed');
    const stubborn = confirmed[3].email;
    let broken = true;
    const ses = fakeSes((input) => {
      if (broken && input.Destination!.ToAddresses![0] === stubborn) throw sdkError('InternalFailure', 500);
    });
    const build = (r: Registration) => ({ kind: 'recording-published' as const, name: r.name, recordingUrl: 'https://x.no/opptak' });
    await expect(notify(seminar, registrations, 'recording-test', build, { notice: 'recording' })).rejects.toThrow(/1 email\(s\) of kind recording-test failed/);
    expect(ses.accepted).toHaveLength(confirmed.length - 1);
    broken = false;
    const retry = await notify(seminar, registrations, 'recording-test', build, { notice: 'recording' });
    expect(retry).toMatchObject({ sent: 1, alreadyHandled: confirmed.length - 1, failed: 0 });
    expect(ses.to(stubborn)).toHaveLength(1);
  });
});

describe('a queued notice, as the sender reads it again', () => {
  /** A livestream whose streaming-link moment has come (it starts in ten minutes), stored with its registrants. */
  async function livestream(n: number) {
    const { seminar, registrations } = await seedSeminarFor(m, n);
    const start = new Date(Date.now() + 10 * 60_000).toISOString();
    const stored = { ...seminar, start, end: new Date(Date.now() + 3 * 3600_000).toISOString(), livestream: true, status: 'scheduled' as const };
    await m.seminars.createSeminar(stored);
    return { seminar: stored, registrations };
  }
  const queued = (seminarId: string, start: string, to: string[]) => ({ v: 1 as const, notice: 'streaming-link', params: { seminarId, start }, to });

  it('sends to whoever still receives it as stored: a registration cancelled or erased since the fan-out gets nothing', async () => {
    const { seminar, registrations } = await livestream(10);
    const confirmed = registrations.filter((r) => r.status === 'confirmed');
    const [cancelled, erased] = confirmed;
    await m.clients.documentClient().send(new PutCommand({ TableName: 'seminar-events', Item: { pk: `SEMINAR#${seminar.id}`, sk: `REG#${cancelled.id}`, ...cancelled, status: 'cancelled' } }));
    await m.clients.documentClient().send(new DeleteCommand({ TableName: 'seminar-events', Key: { pk: `SEMINAR#${seminar.id}`, sk: `REG#${erased.id}` } }));
    const ses = fakeSes();
    const message = queued(seminar.id, seminar.start, confirmed.map((r) => r.id));
    const result = await m.deliver.sendNotice(await m.deliver.loadQueued(message), message.to);
    expect(result).toMatchObject({ sent: confirmed.length - 2, skipped: 2, failed: 0 });
    expect(ses.to(cancelled.email)).toHaveLength(0);
    expect(ses.to(erased.email)).toHaveLength(0);
    for (const r of confirmed.slice(2)) expect(ses.to(r.email), r.email).toHaveLength(1);
  });

  it('sends nothing when the notice went stale since it was queued (the seminar cancelled), or when its parameters are not the stored truth', async () => {
    const { seminar, registrations } = await livestream(6);
    const ids = registrations.map((r) => r.id);
    const ses = fakeSes();
    // A start the seminar does not have (a forged or an old message): stale.
    const forged = queued(seminar.id, new Date(Date.parse(seminar.start) - 3600_000).toISOString(), ids);
    expect(await m.deliver.sendNotice(await m.deliver.loadQueued(forged), ids)).toEqual({ stale: 'not a scheduled livestream at this start' });
    await m.seminars.updateSeminarFields(seminar.id, { status: 'cancelled' });
    const due = queued(seminar.id, seminar.start, ids);
    expect(await m.deliver.sendNotice(await m.deliver.loadQueued(due), ids)).toEqual({ stale: 'not a scheduled livestream at this start' });
    expect(ses.accepted).toHaveLength(0);
    expect(() => m.deliver.loadQueued({ ...due, notice: 'no-such-notice' })).toThrow(/Unknown notice no-such-notice/);
  });
});

describe('the fan-out engine', () => {
  /** Pages of plain emails to new addresses; `undefined` marks a recipient the notice skips. */
  const pagesOf = (sizes: number[], subj: string, skipEvery = 0) =>
    sizes.map((n, p) => Array.from({ length: n }, (_, i) => (skipEvery && i % skipEvery === skipEvery - 1 ? undefined : email({ subject: subj, to: `page${p}.${i}.${randomUUID().slice(0, 6)}@example.no` }))));
  async function* from<T>(pages: T[][], onRead?: (index: number) => void) {
    for (const [i, page] of pages.entries()) {
      onRead?.(i);
      yield page;
    }
  }

  it('sends every page once, counts what it skipped, and has every email recorded sent when it returns', async () => {
    const subj = subject();
    const pages = pagesOf([70, 3, 0, 41], subj, 10);
    const ses = fakeSes();
    const result = await m.fanOut.fanOut(from(pages), { kind: 'streaming-link-20261204T073000Z', describe: {} });
    const wanted = pages.flat().filter((x) => x !== undefined);
    expect(result).toEqual({ sent: wanted.length, alreadyHandled: 0, suppressed: 0, failed: 0, skipped: pages.flat().length - wanted.length, complete: true });
    for (const mail of wanted) expect(ses.to(mail.to)).toHaveLength(1);
    // The `sent` records went in the background, and the fan-out waited for them.
    const log = await m.ledger.listEntries(subj);
    expect(log.map((e) => e.status)).toEqual(wanted.map(() => 'sent'));
  });

  it('looks suppression up a page at a time: suppressed addresses get nothing and are logged as suppressed', async () => {
    const subj = subject();
    const [page] = pagesOf([8], subj);
    const blocked = [page[2]!.to, page[5]!.to];
    for (const a of blocked) await m.ledger.suppress(a, 'bounce (Permanent)', Date.now());
    const ses = fakeSes();
    const result = await m.fanOut.fanOut(from([page]), { kind: 'streaming-link-20261204T073000Z', describe: {} });
    expect(result).toMatchObject({ sent: 6, suppressed: 2 });
    for (const a of blocked) expect(ses.to(a)).toHaveLength(0);
    const log = await m.ledger.listEntries(subj);
    expect(log.filter((e) => e.status === 'suppressed').map((e) => e.recipient).sort()).toEqual([...blocked].sort());
  });

  it('sends a page as one batch: a transaction of claims per chunk, one look at what entitles them, the records 25 to a write; sent before or erased, nothing', async () => {
    const subj = subject();
    const [plain] = pagesOf([70], subj);
    const entitled = { pk: `TEST#${subj}`, sk: 'ENTITLED' };
    await m.clients.documentClient().send(new PutCommand({ TableName: 'seminar-events', Item: entitled }));
    const page = plain.map((mail, i) => ({ ...mail!, entitledBy: i === 7 ? { pk: `TEST#${subj}`, sk: 'ERASED' } : entitled }));
    const ses = fakeSes();
    expect(await m.mailer.sendOnce(page[3])).toBe('sent'); // an earlier delivery sent this one
    m.clients.awsCallCounts.clear();
    const result = await m.fanOut.fanOut(from([page]), { kind: 'streaming-link-20261204T073000Z', describe: {} });
    expect(result).toEqual({ sent: 68, alreadyHandled: 1, suppressed: 0, failed: 0, skipped: 1, complete: true });
    for (const mail of page) expect(ses.to(mail.to)).toHaveLength(mail === page[7] ? 0 : 1);
    // SES_SEND_RATE_PER_SECOND is 1000 here: claims 50 at a time (a quarter of a second's sends, at most 50).
    expect(m.mailer.claimAhead()).toBe(50);
    const calls = Object.fromEntries(m.clients.awsCallCounts);
    // Claims: two chunks, the first again without the entry sent before (a transaction is refused as a
    // whole); records: 25 to a transaction.
    expect(calls['DynamoDB.TransactWriteItems']).toBe(3 + Math.ceil(68 / 25));
    // One suppression lookup for the page, one entitlement look per chunk of claims.
    expect(calls['DynamoDB.BatchGetItem']).toBe(1 + 2);
    const log = await m.ledger.listEntries(subj);
    expect(log.filter((e) => e.status === 'sent')).toHaveLength(69);
    expect(log.find((e) => e.recipient === page[7].to.toLowerCase())).toBeUndefined(); // the erased recipient's claim went
  });

  it('an email named twice in a page (one owner claims the batch) goes out once', async () => {
    const subj = subject();
    const [page] = pagesOf([3], subj);
    const twice = [...page, { ...page[1]!, to: page[1]!.to.toUpperCase() }];
    const ses = fakeSes();
    const result = await m.fanOut.fanOut(from([twice]), { kind: 'streaming-link-20261204T073000Z', describe: {} });
    expect(result).toMatchObject({ sent: 3, alreadyHandled: 1 });
    expect(ses.to(page[1]!.to)).toHaveLength(1);
    expect(ses.accepted).toHaveLength(3);
  });

  it('a page that cannot be read makes it throw after what was read is sent and recorded; the retry sends only the rest', async () => {
    const subj = subject();
    const pages = pagesOf([30, 30], subj);
    const ses = fakeSes();
    const kind = 'streaming-link-20261204T073000Z';
    await expect(
      m.fanOut.fanOut(from(pages, (i) => { if (i === 1) throw new Error('page 2 unreadable'); }), { kind, describe: {} }),
    ).rejects.toThrow(/1 email\(s\) of kind/);
    expect(ses.accepted).toHaveLength(30);
    expect((await m.ledger.listEntries(subj)).filter((e) => e.status === 'sent')).toHaveLength(30);
    const retry = await m.fanOut.fanOut(from(pages), { kind, describe: {} });
    expect(retry).toMatchObject({ sent: 30, alreadyHandled: 30 });
    for (const mail of pages.flat()) expect(ses.to(mail!.to)).toHaveLength(1);
  });
});

describe('a sender whose invocation runs out of time', () => {
  it('stops starting emails at stopAt and says the message is not finished; its next delivery finishes without doubles', async () => {
    const { seminar, registrations } = await seedSeminarFor(m, 20);
    const ses = fakeSes();
    const build = (r: Registration) => ({ kind: 'streaming-link' as const, name: r.name, streamingUrl: 'https://stream.example.no/x' });
    const stopped = await notify(seminar, registrations, 'continued', build, { notice: 'streaming-link', stopAt: Date.now() - 1 });
    expect(stopped).toMatchObject({ complete: false, sent: 0 });
    const done = await notify(seminar, registrations, 'continued', build, { notice: 'streaming-link', stopAt: Date.now() + 60_000 });
    const confirmed = registrations.filter((r) => r.status === 'confirmed');
    expect(done).toMatchObject({ complete: true, sent: confirmed.length });
    for (const r of confirmed) expect(ses.to(r.email)).toHaveLength(1);
  });
});

describe('the senders of a fan-out', () => {
  it('has a sender per slot, and at high send rates up to two rounds more that render ahead', () => {
    // SES_SEND_RATE_PER_SECOND is 1000 in these tests: 64 slots, and an eighth of a second's sends more
    // (125, under the cap of 2 × 64).
    expect(m.mailer.senderConcurrency()).toBe(64);
    expect(m.fanOut.fanOutSenders()).toBe(64 + 125);
  });
});
