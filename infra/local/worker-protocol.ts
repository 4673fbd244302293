/** The messages between the local runtime (infra/local/runtime.ts) and its instances (infra/local/worker.ts). */
import type { Chaos } from './chaos.js';

/** What the main thread moves that the handlers see: the local clock and the chaos switches. */
export interface Settings {
  clockOffsetMs: number;
  chaos: Chaos;
  /**
   * Measure each invocation's heap (LOCAL_MEASURE_RETAINED_HEAP=1: benchmarks): the most in use at any point
   * (watching its collections), and what a full GC at its end leaves.
   */
  retainedHeap?: boolean;
}

/** The Lambda context's data; `deadline`: epoch ms when the invocation times out. */
export interface WireContext {
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  deadline: number;
}

export type ToInstance = ({ type: 'invoke'; id: number; event: unknown; context: WireContext } & Settings) | ({ type: 'settings' } & Settings);

/** An error as data: the fields the bus, the gateway and the logs read (name, message, stack, status …). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

/** What an instance counted since its last message, for GET /_local/metrics and /_local/status. */
export interface Counts {
  awsCalls: Array<[string, number]>;
  /** DynamoDB items per operation (awsItemCounts, shared/aws/clients.ts): the read and write units. */
  awsItems: Array<[string, number]>;
  dynamoThrottled: number;
}

/** What one invocation used, measured in its instance (GET /_local/metrics: what Lambda would bill, and how near its memory a function comes). */
export interface Usage {
  /** Wall time of the handler, ms. */
  durationMs: number;
  /** The CPU the instance's thread spent in the invocation, ms (infra/local/worker.ts: exact on Linux, else approximated). */
  cpuMs: number;
  /**
   * The instance's V8 heap in use when the invocation ended, bytes; with `retainedHeap` (a benchmark's), the
   * most it had in use during the invocation: just before each collection, or at the end.
   */
  heapUsedBytes: number;
  /**
   * The most the instance's heap held live during the invocation: after any full collection in it, or the
   * one at its end (only with `retainedHeap`), bytes.
   */
  liveHeapBytes?: number;
  /** The heap still in use after a full GC at the invocation's end (only with `retainedHeap`), bytes. */
  retainedHeapBytes?: number;
}

export type FromInstance =
  | { type: 'ready' }
  | { type: 'init-failed'; error: WireError; counts: Counts }
  | { type: 'result'; id: number; ok: true; value: unknown; counts: Counts; usage: Usage }
  | { type: 'result'; id: number; ok: false; error: WireError; counts: Counts; usage: Usage };
