/** What the benchmarks share: timing, percentiles, a bounded pool, process-tree memory, reporting. */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export const ms = (n: number) => `${n.toFixed(1)} ms`;

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function median(xs: number[]): number {
  return percentile([...xs].sort((a, b) => a - b), 50);
}

/** Runs `work(i)` for i in [0, n) with at most `concurrency` at a time; returns each call's latency. */
export async function pool(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const latencies = new Array<number>(n);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      const t = performance.now();
      await work(i);
      latencies[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return latencies;
}

/** Resident memory (bytes) of a process and all its descendants, from /proc. */
export function treeRss(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples treeRss every `everyMs` until stopped; returns the peak. */
export function rssSampler(rootPid: number, everyMs = 200) {
  let peak = treeRss(rootPid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(rootPid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, treeRss(rootPid));
      return peak;
    },
  };
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
}

/** One line per figure, and a verdict against the target; returns whether the target was met. */
export function verdict(label: string, value: number, target: { atLeast?: number; atMost?: number }): boolean {
  const ok = (target.atLeast === undefined || value >= target.atLeast) && (target.atMost === undefined || value <= target.atMost);
  const want = target.atLeast !== undefined ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`;
  console.log(`  ${label}: ${value.toFixed(2)} (target ${want}) ${ok ? 'MET' : 'MISSED'}`);
  return ok;
}

/** A ratio printed to follow its trend, with no target (the raw-loop ratios of issue 7, retired by issue 11). */
export function trend(label: string, value: number) {
  console.log(`  ${label}: ${value.toFixed(2)} (trend, no target)`);
}

export function heading(title: string) {
  console.log(`\n== ${title} ==`);
}

export async function json<T = any>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * One machine plays thousands of people: lift API Gateway's throttling and the per-IP counter so they
 * do not stop the run. The counters stay on (with limits this high) so that their cost is measured.
 */
export const BENCH_LIMITS: Record<string, string> = {
  RATE_LIMIT_STAGE_RPS: '1000000',
  RATE_LIMIT_STAGE_BURST: '1000000',
  RATE_LIMIT_ROUTE_RPS: '1000000',
  RATE_LIMIT_ROUTE_BURST: '1000000',
  RATE_LIMIT_PER_IP_RPS: '1000000',
  RATE_LIMIT_PER_IP_BURST: '1000000',
  RATE_LIMIT_PER_IP: '100000000',
  RATE_LIMIT_PER_ADDRESS: '1000',
};

/** A benchmark seminar's admin body: open to all, with a livestream, 30 days ahead, two hours long. */
export function benchSeminarBody(o: { title: string; capacity: number; kind?: string; doubleOptIn?: boolean }): Record<string, unknown> {
  const start = new Date(Date.now() + 30 * 86400_000);
  return {
    kind: 'seminar',
    start: start.toISOString(),
    end: new Date(start.getTime() + 2 * 3600_000).toISOString(),
    venue: { name: 'Bench', address: 'Benchveien 1, 0150 Oslo' },
    livestream: true,
    eligibility: { kind: 'open' },
    streamingUrl: 'https://example.no/stream/bench',
    ...o,
  };
}
