/**
 * The send queue's notices (shared/notices/): every definition is in the registry the sender reads queued
 * messages with, under a name of its own; a queued message is the small JSON the queue takes; and the
 * sizing the stack and the local cloud take from the account's send rate (shared/email/rate.ts).
 */
import { describe, expect, it } from 'vitest';
import * as seminarNotices from '../../shared/notices/seminar-notices.js';
import * as seriesNotices from '../../shared/notices/series-notices.js';
import * as schemeNotices from '../../shared/notices/scheme-notices.js';
import { NOTICES } from '../../shared/notices/registry.js';
import { QueuedNotice } from '../../shared/notices/send-queue.js';
import { LAMBDA_MB_PER_VCPU, SENDER_CPU_MS_PER_EMAIL, SENDER_CPU_UTILISATION, recipientsPerNotice, senderInstances, senderMemoryMb } from '../../shared/email/rate.js';

const definitions = [seminarNotices, seriesNotices, schemeNotices].flatMap((m) =>
  Object.values(m).filter((v): v is { name: string; load: () => unknown } => typeof v === 'object' && v !== null && 'load' in v && 'name' in v),
);

describe('the notices', () => {
  it('are all in the registry, each under its own name', () => {
    expect(definitions.length).toBe(12);
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
    expect([...NOTICES.keys()].sort()).toEqual(definitions.map((d) => d.name).sort());
    for (const d of definitions) expect(NOTICES.get(d.name)).toBe(d);
  });

  it('a queued message names a notice, its parameters and 1 to 100 recipients by id, and stays far below the 256 KB SQS takes', () => {
    const ids = Array.from({ length: recipientsPerNotice(10_000) }, (_, i) => `r${String(i).padStart(25, '0')}`);
    const body = JSON.stringify({ v: 1, notice: 'streaming-link', params: { seminarId: 's'.repeat(26), start: '2027-01-14T08:30:00.000Z' }, to: ids });
    expect(QueuedNotice.parse(JSON.parse(body)).to).toHaveLength(100);
    expect(Buffer.byteLength(body)).toBeLessThan(4_000);
    expect(QueuedNotice.safeParse({ v: 1, notice: 'streaming-link', params: {}, to: [] }).success).toBe(false);
    expect(QueuedNotice.safeParse({ v: 1, notice: 'streaming-link', params: { nested: { a: 1 } }, to: ['x'] }).success).toBe(false);
  });
});

describe('sizing from the send rate', () => {
  it('a message holds about four seconds of one instance\'s share of the rate, 1 to 100 recipients', () => {
    expect([0.25, 1, 14, 25, 40, 50, 1000].map((r) => recipientsPerNotice(r))).toEqual([1, 2, 28, 50, 80, 100, 100]);
  });

  it('at least two sender instances, one more per 100 emails a second', () => {
    expect([1, 14, 50, 100, 201, 250, 1000].map((r) => senderInstances(r))).toEqual([2, 2, 2, 2, 3, 3, 10]);
  });

  it('each instance gets the memory whose CPU share carries its share of the rate at half load, at least 256 MB', () => {
    expect([1, 14, 50, 200, 1000].map((r) => senderMemoryMb(r))).toEqual([256, 256, 256, 384, 384]);
    // 200/s: 2 instances of 100/s; 100 × 1 ms of CPU a second is 0.1 vCPU, used at half: 0.2 vCPU ≈ 354 MB → 384.
    const share = 200 / senderInstances(200);
    expect((share * SENDER_CPU_MS_PER_EMAIL * LAMBDA_MB_PER_VCPU) / 1000 / SENDER_CPU_UTILISATION).toBeCloseTo(353.8, 1);
    // A dearer email needs more memory at the same rate, a cheaper one less (never under 256 MB).
    expect(senderMemoryMb(200, 4)).toBe(1472);
    expect(senderMemoryMb(200, 0.5)).toBe(256);
  });
});
