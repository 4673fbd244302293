/**
 * The local SQS's journal (infra/local/sqs.ts): SQS is durable, so a message the local SQS accepted
 * survives a crash of the process. A second LocalSqs on the same journal, after the first was abandoned
 * without close (as a SIGKILL leaves it), gets back exactly the messages that had not ended.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalSqs, md5OfMessageAttributes, type LocalQueue } from '../../infra/local/sqs.js';

const ACCOUNT = '000000000000';
const REGION = 'eu-north-1';
const dirs: string[] = [];
const opened: LocalSqs[] = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function journalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqs-journal-'));
  dirs.push(dir);
  return join(dir, 'sqs-journal.ndjson');
}

/** A LocalSqs on the journal with the queues the cloud would create (a work queue and its DLQ), recovered. */
function start(journal: string, maxReceiveCount = 1): { sqs: LocalSqs; work: LocalQueue; dlq: LocalQueue; other: LocalQueue; recovered: number } {
  const sqs = new LocalSqs({ account: ACCOUNT, region: REGION, journal });
  opened.push(sqs);
  const dlq = sqs.createQueue('work-dlq');
  const work = sqs.createQueue('work', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount }) });
  const other = sqs.createQueue('other');
  const recovered = sqs.recover();
  return { sqs, work, dlq, other, recovered };
}

/** Abandons an instance as a crash does: no close, its timers and waiters just stop mattering. */
function crash(sqs: LocalSqs): void {
  opened.splice(opened.indexOf(sqs), 1);
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const bodies = (q: LocalQueue) => [...q.messages.values()].map((m) => m.body);
const send = (sqs: LocalSqs, q: LocalQueue, body: string, extra: Record<string, unknown> = {}) => sqs.send(q, { MessageBody: body, ...extra }).MessageId;

describe('the local SQS journal', () => {
  it('gives a restarted SQS exactly the messages that had not ended, once each: not a deleted one, a dead-lettered one on the DLQ only', async () => {
    const file = journalFile();
    const first = start(file);
    expect(first.recovered).toBe(0);
    const attributes = { kind: { DataType: 'String', StringValue: 'registration' } };
    const ids = {
      deleted: send(first.sqs, first.work, 'deleted'),
      moved: send(first.sqs, first.work, 'moved'),
      inflight: send(first.sqs, first.work, 'inflight', { MessageAttributes: attributes }),
      waiting: send(first.sqs, first.work, 'waiting'),
    };
    const sentAt = first.work.messages.get(ids.inflight)!.sentTimestamp;
    // 'deleted' and 'moved' received once; 'deleted' deleted.
    const batch = await first.sqs.receive(first.work, { max: 2, visibilityTimeout: 0, waitSeconds: 0 });
    expect(batch.map((m) => m.body)).toEqual(['deleted', 'moved']);
    first.sqs.delete(first.work, batch[0].receipt);
    // The next receive moves 'moved' (past maxReceiveCount 1) to the DLQ and takes 'inflight' (in flight for 30 s).
    const next = await first.sqs.receive(first.work, { max: 1, visibilityTimeout: 30, waitSeconds: 0 });
    expect(next.map((m) => m.body)).toEqual(['inflight']);
    expect(bodies(first.dlq)).toEqual(['moved']);
    crash(first.sqs);

    const second = start(file, 5);
    expect(second.recovered).toBe(3);
    expect(bodies(second.work)).toEqual(['inflight', 'waiting']);
    expect(bodies(second.dlq)).toEqual(['moved']);
    expect(bodies(second.other)).toEqual([]);
    // What was in flight is visible at once (as if its visibility timeout ran out), with its receive count kept.
    const got = await second.sqs.receive(second.work, { max: 10, waitSeconds: 0 });
    expect(got.map((m) => [m.id, m.body, m.receiveCount])).toEqual([
      [ids.inflight, 'inflight', 2],
      [ids.waiting, 'waiting', 1],
    ]);
    const received = LocalSqs.received(got[0], ['All'], ['All']);
    expect(received).toMatchObject({ MessageId: ids.inflight, MessageAttributes: attributes, MD5OfMessageAttributes: md5OfMessageAttributes(attributes) });
    expect(received.Attributes).toMatchObject({ SentTimestamp: String(sentAt), ApproximateReceiveCount: '2' });
    expect(await second.sqs.receive(second.work, { max: 10, waitSeconds: 0 })).toEqual([]);
    const dead = await second.sqs.receive(second.dlq, { max: 10, waitSeconds: 0 });
    expect(dead.map((m) => [m.id, m.body])).toEqual([[ids.moved, 'moved']]);
    // The journal was rewritten compactly: one line per message it holds, plus the receives since.
    expect(lines(file).filter((l) => l.startsWith('{"s"'))).toHaveLength(3);
    expect(second.sqs.stats).toMatchObject({ recovered: 3, droppedOnRecovery: 0 });
  });

  it('journals a SendMessageBatch before it answers, and a message sent after a recovery too', async () => {
    const file = journalFile();
    const first = start(file);
    const out = (await first.sqs.handle('SendMessageBatch', {
      QueueUrl: first.other.url,
      Entries: [
        { Id: 'a', MessageBody: 'one' },
        { Id: 'b', MessageBody: 'two', DelaySeconds: 60 },
      ],
    })) as { Successful: Array<{ Id: string; MessageId: string }> };
    expect(out.Successful).toHaveLength(2);
    expect(lines(file).map((l) => JSON.parse(l) as { s: string; i: string; b: string; d?: number })).toMatchObject([
      { s: 'other', i: out.Successful[0].MessageId, b: 'one' },
      { s: 'other', i: out.Successful[1].MessageId, b: 'two', d: 60 },
    ]);
    crash(first.sqs);

    const second = start(file);
    expect(second.recovered).toBe(2);
    // A message still within its DelaySeconds stays delayed.
    expect(second.other.counts()).toMatchObject({ visible: 1, delayed: 1 });
    send(second.sqs, second.work, 'after recovery');
    crash(second.sqs);

    const third = start(file);
    expect(third.recovered).toBe(3);
    expect(bodies(third.other)).toEqual(['one', 'two']);
    expect(bodies(third.work)).toEqual(['after recovery']);
  });

  it('empties the journal whenever every queue is empty (deletes, purges, queue deletion)', async () => {
    const file = journalFile();
    const { sqs, work, other } = start(file);
    send(sqs, work, 'a@example.com');
    send(sqs, other, 'b@example.com');
    const [a] = await sqs.receive(work, { waitSeconds: 0 });
    sqs.delete(work, a.receipt);
    expect(statSync(file).size).toBeGreaterThan(0); // 'other' still holds one
    const [b] = await sqs.receive(other, { waitSeconds: 0 });
    sqs.delete(other, b.receipt);
    expect(statSync(file).size).toBe(0);

    send(sqs, other, 'c@example.com');
    await sqs.handle('PurgeQueue', { QueueUrl: other.url });
    expect(statSync(file).size).toBe(0);

    send(sqs, work, 'd@example.com');
    await sqs.handle('DeleteQueue', { QueueUrl: work.url });
    expect(statSync(file).size).toBe(0);
    crash(sqs);

    // A purged queue's and a deleted queue's messages do not come back.
    expect(start(file).recovered).toBe(0);
  });

  it('keeps the journal compact while a queue keeps messages (a dead-letter queue), and recovers from it', async () => {
    const file = journalFile();
    const { sqs, dlq, other } = start(file);
    const kept = send(sqs, dlq, 'dead letter');
    for (let i = 0; i < 400; i++) {
      send(sqs, other, `m${i}`);
      const [m] = await sqs.receive(other, { waitSeconds: 0 });
      sqs.delete(other, m.receipt);
    }
    expect(lines(file).length).toBeLessThan(300);
    crash(sqs);
    const again = start(file);
    expect(again.recovered).toBe(1);
    expect([...again.dlq.messages.keys()]).toEqual([kept]);
    expect(bodies(again.other)).toEqual([]);
  });

  it('skips a line cut short by the crash, and drops (and counts) messages of a queue that no longer exists', () => {
    const file = journalFile();
    const first = new LocalSqs({ account: ACCOUNT, region: REGION, journal: file });
    first.createQueue('gone');
    const kept = first.createQueue('work-dlq');
    first.recover();
    send(first, first.queue('gone')!, 'lost');
    send(first, kept, 'kept');
    appendFileSync(file, '{"s":"work-dlq","i":"torn","b":"hal');
    const second = start(file);
    expect(second.recovered).toBe(1);
    expect(bodies(second.dlq)).toEqual(['kept']);
    expect(second.sqs.stats.droppedOnRecovery).toBe(1);
    expect(readFileSync(file, 'utf8')).not.toContain('lost');
    first.close();
  });

  it('is off without a journal: recover() does nothing and nothing is written', () => {
    const file = journalFile();
    writeFileSync(file, '');
    const sqs = new LocalSqs({ account: ACCOUNT, region: REGION });
    opened.push(sqs);
    const q = sqs.createQueue('q');
    expect(sqs.recover()).toBe(0);
    send(sqs, q, 'x');
    expect(statSync(file).size).toBe(0);
  });
});
