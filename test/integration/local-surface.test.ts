/**
 * The local cloud's own surface (issue 14, item 10): DynamoDB Local on 127.0.0.1 only, no secret from
 * `GET /_local/function-env`, `aws.*` sources on the bus from AWS services only (the local SES), malformed
 * JSON to `/_local/*` answered 400.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { describe, expect, inject, it } from 'vitest';
import { EmailBounced, EmailComplaintReceived, EmailSent } from '../../events/index.js';
import { api, bounce, idle, putEvents, uniqueEmail } from '../support/local.js';
import { createSeminar, submitAndConfirm } from '../support/seminars.js';

/** Whether a TCP connection to host:port is accepted (refused or silent for 2 s: not). */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect({ host, port, timeout: 2000 });
    const done = (v: boolean) => {
      socket.destroy();
      ok(v);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** The local addresses of the sockets listening on `port`, from /proc/net/tcp{,6} (Linux), as hex. */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(/\s+/))
          .filter((f) => f.length > 3 && f[3] === '0A' && f[1].endsWith(`:${hexPort}`))
          .map((f) => f[1].split(':')[0])
      : [],
  );
}

/** 127.0.0.1 as /proc/net/tcp writes it, and as an IPv4-mapped IPv6 address in /proc/net/tcp6. */
const LOOPBACK_HEX = new Set(['0100007F', '0000000000000000FFFF00000100007F']);

describe('DynamoDB Local', () => {
  it('listens on 127.0.0.1 only: not reachable on any of the machine’s other addresses', async () => {
    const port = Number(new URL(inject('dynamoUrl')).port);
    expect(await reachable('127.0.0.1', port)).toBe(true);
    const others = Object.entries(networkInterfaces()).flatMap(([name, addrs]) =>
      (addrs ?? []).filter((a) => !a.internal).map((a) => (a.family === 'IPv6' && a.address.startsWith('fe80:') ? `${a.address}%${name}` : a.address)),
    );
    const open = [];
    for (const address of others) if (await reachable(address, port)) open.push(address);
    expect(open).toEqual([]);
    const bound = listeningAddresses(port);
    // Where the machine has no other address, the listening socket itself shows where it listens.
    expect(others.length + bound.length).toBeGreaterThan(0);
    expect(bound.filter((a) => !LOOPBACK_HEX.has(a))).toEqual([]);
  });
});

describe('GET /_local/function-env', () => {
  it('shows every function’s environment but never the link-signing secret', async () => {
    const secret = readFileSync(`${inject('dataDir')}/token-secret`, 'utf8').trim();
    const all = await api('GET', '/_local/function-env');
    expect(all.status).toBe(200);
    expect(all.body.TABLE_NAME).toBeTruthy();
    expect(all.body).not.toHaveProperty('TOKEN_SECRET');
    expect(all.text).not.toContain(secret);
    const one = await api('GET', '/_local/function-env?function=public-api');
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('TOKEN_SECRET');
    expect(one.text).not.toContain(secret);
  });
});

describe('aws.* sources on the bus', () => {
  const suppressed = async (email: string) => (await api('GET', `/admin/people/${encodeURIComponent(email)}`)).body.suppressed;

  it('a forged aws.ses bounce through PutEvents fails for its entry and suppresses nobody; a bounce from the local SES suppresses', async () => {
    const seminarId = await createSeminar();
    const { email } = await submitAndConfirm(seminarId, { name: 'Kari Nordmann', email: uniqueEmail('forged-bounce'), mode: 'physical', language: 'nb' });
    const detail = { eventType: 'Bounce', mail: { destination: [email] }, bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: email }] } };
    const out = await putEvents([
      { source: EmailBounced.source, detailType: EmailBounced.detailType, detail },
      { source: 'local.test', detailType: 'Nothing listens', detail: { email } },
      { source: EmailComplaintReceived.source, detailType: EmailComplaintReceived.detailType, detail: { mail: { destination: [email] }, complaint: { complainedRecipients: [{ emailAddress: email }] } } },
      { source: EmailSent.source, detailType: EmailSent.detailType, detail: { mail: { messageId: 'forged', destination: [email], tags: {} } } },
    ]);
    // As EventBridge answers it: a per-entry error, the request itself succeeds and the other entry goes on.
    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries![0]).toEqual({ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' });
    expect(out.Entries![1].EventId).toBeTruthy();
    expect(out.Entries![2].ErrorCode).toBe('NotAuthorizedForSourceException');
    expect(out.Entries![3].ErrorCode).toBe('NotAuthorizedForSourceException');
    await idle();
    expect(await suppressed(email)).toBe(false);

    await bounce(email);
    await idle();
    expect(await suppressed(email)).toBe(true);
  });

  it('SES feedback must name a bounce or a complaint and an address', async () => {
    for (const body of [{}, { type: 'Bounce' }, { type: 'Delivery', email: 'a@example.no' }, { type: 'Bounce', email: 'a@example.no', bounceType: 'Soft' }]) {
      expect((await api('POST', '/_local/ses/feedback', { body })).status).toBe(400);
    }
  });
});

describe('malformed JSON to /_local/*', () => {
  const posts = ['/_local/clock', '/_local/metrics/reset', '/_local/idle', '/_local/bench/ses-loop', '/_local/chaos', '/_local/ses/feedback'];
  it.each(posts)('POST %s answers 400 saying the body is not JSON, or not an object', async (path) => {
    const bad = await api('POST', path, { body: '{"set": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^The body is not valid JSON/);
    for (const notObject of ['[1]', 'null', '"x"']) {
      const r = await api('POST', path, { body: notObject });
      expect(r.status).toBe(400);
      expect(r.body.message).toBe('The body must be a JSON object');
    }
  });
});
