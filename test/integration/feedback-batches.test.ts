/**
 * SES's events reach `on-email-feedback` in batches (issue 15, item 2): the rule targets the function's
 * queue and the event source mapping invokes it with up to 10 events (`queue` in infra/wiring.ts), one
 * invocation per batch, locally as on AWS (the test cloud gathers for 0.1 s instead of 1 s:
 * LOCAL_BATCHING_WINDOW_SECONDS). 30 bounces reported at once suppress all 30 addresses in at
 * most a handful of invocations, not 30.
 */
import { describe, expect, inject, it } from 'vitest';
import { bounce, idle, uniqueEmail } from '../support/local.js';
import { marshall } from '@aws-sdk/util-dynamodb';
import { NAMES } from '../../infra/local/names.js';
import { keys } from '../../shared/store/keys.js';

const metrics = async () => (await (await fetch(`${inject('apiUrl')}/_local/metrics`)).json()) as { lambdaInvocations: Record<string, number> };

describe('SES feedback in batches', () => {
  it('30 bounces: every address suppressed, in batches of up to 10', async () => {
    await fetch(`${inject('apiUrl')}/_local/metrics/reset`, { method: 'POST' });
    const addresses = Array.from({ length: 30 }, () => uniqueEmail('sprett'));
    await Promise.all(addresses.map((a) => bounce(a)));
    await idle();
    const invocations = (await metrics()).lambdaInvocations['on-email-feedback'] ?? 0;
    console.log(`30 bounces → ${invocations} invocations of on-email-feedback`);
    expect(invocations).toBeGreaterThanOrEqual(3);
    expect(invocations).toBeLessThanOrEqual(8);
    const { DynamoDBClient, BatchGetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const ddb = new DynamoDBClient({ endpoint: inject('dynamoUrl'), region: 'eu-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const out = await ddb.send(new BatchGetItemCommand({ RequestItems: { [NAMES.table]: { Keys: addresses.map((a) => marshall(keys.suppressed(a))) } } }));
    ddb.destroy();
    expect(out.Responses?.[NAMES.table]?.length).toBe(30);
  });
});
