/**
 * The local cloud's AWS endpoint speaks SQS (infra/local/sqs.ts) beside EventBridge, Scheduler and SES,
 * and the functions get `AWS_ENDPOINT_URL_SQS` pointing at it, as they get the other endpoints. The
 * protocol itself is tested in test/unit/local-sqs.test.ts.
 */
import { describe, expect, inject, it } from 'vitest';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, QueueDoesNotExist, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { api } from '../support/local.js';

describe('SQS on the local cloud', () => {
  it('answers the SDK on the AWS endpoint, with queue URLs on that endpoint', async () => {
    const awsUrl = inject('awsUrl');
    const client = new SQSClient({ endpoint: awsUrl, region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const name = `it-${Date.now()}`;
      const url = (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      expect(url).toBe(`${awsUrl}/000000000000/${name}`);
      await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'through the cloud' }));
      const [m] = (await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2 }))).Messages!;
      expect(m.Body).toBe('through the cloud');
      await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      const a = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      expect(a.Attributes).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
      await expect(client.send(new SendMessageCommand({ QueueUrl: `${awsUrl}/000000000000/missing-${name}`, MessageBody: 'x' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    } finally {
      client.destroy();
    }
  });

  it('gives the functions AWS_ENDPOINT_URL_SQS, the AWS endpoint', async () => {
    const env = await api<Record<string, string>>('GET', '/_local/function-env');
    expect(env.status).toBe(200);
    expect(env.body.AWS_ENDPOINT_URL_SQS).toBe(inject('awsUrl'));
  });
});
