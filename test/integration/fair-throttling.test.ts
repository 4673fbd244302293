/**
 * Fair throttling (issue 14, item 5), on a local cloud of its own with the production limits: one
 * address floods the registration route at 50 requests/s for 4 s while 15 people on other addresses
 * register. The gateway takes the client address's bucket before the route's shared one, so a request
 * refused for its address never empties the bucket the others need: 0 of the 15 are refused, and the
 * flooder gets 429s however it forges X-Forwarded-For (the address is the TCP peer, as API Gateway's
 * sourceIp). Linux routes all of 127.0.0.0/8 to loopback: each client binds its own 127.0.0.x.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import type { SpawnedCloud } from '../../infra/local/spawn.js';
import { DEFAULT_RATE_LIMITS } from '../../shared/rate-limits.js';
import { daysFromNow, uniqueEmail } from '../support/local.js';
import { scheduleOn, startOwnCloud, type OwnCloud } from '../support/own-cloud.js';

let own: OwnCloud;
let cloud: SpawnedCloud;
let seminarId: string;

const FLOODER = '127.0.0.200';
const FLOOD_RPS = 50;
const FLOOD_SECONDS = 4;
const LEGITIMATE = 15;

interface Answer {
  status: number;
  text: string;
}

/** A registration POSTed from the local address `from` (the TCP peer the gateway sees). */
function registerFrom(from: string, email: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(`${cloud.urls.api}/seminars/${seminarId}/registrations`);
  const body = JSON.stringify({ email, name: 'Åse Ødegård', organisation: 'Bærum kommune', mode: 'digital' });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: from, agent: false, headers: { 'content-type': 'application/json', accept: 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // The production limits (no RATE_LIMIT_* override); only SES sends as fast as the test needs.
  own = await startOwnCloud('fair', { SES_SEND_RATE_PER_SECOND: '1000' });
  cloud = own.cloud;
  seminarId = await scheduleOn(own, { title: 'Populært frokostseminar', start: daysFromNow(10, 7), end: daysFromNow(10, 9), capacity: 1000 });
}, 180_000);

afterAll(async () => {
  await own?.stop();
});

describe('fair throttling (production limits)', () => {
  it('50 requests/s from one address beside 15 people on other addresses: 0 of theirs refused, the flooder gets 429s even with a forged X-Forwarded-For', async () => {
    const flood: Array<Promise<Answer>> = [];
    const legit: Array<Promise<Answer>> = [];
    const started = Date.now();
    for (let i = 0; i < FLOOD_RPS * FLOOD_SECONDS; i++) {
      // Every flood request claims another client address in the headers API Gateway would pass on.
      const forged = `198.51.100.${i % 250}`;
      flood.push(registerFrom(FLOODER, uniqueEmail('flood'), { 'x-forwarded-for': forged, 'x-real-ip': forged, forwarded: `for=${forged}` }));
      // The 15 arrive spread over the flood, from the second half-second on (the flooder's burst is spent).
      if (i >= FLOOD_RPS / 2 && i % 10 === 0 && legit.length < LEGITIMATE) legit.push(registerFrom(`127.0.0.${2 + legit.length}`, uniqueEmail('legit')));
      const due = started + ((i + 1) * 1000) / FLOOD_RPS;
      await sleep(Math.max(0, due - Date.now()));
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    const [floodAnswers, legitAnswers] = await Promise.all([Promise.all(flood), Promise.all(legit)]);

    expect(legitAnswers).toHaveLength(LEGITIMATE);
    expect(legitAnswers.map((a) => a.status)).toEqual(Array(LEGITIMATE).fill(202));

    const refused = floodAnswers.filter((a) => a.status === 429);
    const passed = floodAnswers.filter((a) => a.status === 202);
    expect(refused.length + passed.length, floodAnswers.map((a) => a.status).join(',')).toBe(floodAnswers.length);
    // The address's bucket: its burst, then its steady rate, whatever address the headers claim.
    const { burstLimit, rateLimit } = DEFAULT_RATE_LIMITS.perIpThrottle;
    expect(passed.length).toBeGreaterThanOrEqual(burstLimit);
    expect(passed.length).toBeLessThanOrEqual(burstLimit + Math.ceil(rateLimit * (elapsedSeconds + 1)));
    for (const r of refused) expect(JSON.parse(r.text).detail).toContain('from your address');
    console.log(`fair throttling: flood ${floodAnswers.length} in ${elapsedSeconds.toFixed(1)} s → ${passed.length} passed, ${refused.length} refused (429); legitimate ${legitAnswers.length}: ${legitAnswers.filter((a) => a.status === 202).length} accepted`);
  }, 120_000);
});
