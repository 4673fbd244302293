/**
 * The local bus's journal: a delivery that had not ended when the process died is delivered again when
 * a new bus opens the same journal (as EventBridge retries a target that did not finish); one that ended
 * (delivered or dead-lettered) is not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBus, type BusEvent } from '../../infra/local/bus.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function journalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bus-journal-'));
  dirs.push(dir);
  return join(dir, 'bus-journal.ndjson');
}

const bus = (journal: string) => new LocalBus({ account: '000000000000', region: 'eu-north-1', busName: 'b', now: () => new Date(), journal, retryBaseMs: 1, maxAttempts: 2 });
const pattern = { source: ['test'] };
const entry = (n: number) => ({ Source: 'test', DetailType: 'Thing', Detail: JSON.stringify({ n }) });

describe('the local bus journal', () => {
  it('delivers again, after a restart, what was in flight when the process stopped, and nothing else', async () => {
    const file = journalFile();
    const first = bus(file);
    const hanging: BusEvent[] = [];
    first.addRule({ name: 'r', pattern, targetName: 't', target: async (e) => {
      if ((e.detail as { n: number }).n === 2) {
        hanging.push(e);
        return new Promise(() => undefined); // the process dies while this runs
      }
    } });
    first.recover();
    first.putEvents([entry(1), entry(2)]);
    await new Promise((r) => setTimeout(r, 20));
    expect(hanging).toHaveLength(1);

    // "Restart": a new bus on the same journal; the first one is simply abandoned.
    const second = bus(file);
    const got: BusEvent[] = [];
    second.addRule({ name: 'r', pattern, targetName: 't', target: async (e) => void got.push(e) });
    expect(second.recover()).toBe(1);
    await second.idle();
    expect(got.map((e) => e.detail)).toEqual([{ n: 2 }]);
    expect(got[0].id).toBe(hanging[0].id); // the same event, as EventBridge retries it

    // Once delivered, a third start has nothing to do; the journal was compacted.
    second.close();
    const third = bus(file);
    third.addRule({ name: 'r', pattern, targetName: 't', target: async () => undefined });
    expect(third.recover()).toBe(0);
    third.close();
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('a dead-lettered delivery has ended: it is not delivered again', async () => {
    const file = journalFile();
    const first = bus(file);
    first.addRule({ name: 'r', pattern, targetName: 't', target: async () => {
      throw new Error('always fails');
    } });
    first.recover();
    first.putEvents([entry(1)]);
    await first.idle();
    expect(first.deadLetters).toHaveLength(1);
    first.close();
    const second = bus(file);
    second.addRule({ name: 'r', pattern, targetName: 't', target: async () => undefined });
    expect(second.recover()).toBe(0);
    second.close();
  });

  it('holds an event only while its delivery runs: once nothing is in flight the journal is empty, and no address outlives its delivery', async () => {
    const file = journalFile();
    const b = bus(file);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    b.addRule({ name: 'r', pattern, targetName: 't', target: async (e) => {
      if ((e.detail as { n: number }).n === 1) await gate;
    } });
    b.recover();
    const [slow, quick] = ['kari.nordmann@example.no', 'ola.hansen@example.no'];
    b.putEvents([1, 2].map((n) => ({ Source: 'test', DetailType: 'Thing', Detail: JSON.stringify({ n, email: n === 1 ? slow : quick }) })));
    await new Promise((r) => setTimeout(r, 20));
    // While a delivery runs its event is kept, for a restart to deliver it again.
    expect(readFileSync(file, 'utf8')).toContain(slow);
    release();
    await b.idle();
    expect(readFileSync(file, 'utf8')).toBe('');
    b.close();
  });

  it('without a journal (DynamoDB in memory) nothing is written and nothing recovered', async () => {
    const b = new LocalBus({ account: '000000000000', region: 'eu-north-1', busName: 'b', now: () => new Date() });
    const got: unknown[] = [];
    b.addRule({ name: 'r', pattern, targetName: 't', target: async (e) => void got.push(e.detail) });
    expect(b.recover()).toBe(0);
    b.putEvents([entry(7)]);
    await b.idle();
    expect(got).toEqual([{ n: 7 }]);
  });
});

describe('the local bus concurrency', () => {
  it('is per target function, as Lambda concurrency is: a function whose invocations wait holds up no other function', async () => {
    const b = new LocalBus({ account: '000000000000', region: 'eu-north-1', busName: 'b', now: () => new Date(), concurrency: 2, retryBaseMs: 1, maxAttempts: 1 });
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let waitingStarted = 0;
    const otherDone: number[] = [];
    b.addRule({ name: 'waits', pattern: { source: ['test'], 'detail-type': ['Wait'] }, targetName: 'waiter', target: async () => {
      waitingStarted++;
      await blocked;
    } });
    b.addRule({ name: 'other', pattern: { source: ['test'], 'detail-type': ['Thing'] }, targetName: 'other', target: async (e) => {
      otherDone.push((e.detail as { n: number }).n);
    } });
    // Five waiting invocations: two run (the function's concurrency), three queue for it.
    b.putEvents(Array.from({ length: 5 }, (_, n) => ({ Source: 'test', DetailType: 'Wait', Detail: JSON.stringify({ n }) })));
    b.putEvents([entry(1), entry(2), entry(3)].map((e) => ({ ...e, DetailType: 'Thing' })));
    await new Promise((r) => setTimeout(r, 30));
    expect(waitingStarted).toBe(2);
    expect(otherDone.sort()).toEqual([1, 2, 3]);
    release();
    await b.idle();
    expect(waitingStarted).toBe(5);
  });
});
