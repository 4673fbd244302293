/**
 * What the fan-out and crash benchmarks share: driving a cloud (a scheduled seminar, registrants seeded
 * into DynamoDB Local, the StreamingLinkDue event, counting the mailbox; test/support/fanout.ts, which
 * the send-queue fan-out test uses too), the local SES as its own process and the CPU time of a process tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { DynamoDBClient, QueryCommand, UpdateItemCommand, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mintToken } from '../infra/local/auth.js';
import { NAMES, REGION } from '../infra/local/names.js';
import { keys } from '../shared/store/keys.js';
import { call } from '../test/support/fanout.js';

export { call, fireStreamingLink, mailboxEmails, scheduledSeminar, seedRegistrations, tally, type CloudUrls } from '../test/support/fanout.js';

export const adminToken = (dataDir: string) => mintToken(dataDir, { subject: 'bench', expiresInSeconds: 6 * 3600 });

export async function clearMailbox(mailboxUrl: string): Promise<void> {
  await call(`${mailboxUrl}/clear-store`, { method: 'POST' });
}

/**
 * The local SES as its own process (infra/local/ses-service.ts), publishing its `Email Sent` events to
 * the local cloud whose AWS port is `awsPort` and whose data is in `dataDir`: it outlives a crash of the cloud, and its mailbox (10,000
 * emails in memory) is not in the cloud's heap, as with the real service.
 */
export async function startSes(port: number, awsPort: number, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const root = resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/ses-service.ts'], {
    cwd: root,
    // The cloud's data directory: SES puts its aws.ses events on the bus with the service key kept there.
    env: { ...process.env, SES_PORT: String(port), SES_EVENTS_ENDPOINT: `http://localhost:${awsPort}`, LOCAL_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`SES did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('SES READY')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.stderr!.on('data', (d) => (out += String(d)));
    child.once('exit', (code) => fail(new Error(`SES exited (${code}):\n${out}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, url: `http://localhost:${port}` };
}

/** CPU time (ms, user + system) used so far by a process and its descendants, from /proc, by command name. */
export function treeCpu(rootPid: number): Record<string, number> {
  const children = new Map<number, number[]>();
  const stat = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const s = readFileSync(`/proc/${entry}/stat`, 'utf8');
      stat.set(Number(entry), s);
      const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out: Record<string, number> = {};
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    const s = stat.get(pid);
    if (s) {
      const name = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU used by the listed process trees between two snapshots, per command name. */
export function cpuSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(after)) out[k] = after[k] - (before[k] ?? 0);
  return out;
}

/**
 * Sets fields of a seminar as stored, straight in DynamoDB Local (the store's layout: the model's fields are
 * the item's attributes), with no event: e.g. a reminder whose moment has come, or a recording URL, for a
 * benchmark that runs the fan-out itself, without the cloud's own rules acting on the change first.
 */
export async function storeSeminarFields(dynamoUrl: string, seminarId: string, fields: Record<string, unknown>): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint: dynamoUrl, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 });
  const names = Object.keys(fields);
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: NAMES.table,
        Key: marshall(keys.seminar(seminarId)),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
        ExpressionAttributeValues: marshall(Object.fromEntries(names.map((n, i) => [`:v${i}`, fields[n]]))),
      }),
    );
  } finally {
    ddb.destroy();
  }
}

/**
 * The delivery log (the ledger's entries) of a seminar, read straight from DynamoDB Local: entries by
 * status, the expected recipients with a `sent` entry, and the entries SES's `Email Sent` event recorded
 * (the sender died before it could). Not through GET /admin/deliveries: that looks each recipient's
 * suppression up, more than the admin function's 10 s allow for thousands of them.
 */
export async function deliveryLog(dynamoUrl: string, seminarId: string, expected: string[]) {
  const ddb = new DynamoDBClient({ endpoint: dynamoUrl, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 });
  const byStatus: Record<string, number> = {};
  const sent = new Set<string>();
  let recordedBySes = 0;
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const out: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: NAMES.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: keys.ledger(seminarId, '', '').pk } },
        ProjectionExpression: '#recipient, #status, recordedBy',
        ExpressionAttributeNames: { '#recipient': 'recipient', '#status': 'status' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const status = item.status?.S ?? '?';
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (status === 'sent' && item.recipient?.S) sent.add(item.recipient.S.toLowerCase());
      if (item.recordedBy?.S === 'ses-event') recordedBySes++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  ddb.destroy();
  const sentExpected = expected.filter((e) => sent.has(e.toLowerCase())).length;
  return { byStatus, sentExpected, recordedBySes };
}
