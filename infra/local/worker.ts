/**
 * One Lambda execution environment of the local cloud (an "instance"): a worker thread that loads one
 * function's handler module (its init, a cold start) and then runs that function's invocations one at a
 * time (warm starts), as Lambda does. Started by infra/local/runtime.ts with the function's own
 * environment as its process.env; nothing in module scope is shared with other instances or functions.
 *
 * What the local cloud's control API moves in the main thread travels with each invocation (and with
 * `settings` messages in between): the clock offset (shared/clock.ts) and the chaos switches, applied
 * here to this instance's DynamoDB client. What the control API reads comes back with each result: the
 * AWS calls made (awsCallCounts) and the calls the chaos switches throttled.
 */
import { parentPort } from 'node:worker_threads';
import { awsCallCounts, documentClient } from '../../shared/aws/clients.js';
import { setClockOffset } from '../../shared/clock.js';
import { chaosEffects, noChaos, throttleMiddleware, type Chaos } from './chaos.js';
import type { Counts, FromInstance, ToInstance, WireError } from './worker-protocol.js';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const port = parentPort!;
const chaos: Chaos = noChaos();

function apply(settings: { clockOffsetMs: number; chaos: Chaos }): void {
  setClockOffset(settings.clockOffsetMs);
  Object.assign(chaos, settings.chaos);
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
  const dynamoThrottled = chaosEffects.dynamoThrottled;
  chaosEffects.dynamoThrottled = 0;
  return { awsCalls: calls, dynamoThrottled };
}

/**
 * Serves the function's invocations in this instance: `entry` is the function's module (bundled with
 * this one, infra/local/bundle.ts), already loaded (its init).
 */
export function serve(entry: { handler?: unknown }, entryName: string): void {
  // Throttling chaos: this instance's DynamoDB client answers a share of calls as a throttling DynamoDB does.
  documentClient().middlewareStack.add(throttleMiddleware(chaos), { step: 'deserialize', priority: 'low', name: 'localChaosThrottle' });
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
  Promise.resolve()
    .then(() => handler(msg.event, context))
    .then(
      (value) => {
        try {
          port.postMessage({ type: 'result', id: msg.id, ok: true, value, counts: takeCounts() } satisfies FromInstance);
        } catch (err) {
          // A result that cannot be cloned: as Lambda, which cannot serialize it, fail the invocation.
          port.postMessage({ type: 'result', id: msg.id, ok: false, error: wireError(err), counts: takeCounts() } satisfies FromInstance);
        }
      },
      (err: unknown) => port.postMessage({ type: 'result', id: msg.id, ok: false, error: wireError(err), counts: takeCounts() } satisfies FromInstance),
    );
}
