/**
 * The confirm transaction is bounded by the invocation's time (issue 14, item 11): the public API's
 * handler runs in-process against the test cloud's DynamoDB with a Lambda context that has 3 s left, and
 * every seat transaction is made to conflict (TransactionCanceledException with a TransactionConflict
 * reason, injected below the SDK as the local cloud's chaos does). It answers 503 with a Retry-After
 * before the time is up, as a page in nb or en or as problem+json, and changes nothing; without the
 * fault the same link confirms. Only the failing transaction is injected: every other call is real.
 */
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { HttpEvent, HttpResult } from '../../shared/http/types.js';
import { localTokenSecret } from '../../infra/local/cloud.js';
import { inProcessEnvironment, uniqueEmail } from '../support/local.js';
import { createSeminar, linkIn, register, tokenOf, waitForMail } from '../support/seminars.js';

type Mods = {
  api: typeof import('../../functions/http/public-api.js');
  clients: typeof import('../../shared/aws/clients.js');
  registrations: typeof import('../../shared/store/registrations.js');
};
let m: Mods;
let conflicts = false;
let transactions = 0;

const BUDGET_MS = 3000;

beforeAll(async () => {
  Object.assign(process.env, {
    ...inProcessEnvironment(),
    AWS_ENDPOINT_URL_EVENTBRIDGE: inject('awsUrl'),
    PUBLIC_BASE_URL: inject('apiUrl'),
    TOKEN_SECRET: localTokenSecret(inject('dataDir')),
    LOG_LEVEL: 'ERROR',
  });
  m = {
    api: await import('../../functions/http/public-api.js'),
    clients: await import('../../shared/aws/clients.js'),
    registrations: await import('../../shared/store/registrations.js'),
  };
  m.clients.documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        transactions++;
        if (conflicts) {
          throw new TransactionCanceledException({
            message: 'Transaction cancelled (injected)',
            $metadata: { httpStatusCode: 400 },
            CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
          });
        }
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'confirmDeadlineFaults' },
  );
}, 60_000);

afterEach(() => {
  conflicts = false;
});

/** A pending physical registration's confirm token, from the mail the test cloud sent. */
async function pendingToken(seminarId: string): Promise<string> {
  const email = uniqueEmail('deadline');
  const res = await register(seminarId, { email, name: 'Åse Ødegård', organisation: 'Bærum kommune', mode: 'physical' });
  expect(res.status, res.text).toBe(202);
  const mail = await waitForMail(email, (x) => /Bekreft påmeldingen|Confirm your registration/.test(x.subject));
  return tokenOf(linkIn(mail, '/registrations/confirm'));
}

/** POST /registrations/confirm through the public function, with `BUDGET_MS` left in the invocation. */
async function confirm(token: string, o: { accept: string; lang?: string }): Promise<{ result: HttpResult; ms: number }> {
  const form = new URLSearchParams({ token, ...(o.lang ? { lang: o.lang } : {}) }).toString();
  const html = o.accept.includes('html');
  const event = {
    version: '2.0',
    routeKey: 'POST /registrations/confirm',
    rawPath: '/registrations/confirm',
    rawQueryString: o.lang ? `lang=${o.lang}` : '',
    headers: { accept: o.accept, 'content-type': html ? 'application/x-www-form-urlencoded' : 'application/json' },
    queryStringParameters: o.lang ? { lang: o.lang } : undefined,
    isBase64Encoded: false,
    body: html ? form : JSON.stringify({ token }),
    requestContext: {
      http: { method: 'POST', path: '/registrations/confirm', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'confirm-deadline',
      routeKey: 'POST /registrations/confirm',
      stage: '$default',
      timeEpoch: Date.now(),
    },
  } as unknown as HttpEvent;
  const started = Date.now();
  const deadline = started + BUDGET_MS;
  const context = { functionName: 'public-api', awsRequestId: 'test', getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
  const result = await m.api.handler(event, context as never);
  return { result, ms: Date.now() - started };
}

describe('confirm bounded by the invocation time', () => {
  it('a seat transaction that keeps conflicting answers 503 with Retry-After before the time is up (JSON, nb and en pages), and the link confirms afterwards', async () => {
    const seminarId = await createSeminar({ capacity: 50, doubleOptIn: true });
    const token = await pendingToken(seminarId);
    conflicts = true;

    const before = transactions;
    const asJson = await confirm(token, { accept: 'application/json' });
    expect(asJson.result.statusCode, asJson.result.body).toBe(503);
    expect(asJson.ms).toBeLessThan(BUDGET_MS);
    expect(transactions - before).toBeGreaterThan(1); // it did retry, within the time
    expect(asJson.result.headers?.['retry-after']).toBe('2');
    expect(asJson.result.headers?.['content-type']).toContain('application/problem+json');
    expect(JSON.parse(asJson.result.body!)).toMatchObject({ status: 503, title: 'Service unavailable' });

    const nb = await confirm(token, { accept: 'text/html,application/xhtml+xml' });
    expect(nb.result.statusCode).toBe(503);
    expect(nb.ms).toBeLessThan(BUDGET_MS);
    expect(nb.result.headers?.['retry-after']).toBe('2');
    expect(nb.result.headers?.['content-type']).toContain('text/html');
    expect(nb.result.body).toContain('<html lang="nb">');
    expect(nb.result.body).toContain('Prøv igjen om 2 sekunder');

    const en = await confirm(token, { accept: 'text/html', lang: 'en' });
    expect(en.result.statusCode).toBe(503);
    expect(en.result.body).toContain('<html lang="en">');
    expect(en.result.body).toContain('Try again in 2 seconds');

    // Nothing was changed: the registration is still pending, and the same link confirms once the contention is over.
    conflicts = false;
    const again = await confirm(token, { accept: 'application/json' });
    expect(again.result.statusCode, again.result.body).toBe(200);
    expect(JSON.parse(again.result.body!)).toMatchObject({ outcome: 'physical' });
  }, 60_000);
});
