/**
 * Rate limits of the public write routes, end to end through a local cloud of their own started with
 * small limits (the shared test cloud raises them, since every test talks from 127.0.0.1): the route
 * throttle in the gateway, then the per-address and per-IP counters in DynamoDB. Each answers 429 with a
 * Retry-After; the counters hold no address or IP in clear and expire through TTL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SpawnedCloud } from '../../infra/local/spawn.js';
import { NAMES, REGION } from '../../infra/local/cloud.js';
import { daysFromNow, uniqueEmail } from '../support/local.js';
import { scheduleOn, startOwnCloud, type OwnCloud } from '../support/own-cloud.js';

let own: OwnCloud;
let cloud: SpawnedCloud;
let seminarId: string;

const LIMITS = {
  // One token per 5 s, so a slow machine cannot refill a bucket in the middle of a step.
  RATE_LIMIT_STAGE_RPS: '0.2',
  RATE_LIMIT_STAGE_BURST: '6',
  RATE_LIMIT_ROUTE_RPS: '0.2',
  RATE_LIMIT_ROUTE_BURST: '3',
  RATE_LIMIT_PER_IP: '3',
  RATE_LIMIT_PER_IP_WINDOW_SECONDS: '600',
  RATE_LIMIT_PER_ADDRESS: '2',
  RATE_LIMIT_PER_ADDRESS_WINDOW_SECONDS: '3600',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A POST with a JSON body to the rate-limit cloud. */
async function postJson(path: string, body: unknown) {
  const res = await fetch(`${cloud.urls.api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The gateway's own 429 (the route throttle, before any function runs), not a counter's. */
const refusedByGateway = (r: { status: number; text: string }) => r.status === 429 && r.text.includes('"message":"Too Many Requests"');

async function submit(email: string, form = false) {
  const url = `${cloud.urls.api}/seminars/${seminarId}/registrations`;
  const body = { email, name: 'Åse Ødegård', organisation: 'Bærum kommune', mode: 'digital' };
  const res = form
    ? await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() })
    : await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  own = await startOwnCloud('ratelimit', { ...LIMITS, SES_SEND_RATE_PER_SECOND: '1000' });
  cloud = own.cloud;
  seminarId = await scheduleOn(own, { title: 'Frokostseminar', start: daysFromNow(10, 7), end: daysFromNow(10, 9), capacity: 10, doubleOptIn: false });
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

describe('rate limits (local cloud with small limits)', () => {
  it('the gateway throttles every route like the API Gateway stage: 429 problem+json with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(`${cloud.urls.api}/health`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await last!.json()) as { status: number; title: string };
    expect(body).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  it('per address, then the route throttle, then per IP, each with its own 429', async () => {
    // The counters are fixed windows (shared/store/rate-limits.ts), aligned to the epoch: the steps below
    // (about 7 s) are kept inside one window of the per-IP limit (and so of the per-address one, a
    // multiple of it), or the counts would split across two.
    const windowMs = Number(LIMITS.RATE_LIMIT_PER_IP_WINDOW_SECONDS) * 1000;
    const left = windowMs - (Date.now() % windowMs);
    if (left < 30_000) await sleep(left + 500);
    const a = uniqueEmail('limited');

    // Two submissions for one address pass (IP count 2), the third is refused for the address (IP 3).
    expect((await submit(a)).status).toBe(202);
    expect((await submit(a.toUpperCase())).status).toBe(202);
    const perAddress = await submit(` ${a} `);
    expect(perAddress.status).toBe(429);
    expect(perAddress.headers.get('content-type')).toContain('application/problem+json');
    const retry = Number(perAddress.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(3600);
    expect(JSON.parse(perAddress.text)).toMatchObject({ status: 429, title: 'Too many requests' });
    expect(JSON.parse(perAddress.text).detail).toContain('email address');

    // The bucket (burst 3) is empty now: the gateway refuses before the function counts anything.
    const throttled = await submit(uniqueEmail('other'));
    expect(throttled.status).toBe(429);
    expect(JSON.parse(throttled.text).detail).toContain('route');

    // One token later, a new address is refused for the IP (3 of 3 counted), as a page for a form post.
    await sleep(5200);
    const perIp = await submit(uniqueEmail('fifth'), true);
    expect(perIp.status).toBe(429);
    expect(perIp.headers.get('content-type')).toContain('text/html');
    expect(Number(perIp.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(perIp.text).toContain('For mange forsøk');
    expect(perIp.text).toContain('from your network');
  });

  it('counters are keyed by a hash (no address or IP in clear) and expire through TTL after their window', async () => {
    const ddb = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: cloud.urls.dynamodb, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const out = await ddb.send(new ScanCommand({ TableName: NAMES.table, FilterExpression: 'begins_with(pk, :r)', ExpressionAttributeValues: { ':r': 'RATE#' } }));
    const items = out.Items ?? [];
    const ip = items.filter((i) => String(i.pk).startsWith('RATE#ip#'));
    const address = items.filter((i) => String(i.pk).startsWith('RATE#address#'));
    expect(ip).toHaveLength(1);
    expect(ip[0].requests).toBe(3);
    expect(address).toHaveLength(1);
    expect(Math.max(...address.map((i) => Number(i.requests)))).toBe(2);
    const nowSec = Date.now() / 1000;
    for (const i of items) {
      expect(String(i.pk)).toMatch(/^RATE#(ip|address)#[0-9a-f]{32}$/);
      expect(JSON.stringify(i)).not.toMatch(/@|127\.0\.0\.1|::1/);
      expect(i.expiresAt).toBeGreaterThan(nowSec);
      expect(i.expiresAt).toBeLessThanOrEqual(nowSec + 3600 + 3600 + 5);
    }
  });

  it('each public write route is refused by the gateway past the write burst (3); reads and the other public routes are not', async () => {
    // Bodies without an address: the per-IP counter (full since the test above) may answer 429 from the
    // function, which is no throttle; only the gateway's own answer counts here.
    const writes = [`/seminars/${seminarId}/registrations`, '/schemes/some-scheme/subscriptions', '/series/some-series/subscriptions'];
    for (const path of writes) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await postJson(path, { name: 'Åse Ødegård' }));
      // The registration route's bucket was emptied above and may have a token back; the others are fresh.
      const first = answers.findIndex(refusedByGateway);
      expect(first, `${path}: ${answers.map((a) => a.status)}`).toBeGreaterThanOrEqual(path.startsWith('/seminars') ? 0 : 3);
      expect(first, `${path}: ${answers.map((a) => a.status)}`).toBeLessThanOrEqual(3);
      expect(Number(answers[first].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      for (const a of answers) expect(a.status, path).toBeLessThan(500);
    }
    // The stage burst (6) is above the write burst: four requests in a row all pass the gateway.
    const reads = [
      () => fetch(`${cloud.urls.api}/seminars/${seminarId}/register`).then(async (r) => ({ status: r.status, text: await r.text() })),
      () => fetch(`${cloud.urls.api}/seminars`).then(async (r) => ({ status: r.status, text: await r.text() })),
      () => postJson('/registrations/confirm', { token: 'not-a-token' }),
    ];
    for (const read of reads) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await read());
      expect(answers.filter(refusedByGateway)).toEqual([]);
      for (const a of answers) expect(a.status).toBeLessThan(500);
    }
  });
});
