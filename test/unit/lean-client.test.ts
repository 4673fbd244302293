/**
 * The lean JSON client (shared/aws/lean.ts) against a plain HTTP server standing in for AWS:
 * - its requests carry a SigV4 signature that verifies as AWS verifies one (recomputed here from the
 *   request as received, by the algorithm of the AWS docs), like the SDK's own requests to the same server
 *   (the check of the checker), and they sign what says what the request is (host, content type, target);
 * - the body is the JSON protocol's (DynamoDB's target header; SES v2's path), blobs in base64;
 * - errors come back named as the SDK names them, with their fields; throttling and 5xx are retried, the
 *   caller's `aroundAttempt` wraps every attempt, a client error is not retried;
 * - hooks answer instead of AWS, under the retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { DynamoDBClient, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SignatureV4 } from '@smithy/signature-v4';
import { DYNAMODB, LeanClient, SESV2, fromAttributes, isRetryable, toAttributes } from '../../shared/aws/lean.js';
import { SigV4Signer } from '../../shared/aws/sigv4.js';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };
let server: http.Server;
let endpoint: string;
const received: Received[] = [];
/** What the server answers next (status, body, headers); by default 200 `{}`. */
let answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }> = [];

beforeAll(async () => {
  process.env.AWS_REGION = 'eu-north-1';
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const a = answers.shift() ?? { status: 200, body: {} };
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) });
      res.end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const hex = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');
const hmac = (key: string | Buffer, d: string) => createHmac('sha256', key).update(d).digest();

/** Recomputes a request's SigV4 signature from what arrived (AWS docs: "Create a signed AWS API request"). */
function verify(r: Received, service: string): { ok: boolean; signed: string[] } {
  const auth = String(r.headers.authorization);
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { ok: false, signed: [] };
  const [, key, date, region, svc, signedHeaders, signature] = m;
  const names = signedHeaders.split(';');
  const [path, query = ''] = r.path.split('?');
  const canonicalHeaders = names.map((n) => `${n}:${String(r.headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [r.method, path, query, canonicalHeaders, signedHeaders, hex(r.body)].join('\n');
  const amzDate = String(r.headers['x-amz-date']);
  const scope = `${date}/${region}/${svc}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), svc), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(toSign).digest('hex');
  return { ok: key === credentials.accessKeyId && svc === service && region === 'eu-north-1' && expected === signature, signed: names };
}

const lean = (service = DYNAMODB) => new LeanClient(service, async () => credentials, { endpoint });

describe('the lean AWS client', () => {
  it('signs a DynamoDB request as AWS verifies it, as the SDK does, and signs what the request is', async () => {
    received.length = 0;
    const input = { RequestItems: { t: [{ PutRequest: { Item: toAttributes({ pk: 'P#æøå', sk: 'S', n: 3, b: true, skip: undefined }) } }] } };
    await lean().call('BatchWriteItem', input);
    const sdk = new DynamoDBClient({ region: 'eu-north-1', endpoint, credentials, maxAttempts: 1 });
    await sdk.send(new BatchWriteItemCommand(input as never));
    expect(received).toHaveLength(2);
    const [ours, theirs] = received;
    expect(verify(theirs, 'dynamodb').ok).toBe(true); // the checker agrees with the SDK
    const v = verify(ours, 'dynamodb');
    expect(v.ok).toBe(true);
    expect(v.signed).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'content-type', 'x-amz-target', 'x-amz-security-token']));
    expect(ours.headers['x-amz-target']).toBe('DynamoDB_20120810.BatchWriteItem');
    expect(ours.headers['content-type']).toBe(theirs.headers['content-type']);
    expect(ours.method).toBe('POST');
    expect(ours.path).toBe('/');
    // The same request body as the SDK's, up to key order.
    expect(JSON.parse(ours.body)).toEqual(JSON.parse(theirs.body));
    expect(JSON.parse(ours.body).RequestItems.t[0].PutRequest.Item).toEqual({ pk: { S: 'P#æøå' }, sk: { S: 'S' }, n: { N: '3' }, b: { BOOL: true } });
    sdk.destroy();
  });

  it("signs as the SDK's own signer does, to the character, with the day's key kept", async () => {
    type Data = string | ArrayBuffer | ArrayBufferView;
    const bytes = (d: Data) => (typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));
    const sha256 = class {
      private h;
      constructor(secret?: Data) {
        this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
      }
      update(d: Data) {
        this.h.update(bytes(d));
      }
      digest() {
        return Promise.resolve(new Uint8Array(this.h.digest()));
      }
      reset() {}
    };
    const ours = new SigV4Signer('eu-north-1', 'ses');
    const sdk = new SignatureV4({ service: 'ses', region: 'eu-north-1', credentials, sha256, uriEscapePath: true });
    const cases = [
      { path: '/v2/email/outbound-emails', body: JSON.stringify({ Subject: 'Frokostmøte på Gardermoen' }), at: new Date('2027-01-14T07:59:59.999Z') },
      { path: '/', body: '{}', at: new Date('2027-01-14T08:00:00Z') },
      // The next day: a key of its own.
      { path: '/v2/email/outbound-emails', body: 'x'.repeat(9000), at: new Date('2027-01-15T00:00:01Z') },
      // A path with characters SigV4 escapes (twice, as for every service but S3).
      { path: '/v2/email/identities/a%40b.no', body: '', at: new Date('2027-01-15T00:00:02Z') },
    ];
    for (const c of cases) {
      const body = Buffer.from(c.body, 'utf8');
      const headers = { 'content-type': 'application/json', host: 'email.eu-north-1.amazonaws.com', 'content-length': String(body.length), 'x-amz-target': 'T.Op' };
      const mine = ours.sign({ method: 'POST', path: c.path, headers, body }, credentials, c.at);
      const theirs = await sdk.sign({ method: 'POST', protocol: 'https:', hostname: 'email.eu-north-1.amazonaws.com', path: c.path, query: {}, headers, body }, { signingDate: c.at });
      expect(mine.authorization).toBe(theirs.headers.authorization);
      expect(mine['x-amz-date']).toBe(theirs.headers['x-amz-date']);
      expect(mine['x-amz-security-token']).toBe(credentials.sessionToken);
    }
    // Other credentials (a role's refresh) on the same day: the kept key is not reused.
    const refreshed = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'another-secret', sessionToken: 'another-token' };
    const sdk2 = new SignatureV4({ service: 'ses', region: 'eu-north-1', credentials: refreshed, sha256, uriEscapePath: true });
    const at = new Date('2027-01-15T00:00:03Z');
    const body = Buffer.from('{}');
    const headers = { host: 'email.eu-north-1.amazonaws.com', 'content-length': '2' };
    const mine = ours.sign({ method: 'POST', path: '/', headers, body }, refreshed, at);
    expect(mine.authorization).toBe((await sdk2.sign({ method: 'POST', protocol: 'https:', hostname: 'email.eu-north-1.amazonaws.com', path: '/', query: {}, headers, body }, { signingDate: at })).headers.authorization);
  });

  it('sends SES v2 SendEmail to its REST path, signed for `ses`, with an attachment in base64 as the SDK does', async () => {
    received.length = 0;
    answers = [{ status: 200, body: { MessageId: 'ours' } }, { status: 200, body: { MessageId: 'theirs' } }];
    const ics = 'BEGIN:VCALENDAR\r\nSUMMARY:Frokostmøte\r\nEND:VCALENDAR\r\n';
    const simple = { Subject: { Data: 'Flyttet' }, Body: { Text: { Data: 'Hei' } } };
    const base = { FromEmailAddress: 'a@example.no', Destination: { ToAddresses: ['b@example.no'] } };
    const out = await lean(SESV2).call<{ MessageId: string }>('SendEmail', {
      ...base,
      Content: { Simple: { ...simple, Attachments: [{ FileName: 'i.ics', ContentType: 'text/calendar', RawContent: Buffer.from(ics).toString('base64') }] } },
    });
    expect(out.MessageId).toBe('ours');
    const sdk = new SESv2Client({ region: 'eu-north-1', endpoint, credentials, maxAttempts: 1 });
    await sdk.send(new SendEmailCommand({ ...base, Content: { Simple: { ...simple, Attachments: [{ FileName: 'i.ics', ContentType: 'text/calendar', RawContent: new TextEncoder().encode(ics) }] } } }));
    const [ours, theirs] = received;
    expect(verify(theirs, 'ses').ok).toBe(true);
    expect(verify(ours, 'ses').ok).toBe(true);
    expect(ours.path).toBe(theirs.path);
    expect(ours.path).toBe('/v2/email/outbound-emails');
    expect(JSON.parse(ours.body)).toEqual(JSON.parse(theirs.body));
    sdk.destroy();
  });

  it('names errors as the SDK does, with their fields; retries throttling and 5xx around each attempt; not a client error', async () => {
    received.length = 0;
    const client = lean();
    let attempts = 0;
    const around = async <T>(attempt: () => Promise<T>) => {
      attempts++;
      return attempt();
    };
    answers = [
      { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow down' } },
      { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'oops' } },
      { status: 200, body: { ok: 1 } },
    ];
    expect(await client.call('UpdateItem', {}, { aroundAttempt: around })).toEqual({ ok: 1 });
    expect(attempts).toBe(3);

    answers = [{ status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', message: 'cancelled', CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { status: { S: 'sent' }, n: { N: '2' } } }] } }];
    const err = await client.call('TransactWriteItems', {}).catch((e: unknown) => e as Record<string, unknown>);
    expect(err).toMatchObject({ name: 'TransactionCanceledException', message: 'cancelled', $metadata: { httpStatusCode: 400 }, $fault: 'client' });
    expect(fromAttributes((err.CancellationReasons as Array<{ Item?: never }>)[1].Item)).toEqual({ status: 'sent', n: 2 });
    expect(received).toHaveLength(4); // not retried

    // SES names the error in a header, with a suffix.
    answers = [{ status: 400, body: { message: 'Email address is not verified.' }, headers: { 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazon.coral.service/' } }];
    await expect(lean(SESV2).call('SendEmail', {})).rejects.toMatchObject({ name: 'MessageRejected', message: 'Email address is not verified.' });
    expect(isRetryable({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isRetryable({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });

  it('builds a lazily given request once, inside the first attempt, and sends the same bytes on a retry', async () => {
    received.length = 0;
    const client = lean();
    const order: string[] = [];
    let builds = 0;
    const around = async <T>(attempt: () => Promise<T>) => {
      order.push('attempt');
      return attempt();
    };
    answers = [{ status: 500, body: { __type: 'x#InternalServerError', message: 'oops' } }, { status: 200, body: { ok: 2 } }];
    const out = await client.call(
      'PutItem',
      async () => {
        builds++;
        order.push('build');
        return { Item: toAttributes({ pk: 'P', n: builds }) };
      },
      { aroundAttempt: around },
    );
    expect(out).toEqual({ ok: 2 });
    expect(builds).toBe(1);
    expect(order).toEqual(['attempt', 'build', 'attempt']);
    expect(received).toHaveLength(2);
    expect(received[1].body).toBe(received[0].body);
    expect(JSON.parse(received[0].body)).toEqual({ Item: { pk: { S: 'P' }, n: { N: '1' } } });

    // A request that cannot be built is not retried, and nothing is sent.
    await expect(client.call('PutItem', () => Promise.reject(new Error('cannot render')))).rejects.toThrow('cannot render');
    expect(received).toHaveLength(2);

    // What wraps the attempt failing retryably before the request is built (a throttled send budget) is retried.
    let waits = 0;
    const throttledOnce = async <T>(attempt: () => Promise<T>) => {
      if (waits++ === 0) throw Object.assign(new Error('budget throttled'), { name: 'ThrottlingException' });
      return attempt();
    };
    expect(await client.call('PutItem', async () => ({ Item: toAttributes({ pk: 'Q' }) }), { aroundAttempt: throttledOnce })).toEqual({});
    expect(waits).toBe(2);
    expect(received).toHaveLength(3);
  });

  it('a hook answers instead of AWS, under the retries, and can be removed', async () => {
    received.length = 0;
    const client = lean();
    let throttled = 0;
    const remove = client.intercept((call) => {
      if (call.operation !== 'PutItem' || throttled >= 2) return undefined;
      throttled++;
      return { statusCode: 400, body: JSON.stringify({ __type: 'x#ProvisionedThroughputExceededException', message: 'hook' }) };
    });
    expect(await client.call('PutItem', { a: 1 })).toEqual({});
    expect(throttled).toBe(2);
    expect(received).toHaveLength(1);
    remove();
    throttled = 0;
    expect(await client.call('GetItem', {})).toEqual({});
    expect(received).toHaveLength(2);
  });

  it('an answer that is not JSON (a proxy page, a cut-off body) is an error named by its status, a 5xx retried', async () => {
    received.length = 0;
    const client = lean();
    answers = [{ status: 502, body: '<html><body>502 Bad Gateway</body></html>' }, { status: 200, body: { ok: true } }];
    expect(await client.call('GetItem', {})).toEqual({ ok: true });
    expect(received).toHaveLength(2);
    answers = [{ status: 403, body: 'Forbidden' }];
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'Http403', $metadata: { httpStatusCode: 403 } });
  });

  it("checks DynamoDB's x-amz-crc32: a damaged answer is not used but retried; a matching one is taken", async () => {
    received.length = 0;
    const client = lean();
    const good = JSON.stringify({ Item: { pk: { S: 'a' } } });
    const crc = String(crc32(Buffer.from(good)) >>> 0);
    answers = [
      { status: 200, body: good.replace('"a"', '"b"'), headers: { 'x-amz-crc32': crc } },
      { status: 200, body: good, headers: { 'x-amz-crc32': crc } },
    ];
    expect(await client.call('GetItem', {})).toEqual({ Item: { pk: { S: 'a' } } });
    expect(received).toHaveLength(2);
    const once = new LeanClient(DYNAMODB, async () => credentials, { endpoint, maxAttempts: 1 });
    answers = [{ status: 200, body: good, headers: { 'x-amz-crc32': String((Number(crc) + 1) >>> 0) } }];
    await expect(once.call('GetItem', {})).rejects.toMatchObject({ name: 'CRC32CheckFailed', $fault: 'server' });
  });

  it("signs again at AWS's time when a request is refused for a clock that is off, as the SDK corrects its clock offset", async () => {
    received.length = 0;
    const client = lean();
    const aws = new Date(Date.now() + 3600_000); // this machine's clock an hour behind
    answers = [
      { status: 400, body: { __type: 'com.amazon.coral.service#InvalidSignatureException', message: 'Signature expired' }, headers: { date: aws.toUTCString() } },
      { status: 200, body: { ok: 1 }, headers: { date: aws.toUTCString() } },
    ];
    expect(await client.call('GetItem', {})).toEqual({ ok: 1 });
    expect(received).toHaveLength(2);
    const signedAt = (r: Received) => Date.parse(String(r.headers['x-amz-date']).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(Math.abs(signedAt(received[0]) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(signedAt(received[1]) - aws.getTime())).toBeLessThan(60_000);
    expect(verify(received[1], 'dynamodb').ok).toBe(true);
    // Later requests are signed at AWS's time from the start; a refusal with the clock right is not retried.
    answers = [{ status: 400, body: { __type: 'com.amazon.coral.service#InvalidSignatureException', message: 'The request signature we calculated does not match' }, headers: { date: new Date(Date.now() + 3600_000).toUTCString() } }];
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(received).toHaveLength(3);
    expect(Math.abs(signedAt(received[2]) - aws.getTime())).toBeLessThan(60_000);
  });

  it('gives up after its attempts', async () => {
    const client = new LeanClient(DYNAMODB, async () => credentials, { endpoint, maxAttempts: 2 });
    answers = [0, 1, 2].map(() => ({ status: 503, body: { __type: 'x#ServiceUnavailable', message: 'down' } }));
    await expect(client.call('GetItem', {})).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 }, $fault: 'server' });
    answers = [];
  });

  it('a connection that fails keeps its code for the retries (ECONNREFUSED), and its message names the call', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const refused = await new LeanClient(SESV2, async () => credentials, { endpoint: `http://127.0.0.1:${port}`, maxAttempts: 2 }).call('SendEmail', {}).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect((refused as Error).message).toMatch(/^SES\.SendEmail: /);
    expect(isRetryable(refused)).toBe(true);
  });
});
