/**
 * One Lambda execution environment of the local cloud (an "instance"): a worker thread that loads one
 * function's handler module (its init, a cold start) and then runs that function's invocations one at a
 * time (warm starts), as Lambda does. Started by infra/local/runtime.ts with the function's own
 * environment as its process.env; nothing in module scope is shared with other instances or functions.
 *
 * What the local cloud's control API moves in the main thread travels with each invocation (and with
 * `settings` messages in between): the clock offset (shared/clock.ts) and the chaos switches, applied
 * here to this instance's DynamoDB client. What the control API reads comes back with each result: the
 * AWS calls made (awsCallCounts, and DynamoDB's items: awsItemCounts), the calls the chaos switches
 * throttled, and what the invocation used (its duration, its thread's CPU, the instance's heap).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { awsCallCounts, awsItemCounts, documentClient, leanDynamoClient } from '../../shared/aws/clients.js';
import { setClockOffset } from '../../shared/clock.js';
import { chaosEffects, noChaos, throttleHook, throttleMiddleware, type Chaos } from './chaos.js';
import type { Counts, FromInstance, ToInstance, Usage, WireError } from './worker-protocol.js';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const port = parentPort!;
const chaos: Chaos = noChaos();

let retainedHeap = false;
function apply(settings: { clockOffsetMs: number; chaos: Chaos; retainedHeap?: boolean }): void {
  setClockOffset(settings.clockOffsetMs);
  Object.assign(chaos, settings.chaos);
  retainedHeap = Boolean(settings.retainedHeap);
}

/** An error as plain data: name, message, stack and whatever own fields can be cloned (status, code, $metadata …). */
function wireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: typeof err === 'string' ? err : JSON.stringify(err) ?? String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    try {
      fields[k] = structuredClone(v);
    } catch {
      // not cloneable (a function, a socket): left out
    }
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

/** What this instance counted since the last result, then cleared. */
function takeCounts(): Counts {
  const calls = [...awsCallCounts];
  awsCallCounts.clear();
  const items = [...awsItemCounts];
  awsItemCounts.clear();
  const dynamoThrottled = chaosEffects.dynamoThrottled;
  chaosEffects.dynamoThrottled = 0;
  return { awsCalls: calls, awsItems: items, dynamoThrottled };
}

/**
 * This thread's CPU time so far (ms), where Linux tells it: the first field of /proc/thread-self/schedstat
 * is the nanoseconds the thread ran (about 15 µs to read; read synchronously, so by this thread and not
 * by one of libuv's pool). Node 20 has no per-thread CPU clock of its own
 * (process.cpuUsage is the whole process's, every instance's together).
 */
function threadCpuMs(): number | undefined {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
const hasThreadCpu = threadCpuMs() !== undefined;

/**
 * Starts measuring one invocation; the function returned ends it. The CPU is this thread's (its Linux
 * schedstat) or, elsewhere, the time its event loop was active meanwhile (`eventLoopUtilization`), which
 * approximates the thread's CPU but also counts time the thread was ready to run and waited for a core:
 * on a busy machine it reads high (a 200 ms busy loop among 13 runnable threads on 2 cores: 224 ms
 * active, 140 ms on a CPU). The heap is this instance's own V8 isolate (`process.memoryUsage` would be
 * the whole process's).
 */
/**
 * A full GC of this isolate, for the heap an invocation leaves behind (`retainedHeap`): a worker may not
 * be started with --expose-gc, but the flag can be set at run time and `gc` taken from a new context.
 */
let fullGc: (() => void) | undefined;
function collect(): void {
  if (!fullGc) {
    setFlagsFromString('--expose-gc');
    fullGc = runInNewContext('gc') as () => void;
  }
  fullGc();
}

function measure(): () => Usage {
  const elu = hasThreadCpu ? undefined : performance.eventLoopUtilization();
  const cpu0 = hasThreadCpu ? threadCpuMs()! : 0;
  // Measuring the heap (a benchmark's): every collection during the invocation is seen, with the heap in use
  // just before it (the fullest it got; the end of the invocation alone falls anywhere between two) and,
  // after a full one, what was still live.
  const collections = retainedHeap ? new GCProfiler() : undefined;
  collections?.start();
  const t0 = performance.now();
  return () => {
    const usage: Usage = {
      durationMs: performance.now() - t0,
      cpuMs: elu ? performance.eventLoopUtilization(elu).active : (threadCpuMs() ?? cpu0) - cpu0,
      heapUsedBytes: getHeapStatistics().used_heap_size,
    };
    // After the figures above, so that the collection costs the invocation neither time nor CPU.
    if (collections) {
      let live = 0;
      for (const gc of collections.stop().statistics) {
        usage.heapUsedBytes = Math.max(usage.heapUsedBytes, gc.beforeGC.heapStatistics.usedHeapSize);
        if (gc.gcType === 'MarkSweepCompact') live = Math.max(live, gc.afterGC.heapStatistics.usedHeapSize);
      }
      collect();
      usage.retainedHeapBytes = getHeapStatistics().used_heap_size;
      usage.liveHeapBytes = Math.max(live, usage.retainedHeapBytes);
    }
    return usage;
  };
}

/**
 * Serves the function's invocations in this instance: `entry` is the function's module (bundled with
 * this one, infra/local/bundle.ts), already loaded (its init).
 */
export function serve(entry: { handler?: unknown }, entryName: string): void {
  // Throttling chaos: this instance's DynamoDB client answers a share of calls as a throttling DynamoDB does.
  documentClient().middlewareStack.add(throttleMiddleware(chaos), { step: 'deserialize', priority: 'low', name: 'localChaosThrottle' });
  leanDynamoClient().intercept(throttleHook(chaos));
  if (typeof entry.handler !== 'function') {
    port.postMessage({ type: 'init-failed', error: wireError(new Error(`${entryName} does not export a handler`)), counts: takeCounts() } satisfies FromInstance);
    return;
  }
  const handler = entry.handler as Handler;
  port.on('message', (msg: ToInstance) => onMessage(handler, msg));
  port.postMessage({ type: 'ready' } satisfies FromInstance);
}

function onMessage(handler: Handler, msg: ToInstance): void {
  if (msg.type === 'settings') return apply(msg);
  if (msg.type !== 'invoke') return;
  apply(msg);
  const c = msg.context;
  const context = {
    functionName: c.functionName,
    functionVersion: '$LATEST',
    awsRequestId: c.awsRequestId,
    invokedFunctionArn: c.invokedFunctionArn,
    memoryLimitInMB: c.memoryLimitInMB,
    logGroupName: c.logGroupName,
    logStreamName: c.logStreamName,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, c.deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  const ended = measure();
  Promise.resolve()
    .then(() => handler(msg.event, context))
    .then(
      (value) => {
        const usage = ended();
        try {
          port.postMessage({ type: 'result', id: msg.id, ok: true, value, counts: takeCounts(), usage } satisfies FromInstance);
        } catch (err) {
          // A result that cannot be cloned: as Lambda, which cannot serialize it, fail the invocation.
          port.postMessage({ type: 'result', id: msg.id, ok: false, error: wireError(err), counts: takeCounts(), usage } satisfies FromInstance);
        }
      },
      (err: unknown) => port.postMessage({ type: 'result', id: msg.id, ok: false, error: wireError(err), counts: takeCounts(), usage: ended() } satisfies FromInstance),
    );
}
