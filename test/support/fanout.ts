/**
 * Driving a local cloud of one's own (its URLs and an admin token at hand, not the test run's shared
 * one), for the fan-out tests and the fan-out and crash benchmarks: a scheduled seminar made through the
 * admin API, registrants seeded straight into DynamoDB Local with the store's key layout
 * (BatchWriteItem, fast), the StreamingLinkDue event put on the bus, and counting what reached the SES
 * mailbox. No vitest here: the benchmarks import it.
 */
import { BatchWriteItemCommand, DynamoDBClient, UpdateItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { StreamingLinkDue } from '../../events/index.js';
import { NAMES } from '../../infra/local/cloud.js';
import type { Registration } from '../../shared/domain/model.js';
import { keys } from '../../shared/store/keys.js';
import { seminarInput } from './bodies.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

export interface CloudUrls {
  api: string;
  mailbox: string;
  aws: string;
  dynamodb: string;
}

export async function call<T = AnyJson>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...((init.headers as Record<string, string>) ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A scheduled seminar ten days ahead with a livestream; returns its id and start. */
export async function scheduledSeminar(urls: CloudUrls, token: string, title: string): Promise<{ id: string; start: string }> {
  const day = new Date(Date.now() + 10 * 86400_000);
  day.setUTCHours(11, 0, 0, 0);
  const start = day.toISOString();
  const end = new Date(day.getTime() + 2 * 3600_000).toISOString();
  const created = await call<{ id: string }>(`${urls.api}/admin/seminars`, {
    method: 'POST',
    token,
    body: JSON.stringify(
      seminarInput({
        title,
        description: 'Benchmark seminar: the streaming link goes to every registrant.',
        start,
        end,
        capacity: 100000,
        livestream: true,
        streamingUrl: 'https://example.no/stream/bench-secret',
        // The link is due already (14 days before, the most allowed): fireStreamingLink's event is acted on.
        streamingLinkOffsetMinutes: 60 * 24 * 14,
        contacts: [{ name: 'Kåre Svensson', title: 'Seniorrådgiver', phone: '+47 22 85 50 50' }],
      }),
    ),
  });
  await call(`${urls.api}/admin/seminars/${created.id}/schedule`, { method: 'POST', token });
  await call(`${urls.api}/_local/idle`, { method: 'POST' });
  return { id: created.id, start };
}

const benchAddress = (tag: string, i: number) => `${tag}.${String(i).padStart(5, '0')}@bench.example.no`;

/** `count` confirmed registrations (half physical, half digital, every tenth in English), 25 items per BatchWriteItem. */
export async function seedRegistrations(dynamoUrl: string, seminarId: string, count: number, tag = 'r'): Promise<string[]> {
  const ddb = new DynamoDBClient({ endpoint: dynamoUrl, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 });
  const now = new Date().toISOString();
  const expiresAt = Math.floor(Date.now() / 1000) + 400 * 86400;
  const emails: string[] = [];
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const id = `${tag}${String(i).padStart(6, '0')}`;
    const email = benchAddress(tag, i);
    emails.push(email);
    const r: Registration = {
      id,
      seminarId,
      email,
      name: `Deltaker ${i}`,
      organisation: 'Benkmerket',
      requestedMode: i % 2 ? 'digital' : 'physical',
      digitalIfFull: false,
      joinWaitlist: false,
      language: i % 10 === 0 ? 'en' : 'nb',
      status: 'confirmed',
      attendance: i % 2 ? 'digital' : 'physical',
      submittedAt: now,
      confirmedAt: now,
    };
    const pk = keys.seminar(seminarId).pk;
    items.push({ pk, sk: `${keys.registrationPrefix}${id}`, ...r, gsi2pk: keys.person(email), gsi2sk: keys.personRegistration(seminarId), expiresAt });
    items.push({ ...keys.registrationGuard(seminarId, email), registrationId: id, expiresAt });
  }
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item: marshall(Item) } })));
  // Eight writers, each taking the next batch until none is left.
  const queue = [...batches];
  const writer = async () => {
    for (let pending = queue.shift(); pending; pending = queue.shift()) {
      for (let attempt = 0; pending?.length; attempt++) {
        const out: { UnprocessedItems?: Record<string, WriteRequest[]> } = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [NAMES.table]: pending } }));
        pending = out.UnprocessedItems?.[NAMES.table];
        if (pending?.length) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 5)));
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  // The seats the physical ones hold, as a confirmation would have counted them (a cancel or an erasure frees one).
  const physical = Math.ceil(count / 2);
  await ddb.send(
    new UpdateItemCommand({
      TableName: NAMES.table,
      Key: marshall(keys.seminar(seminarId)),
      UpdateExpression: 'ADD seatsTaken :n',
      ExpressionAttributeValues: marshall({ ':n': physical }),
    }),
  );
  ddb.destroy();
  return emails;
}

interface StoredMail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  at: number;
}

/** Every mail in the SES mailbox (the local aws-ses-v2-local store). */
export async function mailboxEmails(mailboxUrl: string): Promise<StoredMail[]> {
  const out = await call<{ emails: StoredMail[] }>(`${mailboxUrl}/store`);
  return out.emails;
}

/** Per expected address: how many emails it got (with the subject filter); duplicates, missing, strays. */
export function tally(mails: StoredMail[], expected: string[], subjectIncludes: string) {
  const counts = new Map<string, number>();
  for (const m of mails) {
    if (!m.subject.includes(subjectIncludes)) continue;
    for (const to of m.destination.to) counts.set(to.toLowerCase(), (counts.get(to.toLowerCase()) ?? 0) + 1);
  }
  let delivered = 0;
  let duplicates = 0;
  let missing = 0;
  const want = new Set(expected.map((e) => e.toLowerCase()));
  for (const e of want) {
    const n = counts.get(e) ?? 0;
    if (n === 0) missing++;
    else delivered++;
    if (n > 1) duplicates += n - 1;
  }
  const strays = [...counts.keys()].filter((k) => !want.has(k)).length;
  return { delivered, duplicates, missing, strays, total: [...counts.values()].reduce((a, b) => a + b, 0) };
}

/** Puts StreamingLinkDue for the seminar on the bus through the admin API (its moment has come: scheduledSeminar). */
export async function fireStreamingLink(urls: CloudUrls, token: string, seminar: { id: string; start: string }): Promise<void> {
  await call(`${urls.api}/admin/events`, {
    method: 'POST',
    token,
    body: JSON.stringify({ detailType: StreamingLinkDue.detailType, detail: { version: 1, seminarId: seminar.id, start: seminar.start } }),
  });
}
