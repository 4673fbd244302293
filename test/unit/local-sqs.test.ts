/**
 * The local SQS (infra/local/sqs.ts) through the real @aws-sdk/client-sqs, and the event-source poller
 * (infra/local/sqs-poller.ts) that does what Lambda's SQS event source mapping does. The SDK checks the
 * MD5 of every body it sends and receives (and throws if one is wrong), so every passing send/receive here
 * also proves those.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { SQSEvent } from 'aws-lambda';
import {
  BatchRequestTooLong,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidBatchEntryId,
  ListQueuesCommand,
  MessageNotInflight,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  SQSServiceException,
  TooManyEntriesInBatchRequest,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';
import { close, listen } from '../../infra/local/http.js';
import { createSqsEndpoint, LocalSqs, md5OfMessageAttributes } from '../../infra/local/sqs.js';
import { SqsPoller } from '../../infra/local/sqs-poller.js';

const ACCOUNT = '000000000000';
const REGION = 'eu-north-1';
let sqs: LocalSqs;
let server: Server;
let endpoint: string;
let client: SQSClient;
let n = 0;
const pollers: SqsPoller[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sqs = new LocalSqs({ account: ACCOUNT, region: REGION });
  server = createSqsEndpoint(sqs);
  await listen(server, 0, '127.0.0.1');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new SQSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  client.destroy();
  sqs.close();
  await close(server);
});

/** A fresh queue (every test its own), and its URL. */
async function queue(attributes: Record<string, string> = {}): Promise<string> {
  const out = await client.send(new CreateQueueCommand({ QueueName: `q-${process.pid}-${++n}`, Attributes: attributes }));
  return out.QueueUrl!;
}

async function attributes(url: string) {
  const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return out.Attributes!;
}

async function arnOf(url: string): Promise<string> {
  return (await attributes(url)).QueueArn!;
}

describe('the local SQS endpoint (JSON protocol, real SDK)', () => {
  it('creates queues with URLs /<account>/<name> and finds them by name', async () => {
    const url = await queue({ VisibilityTimeout: '7' });
    expect(url).toMatch(new RegExp(`^${endpoint}/${ACCOUNT}/q-\\d+-\\d+$`));
    const name = url.split('/').pop()!;
    expect((await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl).toBe(url);
    // The same name with the same attributes is the same queue; different attributes are refused.
    expect((await client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '7' } }))).QueueUrl).toBe(url);
    await expect(client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '8' } }))).rejects.toMatchObject({ name: 'QueueNameExists' });
    const a = await attributes(url);
    expect(a).toMatchObject({ VisibilityTimeout: '7', ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', QueueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` });
  });

  it('sends and receives with the MD5s the SDK checks, message attributes and system attributes', async () => {
    const url = await queue();
    const body = 'Hei på deg – 💌 {"n":1}';
    const MessageAttributes = {
      kind: { DataType: 'String', StringValue: 'reminder' },
      'x.count': { DataType: 'Number', StringValue: '3' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    };
    const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes }));
    expect(sent.MessageId).toBeTruthy();
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update(body, 'utf8').digest('hex'));
    // MD5OfMessageAttributes as SQS computes it: moto (an independent emulator) answers a3abd39b… for the same message.
    expect(sent.MD5OfMessageAttributes).toBe('a3abd39b87619627a9173927a1d473f0');
    expect(sent.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ kind: { DataType: 'String', StringValue: 'reminder' }, 'x.count': { DataType: 'Number', StringValue: '3' }, blob: { DataType: 'Binary', BinaryValue: 'AAEC/w==' } }));
    const before = Date.now();
    const got = await client.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: 10 }),
    );
    expect(got.Messages).toHaveLength(1);
    const m = got.Messages![0];
    expect(m).toMatchObject({ MessageId: sent.MessageId, Body: body, MD5OfBody: sent.MD5OfMessageBody, MD5OfMessageAttributes: sent.MD5OfMessageAttributes });
    expect(m.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: ACCOUNT });
    expect(Number(m.Attributes!.SentTimestamp)).toBeLessThanOrEqual(Number(m.Attributes!.ApproximateFirstReceiveTimestamp));
    expect(Number(m.Attributes!.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(m.MessageAttributes?.kind).toMatchObject({ DataType: 'String', StringValue: 'reminder' });
    expect(Array.from(m.MessageAttributes!.blob.BinaryValue!)).toEqual([0, 1, 2, 255]);
    // Only the system attributes asked for, and message attributes by name or by prefix (`x.*`).
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'], MessageAttributeNames: ['x.*', 'kind'] }));
    const m2 = again.Messages![0];
    expect(m2.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    expect(Object.keys(m2.MessageAttributes ?? {}).sort()).toEqual(['kind', 'x.count']);
    expect(m2.MD5OfMessageAttributes).toBe(md5OfMessageAttributes({ kind: { DataType: 'String', StringValue: 'reminder' }, 'x.count': { DataType: 'Number', StringValue: '3' } }));
    const plain = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'plain' }));
    expect(plain.MD5OfMessageAttributes).toBeUndefined();
  });

  it('refuses what it does not emulate, clearly: FIFO queues, bad attributes, invalid characters', async () => {
    await expect(client.send(new CreateQueueCommand({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } }))).rejects.toBeInstanceOf(UnsupportedOperation);
    const url = await queue();
    await expect(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
    await expect(client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0001 char' }))).rejects.toMatchObject({ name: 'InvalidMessageContents' });
    await expect(client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('sends batches: an oversized entry fails on its own; a batch over 256 KiB or of 11 entries fails whole', async () => {
    const url = await queue({ MaximumMessageSize: '1024' });
    const out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'big', MessageBody: 'x'.repeat(2000) },
          { Id: 'c', MessageBody: 'third', DelaySeconds: 0 },
        ],
      }),
    );
    expect(out.Successful!.map((s) => s.Id).sort()).toEqual(['a', 'c']);
    expect(out.Failed).toEqual([{ Id: 'big', SenderFault: true, Code: 'InvalidParameterValue', Message: expect.stringContaining('Message must be shorter than 1024 bytes') }]);
    expect((await attributes(url)).ApproximateNumberOfMessages).toBe('2');

    const big = await queue();
    const tooLong = Array.from({ length: 3 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'y'.repeat(100_000) }));
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: big, Entries: tooLong }))).rejects.toBeInstanceOf(BatchRequestTooLong);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'z' }));
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: big, Entries: eleven }))).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: big, Entries: [{ Id: 'not ok!', MessageBody: 'z' }] }))).rejects.toBeInstanceOf(InvalidBatchEntryId);
    expect((await attributes(big)).ApproximateNumberOfMessages).toBe('0');
  });

  it('hides a received message for the visibility timeout, then delivers it again with a new receipt handle', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages![0];
    expect(first.Attributes!.ApproximateReceiveCount).toBe('1');
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toHaveLength(0);
    expect(await attributes(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
    // Visible again after the timeout (a long poll wakes when it is).
    const t0 = Date.now();
    const second = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] }))).Messages![0];
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.Attributes!.ApproximateReceiveCount).toBe('2');
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    // The old handle cannot change the visibility of the message's new receive.
    await expect(client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle, VisibilityTimeout: 0 }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    // As on AWS, the old handle deletes nothing, and says nothing; the latest one deletes.
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle }));
    expect((await attributes(url)).ApproximateNumberOfMessagesNotVisible).toBe('1');
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));
    expect(await attributes(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    // A receipt handle that never was one fails.
    await expect(client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }))).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('overrides the visibility timeout per receive and per message, and deletes in batches', async () => {
    const url = await queue({ VisibilityTimeout: '600' });
    await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [0, 1, 2].map((i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
    const got = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }))).Messages!;
    expect(got).toHaveLength(3);
    const again = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2 }))).Messages!;
    expect(again).toHaveLength(2);
    const del = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [...again.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })), { Id: 'bad', ReceiptHandle: 'nope' }] }),
    );
    expect(del.Successful!.map((s) => s.Id).sort()).toEqual(['d0', 'd1']);
    expect(del.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid', SenderFault: true })]);
    expect(await attributes(url)).toMatchObject({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('moves a message past maxReceiveCount to the dead-letter queue on the next receive', async () => {
    const dlq = await queue();
    const url = await queue({ VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 2 }) });
    const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (const count of ['1', '2']) {
      const got = await client.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      expect(got.Messages![0].Attributes!.ApproximateReceiveCount).toBe(count);
    }
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages ?? []).toHaveLength(0);
    expect((await attributes(url)).ApproximateNumberOfMessages).toBe('0');
    const dead = (await client.send(new ReceiveMessageCommand({ QueueUrl: dlq }))).Messages!;
    expect(dead.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, 'poison']]);
    // A redrive policy naming a queue that does not exist is refused.
    await expect(
      client.send(new CreateQueueCommand({ QueueName: `q-${process.pid}-nodlq`, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:missing`, maxReceiveCount: 1 }) } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('delays, changes attributes and visibility in batches, lists, expires and deletes queues', async () => {
    const url = await queue({ DelaySeconds: '1' });
    const name = url.split('/').pop()!;
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    expect(await attributes(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesDelayed: '1', DelaySeconds: '1' });
    const t0 = Date.now();
    const [m] = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }))).Messages!;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    await client.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5', DelaySeconds: '0' } }));
    expect(await attributes(url)).toMatchObject({ VisibilityTimeout: '5', DelaySeconds: '0' });
    const cv = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'ok', ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'bad', ReceiptHandle: 'nope', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(cv.Successful).toEqual([{ Id: 'ok' }]);
    expect(cv.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'ReceiptHandleIsInvalid' })]);
    // Visible again, not in flight: its visibility cannot be changed.
    await expect(client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 10 }))).rejects.toBeInstanceOf(MessageNotInflight);
    // Past its retention period, a message is gone (its expiry moved into the past here).
    const stored = sqs.queue(url)!;
    for (const s of stored.messages.values()) s.expiresAt = Date.now() - 1;
    stored.lastExpiryCheck = 0;
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    expect(sqs.queue(url)!.messages.size).toBe(0);
    expect((await client.send(new ListQueuesCommand({ QueueNamePrefix: name }))).QueueUrls).toEqual([url]);
    await client.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('answers a long poll as soon as a message arrives', async () => {
    const url = await queue();
    const t0 = Date.now();
    const polling = client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
    await sleep(300);
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const got = await polling;
    const took = Date.now() - t0;
    expect(got.Messages!.map((m) => m.Body)).toEqual(['wake up']);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
    // Without messages, it waits WaitTimeSeconds and answers none.
    const t1 = Date.now();
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }))).Messages ?? []).toHaveLength(0);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(900);
  });

  it('maps a missing queue to the SDK QueueDoesNotExist class, with the query-compatible code', async () => {
    const err = await client.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueueDoesNotExist);
    expect(err).toBeInstanceOf(SQSServiceException);
    expect(err).toMatchObject({ name: 'QueueDoesNotExist', message: 'The specified queue does not exist.', $metadata: { httpStatusCode: 400 } });
    expect((err as { Error?: { Code?: string } }).Error?.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    await expect(client.send(new SendMessageCommand({ QueueUrl: `${endpoint}/${ACCOUNT}/no-such-queue`, MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    // The wire shape: JSON 1.0, __type, the x-amzn-query-error header.
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl' },
      body: JSON.stringify({ QueueName: 'no-such-queue' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(await res.json()).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });

  it('purges a queue, once a minute as SQS allows', async () => {
    const url = await queue();
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone' }));
    await client.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await attributes(url)).ApproximateNumberOfMessages).toBe('0');
    await expect(client.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toBeInstanceOf(PurgeQueueInProgress);
  });

  it('is found by an SDK client configured only with AWS_ENDPOINT_URL_SQS', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_SQS;
    process.env.AWS_ENDPOINT_URL_SQS = endpoint;
    try {
      const fromEnv = new SQSClient({ region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const url = (await fromEnv.send(new CreateQueueCommand({ QueueName: `q-${process.pid}-env` }))).QueueUrl!;
      await fromEnv.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'via env' }));
      expect((await fromEnv.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0].Body).toBe('via env');
      fromEnv.destroy();
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SQS;
      else process.env.AWS_ENDPOINT_URL_SQS = saved;
    }
  });
});

describe('the SQS event-source poller (Lambda event source mapping)', () => {
  function poller(url: string, target: (e: SQSEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> } | void>, o: Partial<ConstructorParameters<typeof SqsPoller>[0]> = {}) {
    const p = new SqsPoller({ sqs, queue: url, target, region: REGION, ...o }).start();
    pollers.push(p);
    return p;
  }

  it('hands the target SQSEvent records as Lambda builds them and deletes what it handled', async () => {
    const url = await queue();
    const events: SQSEvent[] = [];
    const p = poller(url, async (e) => void events.push(e));
    const sent = await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"hello":1}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'k' } } }));
    await p.idle();
    expect(events).toHaveLength(1);
    const r = events[0].Records[0];
    expect(Object.keys(r).sort()).toEqual(['attributes', 'awsRegion', 'body', 'eventSource', 'eventSourceARN', 'md5OfBody', 'md5OfMessageAttributes', 'messageAttributes', 'messageId', 'receiptHandle']);
    expect(r).toMatchObject({
      messageId: sent.MessageId,
      body: '{"hello":1}',
      md5OfBody: sent.MD5OfMessageBody,
      md5OfMessageAttributes: sent.MD5OfMessageAttributes,
      eventSource: 'aws:sqs',
      eventSourceARN: await arnOf(url),
      awsRegion: REGION,
      messageAttributes: { kind: { stringValue: 'k', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    });
    expect(Object.keys(r.attributes).sort()).toEqual(['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
    expect(r.attributes.ApproximateReceiveCount).toBe('1');
    expect(await attributes(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('with ReportBatchItemFailures, deletes all but the failed items, which alone come back', async () => {
    const url = await queue({ VisibilityTimeout: '1' });
    const seen: Array<{ body: string; count: string }> = [];
    const p = poller(
      url,
      async (e) => {
        for (const r of e.Records) seen.push({ body: r.body, count: r.attributes.ApproximateReceiveCount });
        return { batchItemFailures: e.Records.filter((r) => r.attributes.ApproximateReceiveCount === '1' && ['m1', 'm3'].includes(r.body)).map((r) => ({ itemIdentifier: r.messageId })) };
      },
      { reportBatchItemFailures: true, batchSize: 10, maxBatchingWindowSeconds: 0.3 },
    );
    await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [0, 1, 2, 3, 4].map((i) => ({ Id: `e${i}`, MessageBody: `m${i}` })) }));
    await p.idle();
    expect(seen.filter((s) => s.count === '1').map((s) => s.body).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(seen.filter((s) => s.count !== '1')).toEqual([
      { body: expect.stringMatching(/^m[13]$/), count: '2' },
      { body: expect.stringMatching(/^m[13]$/), count: '2' },
    ]);
    expect(p.stats).toMatchObject({ failedItems: 2, deleted: 5 });
  });

  it('leaves a whole batch when the target throws (or names an id not in the batch): redelivered, then dead-lettered', async () => {
    const dlq = await queue();
    const url = await queue({ VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 3 }) });
    const counts: string[] = [];
    const p = poller(
      url,
      async (e) => {
        counts.push(...e.Records.map((r) => r.attributes.ApproximateReceiveCount));
        if (counts.length === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-the-batch' }] };
        throw new Error('handler failed');
      },
      { reportBatchItemFailures: true },
    );
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    await p.idle();
    expect(counts).toEqual(['1', '2', '3']);
    expect(p.stats).toMatchObject({ batches: 3, failedBatches: 3, deleted: 0 });
    expect((await attributes(dlq)).ApproximateNumberOfMessages).toBe('1');
  });

  it('runs at most maxConcurrency batches at once, of at most batchSize messages', async () => {
    const url = await queue();
    let running = 0;
    let most = 0;
    const sizes: number[] = [];
    const p = poller(
      url,
      async (e) => {
        sizes.push(e.Records.length);
        running++;
        most = Math.max(most, running);
        await sleep(100);
        running--;
      },
      { batchSize: 2, maxConcurrency: 3 },
    );
    await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` })) }));
    await p.idle();
    expect(most).toBe(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('waits up to MaximumBatchingWindowInSeconds for a batch to fill', async () => {
    const url = await queue();
    const sizes: number[] = [];
    const p = poller(url, async (e) => void sizes.push(e.Records.length), { batchSize: 10, maxBatchingWindowSeconds: 1 });
    for (let i = 0; i < 4; i++) {
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `m${i}` }));
      await sleep(100);
    }
    await p.idle();
    expect(sizes).toEqual([4]);
  });

  it('LocalSqs.idle() waits for every running poller, also for work one queue hands to another', async () => {
    const first = await queue();
    const second = await queue();
    const done: string[] = [];
    poller(first, async (e) => {
      await sleep(100);
      for (const r of e.Records) await client.send(new SendMessageCommand({ QueueUrl: second, MessageBody: `${r.body}→second` }));
    });
    poller(second, async (e) => {
      await sleep(100);
      done.push(...e.Records.map((r) => r.body));
    });
    await client.send(new SendMessageCommand({ QueueUrl: first, MessageBody: 'job' }));
    await sqs.idle();
    expect(done).toEqual(['job→second']);
  });

  it("counts the mapping's requests per queue (each receive and each delete: AWS bills them) and the messages each queue got", async () => {
    const url = await queue();
    const name = url.split('/').pop()!;
    const sizes: number[] = [];
    const p = poller(url, async (e) => void sizes.push(e.Records.length), { batchSize: 2, maxConcurrency: 2 });
    await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` })) }));
    await p.idle();
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    const requests = Object.fromEntries(sqs.pollerRequests.get(name)!);
    // One delete per batch (its up to 10 receipts in one DeleteMessageBatch); a receive per batch, and the long poll that waits now.
    expect(requests.DeleteMessageBatch).toBe(sizes.length);
    expect(requests.ReceiveMessage).toBeGreaterThanOrEqual(sizes.length);
    expect(requests.ReceiveMessage).toBeLessThanOrEqual(sizes.length + 1);
    expect(sqs.messagesSent.get(name)).toBe(5);
    sqs.resetBilling();
    expect([sqs.pollerRequests.size, sqs.messagesSent.size]).toEqual([0, 0]);
  });

  it('refuses settings Lambda refuses', () => {
    const url = `${endpoint}/${ACCOUNT}/q-${process.pid}-1`;
    expect(() => new SqsPoller({ sqs, queue: url, target: async () => undefined, region: REGION, batchSize: 11 })).toThrow(/batchSize/);
    expect(() => new SqsPoller({ sqs, queue: url, target: async () => undefined, region: REGION, maxConcurrency: 1 })).toThrow(/maxConcurrency/);
    expect(() => new SqsPoller({ sqs, queue: 'missing', target: async () => undefined, region: REGION })).toThrow(/No queue/);
  });
});
