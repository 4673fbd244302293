/**
 * The local SES as its own service counts each recipient's accepted emails (infra/local/ses.ts,
 * GET /_local/recipients): bench/scale.ts counts 100,000 emails with it, duplicates and missing alike,
 * without reading the mailbox back, and clears the mailbox's stored bodies meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { startSesService } from '../../infra/local/ses.js';

let svc: Awaited<ReturnType<typeof startSesService>>;
let ses: SESv2Client;

beforeAll(async () => {
  // No configuration set on these emails: SES publishes no event, so the events endpoint is never called.
  svc = await startSesService({ host: '127.0.0.1', port: 0, eventsEndpoint: 'http://127.0.0.1:9', busName: 'b', account: '000000000000', region: 'eu-north-1', serviceKey: 'k' });
  ses = new SESv2Client({ endpoint: svc.url, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});

afterAll(async () => {
  ses.destroy();
  await svc.stop();
});

const send = (to: string[], cc: string[] = []) =>
  ses.send(
    new SendEmailCommand({
      FromEmailAddress: 'seminarer@example.no',
      Destination: { ToAddresses: to, CcAddresses: cc },
      Content: { Simple: { Subject: { Data: 'Test' }, Body: { Text: { Data: 'Test' } } } },
    }),
  );

const recipients = async (prefix = '') =>
  ((await (await fetch(`${svc.url}/_local/recipients?prefix=${encodeURIComponent(prefix)}`)).json()) as { counts: Record<string, number> }).counts;

describe('the local SES service counts each recipient', () => {
  it('every accepted email once per address (To and Cc, case folded), filtered by prefix, and kept when the mailbox is cleared', async () => {
    await send(['kari@example.no']);
    await send(['Kari@Example.no']);
    await send(['ola@example.no'], ['per@example.no']);
    expect(await recipients()).toEqual({ 'kari@example.no': 2, 'ola@example.no': 1, 'per@example.no': 1 });
    expect(await recipients('o')).toEqual({ 'ola@example.no': 1 });
    // The mailbox's stored emails go; the counts stay.
    await fetch(`${svc.url}/clear-store`, { method: 'POST' });
    const stored = (await (await fetch(`${svc.url}/store`)).json()) as { emails: unknown[] };
    expect(stored.emails).toHaveLength(0);
    expect((await recipients('kari'))['kari@example.no']).toBe(2);
  });
});
