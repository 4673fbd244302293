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
