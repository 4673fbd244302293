/**
 * The local Lambda runtime: every wired function runs with the Lambda context of its wiring entry
 * (timeout, memory) and its own environment, the one the stack gives it on AWS (`functionEnvironment`,
 * shared/env-names.ts): a function that reads a variable its wiring entry does not declare fails here as
 * it would on AWS.
 *
 * Isolation (`LOCAL_ISOLATION`):
 * - `workers` (the default), as Lambda isolates: each function runs in its own execution
 *   environments (infra/local/instances.ts), worker threads with the function's environment as their
 *   process.env, loading the function's esbuild bundle (infra/local/bundle.ts); an instance runs one
 *   invocation at a time, concurrent invocations of a function run in separate instances (up to
 *   `LOCAL_LAMBDA_MAX_INSTANCES` per function, by default the machine's cores but at least 2, then they
 *   wait: more threads than cores only slow each other down), module state lasts within an instance across its
 *   invocations and is never shared between instances or functions, an invocation that outlives its
 *   timeout fails and its instance is terminated, and an instance idle for `LOCAL_LAMBDA_IDLE_SECONDS`
 *   (60) is reclaimed. Each instance's V8 heap is sized as Lambda's Node.js bootstrap sizes it for the
 *   function's memory (`lambdaHeapLimits`). The clock offset and the chaos
 *   switches go to the instances; their AWS call counts and throttled calls come back (GET /_local/metrics,
 *   /_local/status), and with each result what the invocation used: its duration, its thread's CPU and the
 *   instance's heap (`metrics()`).
 * - `none` (LOCAL_ISOLATION=none, for debugging a handler in one process): every function in this process, loaded once; the environment travels
 *   with the invocation (AsyncLocalStorage), which shared/config.ts reads instead of process.env.
 *   Timeouts are not enforced, and module state is shared by concurrent invocations;
 *   of what an invocation used, only its duration is measured.
 *
 * process.env keeps what every function shares (AWS_REGION, AWS_ENDPOINT_URL_*).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { awsCallCounts, awsItemCounts } from '../../shared/aws/clients.js';
import { clockOffset } from '../../shared/clock.js';
import { setEnvironmentSource, type Environment } from '../../shared/config.js';
import { memoryOf } from '../../shared/email/rate.js';
import { Env, functionEnvironment, type EnvName } from '../../shared/env-names.js';
import type { FunctionSpec } from '../../shared/spec.js';
import { chaosEffects, noChaos, type Chaos } from './chaos.js';
import { Bundles } from './bundle.js';
import { FunctionPool, lambdaHeapLimits } from './instances.js';
import { ACCOUNT, REGION } from './names.js';
import type { Counts, Settings, Usage } from './worker-protocol.js';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const invocationEnvironment = new AsyncLocalStorage<Environment>();

/** A function's timeout here: the wiring's (as the stack sets it), or LOCAL_LAMBDA_TIMEOUT_SECONDS if shorter. */
export function functionTimeoutSeconds(f: Pick<FunctionSpec, 'timeoutSeconds'>): number {
  const cap = Number(process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS);
  return Math.min(f.timeoutSeconds ?? 10, Number.isFinite(cap) && cap > 0 ? cap : Infinity);
}

/**
 * The Lambda context, with the function's own timeout and memory from the wiring (as the stack sets
 * them). `LOCAL_LAMBDA_TIMEOUT_SECONDS` shortens every timeout, so that tests can hold the sender's
 * invocations to a few seconds.
 */
function lambdaContext(f: FunctionSpec, memoryMb: number) {
  const name = f.name;
  const timeoutSeconds = functionTimeoutSeconds(f);
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    functionName: name,
    functionVersion: '$LATEST',
    awsRequestId: randomBytes(16).toString('hex'),
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    memoryLimitInMB: String(memoryMb),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

export type Isolation = 'workers' | 'none';

export interface RuntimeOptions {
  /** `LOCAL_ISOLATION` by default (`workers` unless it says `none`). */
  isolation?: Isolation;
  /** Instances per function at most (`LOCAL_LAMBDA_MAX_INSTANCES`; the machine's cores, at least 2). */
  maxInstances?: number;
  /** An idle instance is reclaimed after this long (`LOCAL_LAMBDA_IDLE_SECONDS`, 60 s). */
  idleMs?: number;
}

/** The isolation `LOCAL_ISOLATION` asks for: `none` (or `off`, `0`) runs every function in this process; anything else, and unset, isolates (`workers`). */
export function isolationFrom(env: NodeJS.ProcessEnv = process.env): Isolation {
  const v = (env.LOCAL_ISOLATION ?? '').trim().toLowerCase();
  return v === 'none' || v === 'off' || v === '0' ? 'none' : 'workers';
}

const positive = (v: string | undefined, d: number) => (Number(v) > 0 ? Number(v) : d);

/** The variables of this process that every function shares (AWS_*, PATH, NODE_OPTIONS …): not those a wiring entry gives. */
function sharedEnvironment(): Record<string, string> {
  const own = new Set<string>(Object.values(Env));
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !own.has(e[0])));
}

/**
 * What a function's invocations used since the last reset (GET /_local/metrics `functions`): what Lambda
 * bills (requests, and duration at the configured memory) and how near that memory the function comes.
 */
export interface FunctionMetrics {
  /** Invocations that ended (returned, failed, timed out). */
  invocations: number;
  /** Their wall time, together and the longest, ms. */
  durationMs: number;
  maxDurationMs: number;
  /** The CPU the instances' threads spent in these invocations, ms (on Linux their own clocks, elsewhere approximated: infra/local/worker.ts); null without isolation. */
  cpuMs: number | null;
  /**
   * The most V8 heap one instance had in use at the end of an invocation, MB; with
   * LOCAL_MEASURE_RETAINED_HEAP=1, the most it had in use at any point of one (just before a collection, or
   * at the end). Null without isolation.
   */
  peakHeapMb: number | null;
  /**
   * The most heap an instance still held after a full GC at an invocation's end, MB: what it keeps, without
   * the garbage V8 has not collected yet. Only with LOCAL_MEASURE_RETAINED_HEAP=1 (a benchmark's: every
   * invocation then ends with a full GC); null otherwise.
   */
  retainedHeapMb: number | null;
  /**
   * The most heap one instance held live during an invocation, MB: what was in use after a full collection
   * (V8's during the invocation, or the one at its end), garbage left out. Only with
   * LOCAL_MEASURE_RETAINED_HEAP=1; null otherwise.
   */
  peakLiveHeapMb: number | null;
  /** The memory the stack configures for the function (`memoryOf`). */
  memoryMb: number;
}

/** Instances started since the last reset and how long their init took together (thread start and module load), ms. */
export interface InitMetrics {
  count: number;
  durationMs: number;
}

interface Tally {
  invocations: number;
  durationMs: number;
  maxDurationMs: number;
  cpuMs: number;
  peakHeapBytes: number;
  retainedHeapBytes: number;
  peakLiveHeapBytes: number;
}

const emptyTally = (): Tally => ({ invocations: 0, durationMs: 0, maxDurationMs: 0, cpuMs: 0, peakHeapBytes: 0, retainedHeapBytes: 0, peakLiveHeapBytes: 0 });

export class LocalRuntime {
  /** Invocations per function since the last reset (GET /_local/metrics), counted when they start. */
  readonly invocations = new Map<string, number>();
  readonly isolation: Isolation;
  /** The account's send rate here (SES_SEND_RATE_PER_SECOND): the sender's configured memory follows from it. */
  readonly sendRatePerSecond: number;
  private readonly usage = new Map<string, Tally>();
  private readonly inits = new Map<string, InitMetrics>();
  private readonly loaded = new Map<string, Promise<Handler>>();
  private readonly environments = new Map<string, Readonly<Record<string, string>>>();
  private readonly byName: Map<string, FunctionSpec>;
  private readonly pools = new Map<string, FunctionPool>();
  private readonly maxInstances: number;
  private readonly idleMs: number;
  private chaos: Chaos = noChaos();
  private lastSettings = '';
  private bundles?: Bundles;
  private settingsTimer?: NodeJS.Timeout;

  /** `values`: every variable's value in the local cloud; each function gets those it needs. */
  constructor(
    private readonly root: string,
    readonly functions: readonly FunctionSpec[],
    values: Partial<Record<EnvName, string>>,
    options: RuntimeOptions = {},
  ) {
    this.byName = new Map(functions.map((f) => [f.name, f]));
    for (const f of functions) this.environments.set(f.name, Object.freeze(functionEnvironment(f, values)));
    this.isolation = options.isolation ?? isolationFrom();
    // shared/config.ts's default when the cloud gives no rate (as the functions themselves read it).
    this.sendRatePerSecond = positive(values[Env.sesSendRate], 14);
    this.maxInstances = options.maxInstances ?? positive(process.env.LOCAL_LAMBDA_MAX_INSTANCES, Math.max(2, availableParallelism()));
    this.idleMs = options.idleMs ?? positive(process.env.LOCAL_LAMBDA_IDLE_SECONDS, 60) * 1000;
    if (this.isolation === 'none') setEnvironmentSource(() => invocationEnvironment.getStore() ?? process.env);
  }

  /** The chaos switches (POST /_local/chaos) that the functions' DynamoDB clients apply. */
  useChaos(chaos: Chaos): void {
    this.chaos = chaos;
  }

  spec(name: string): FunctionSpec {
    const f = this.byName.get(name);
    if (!f) throw new Error(`No wired function ${name}`);
    return f;
  }

  /** The environment a function runs with (the stack's, with local values). */
  environmentOf(name: string): Readonly<Record<string, string>> {
    return this.environments.get(this.spec(name).name)!;
  }

  /** Runs the function's handler on the event, in its own environment (and, isolated, in one of its instances). */
  invoke(f: FunctionSpec, event: unknown): Promise<unknown> {
    this.invocations.set(f.name, (this.invocations.get(f.name) ?? 0) + 1);
    if (this.isolation === 'workers') return this.poolOf(f).invoke(event);
    return invocationEnvironment.run(this.environmentOf(f.name), async () => {
      const handler = await this.handlerOf(f);
      // The wall time only: in one process, concurrent invocations share its thread and heap.
      const t0 = performance.now();
      try {
        return await handler(event, lambdaContext(f, this.memoryOf(f)));
      } finally {
        this.record(f.name, { durationMs: performance.now() - t0 });
      }
    });
  }

  /** The memory the stack configures for the function (its Lambda context's memoryLimitInMB here too). */
  memoryOf(f: FunctionSpec): number {
    return memoryOf(f, this.sendRatePerSecond);
  }

  /** Every wired function's metrics since the last reset (GET /_local/metrics `functions`), by name. */
  metrics(): Record<string, FunctionMetrics> {
    const isolated = this.isolation === 'workers';
    return Object.fromEntries(
      [...this.functions]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((f) => {
          const t = this.usage.get(f.name) ?? emptyTally();
          const metrics: FunctionMetrics = {
            invocations: t.invocations,
            durationMs: t.durationMs,
            maxDurationMs: t.maxDurationMs,
            cpuMs: isolated ? t.cpuMs : null,
            peakHeapMb: isolated && t.peakHeapBytes > 0 ? t.peakHeapBytes / 2 ** 20 : null,
            retainedHeapMb: isolated && t.retainedHeapBytes > 0 ? t.retainedHeapBytes / 2 ** 20 : null,
            peakLiveHeapMb: isolated && t.peakLiveHeapBytes > 0 ? t.peakLiveHeapBytes / 2 ** 20 : null,
            memoryMb: this.memoryOf(f),
          };
          return [f.name, metrics];
        }),
    );
  }

  /** Instances started per function since the last reset, with their init time (isolated only). */
  initMetrics(): Record<string, InitMetrics> {
    return Object.fromEntries([...this.inits].sort(([a], [b]) => a.localeCompare(b)).map(([name, i]) => [name, { ...i }]));
  }

  /** Starts the metrics over (POST /_local/metrics/reset); invocations in flight count when they end. */
  resetMetrics(): void {
    this.invocations.clear();
    this.usage.clear();
    this.inits.clear();
  }

  private record(name: string, u: Pick<Usage, 'durationMs'> & Partial<Usage>): void {
    let t = this.usage.get(name);
    if (!t) this.usage.set(name, (t = emptyTally()));
    t.invocations++;
    t.durationMs += u.durationMs;
    t.maxDurationMs = Math.max(t.maxDurationMs, u.durationMs);
    if (u.cpuMs !== undefined) t.cpuMs += u.cpuMs;
    if (u.heapUsedBytes !== undefined) t.peakHeapBytes = Math.max(t.peakHeapBytes, u.heapUsedBytes);
    if (u.retainedHeapBytes !== undefined) t.retainedHeapBytes = Math.max(t.retainedHeapBytes, u.retainedHeapBytes);
    if (u.liveHeapBytes !== undefined) t.peakLiveHeapBytes = Math.max(t.peakLiveHeapBytes, u.liveHeapBytes);
  }

  /** Live instances per function (isolated), and how many each function started (its cold starts). */
  instanceStats(): Record<string, { live: number; started: number }> {
    return Object.fromEntries([...this.pools].map(([name, p]) => [name, { live: p.all.size, started: p.started }]));
  }

  /** Terminates every instance. */
  async close(): Promise<void> {
    if (this.settingsTimer) clearInterval(this.settingsTimer);
    this.settingsTimer = undefined;
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
    this.bundles?.remove();
    this.bundles = undefined;
  }

  private settings(): Settings {
    return { clockOffsetMs: clockOffset(), chaos: { ...this.chaos }, ...(process.env.LOCAL_MEASURE_RETAINED_HEAP === '1' ? { retainedHeap: true } : {}) };
  }

  /** Passes a moved clock or changed chaos switches on to the instances, also those in an invocation. */
  private passSettingsOn(): void {
    const now = this.settings();
    const key = JSON.stringify(now);
    if (key === this.lastSettings) return;
    this.lastSettings = key;
    for (const pool of this.pools.values()) for (const i of pool.instances()) i.send(now);
  }

  private poolOf(f: FunctionSpec): FunctionPool {
    let pool = this.pools.get(f.name);
    if (!pool) {
      if (!this.settingsTimer) {
        this.lastSettings = JSON.stringify(this.settings());
        this.settingsTimer = setInterval(() => this.passSettingsOn(), 50);
        this.settingsTimer.unref();
      }
      const environment = this.environmentOf(f.name);
      const bundles = (this.bundles ??= new Bundles(this.root));
      pool = new FunctionPool(f, {
        bundle: () => bundles.of(f),
        env: () => ({ ...sharedEnvironment(), ...environment }),
        settings: () => this.settings(),
        onCounts: (c: Counts) => {
          for (const [k, n] of c.awsCalls) awsCallCounts.set(k, (awsCallCounts.get(k) ?? 0) + n);
          for (const [k, n] of c.awsItems) awsItemCounts.set(k, (awsItemCounts.get(k) ?? 0) + n);
          chaosEffects.dynamoThrottled += c.dynamoThrottled;
        },
        onUsage: (u) => this.record(f.name, u),
        onInit: (ms) => {
          const i = this.inits.get(f.name) ?? { count: 0, durationMs: 0 };
          this.inits.set(f.name, { count: i.count + 1, durationMs: i.durationMs + ms });
        },
        timeoutSeconds: functionTimeoutSeconds(f),
        context: {
          functionName: f.name,
          invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${f.name}`,
          memoryLimitInMB: String(this.memoryOf(f)),
          logGroupName: `/aws/lambda/${f.name}`,
          logStreamName: 'local',
        },
        maxInstances: this.maxInstances,
        idleMs: this.idleMs,
        heap: lambdaHeapLimits(this.memoryOf(f)),
      });
      this.pools.set(f.name, pool);
    }
    return pool;
  }

  private handlerOf(f: FunctionSpec): Promise<Handler> {
    let h = this.loaded.get(f.name);
    if (!h) {
      h = import(pathToFileURL(join(this.root, f.entry)).href).then((m: { handler?: Handler }) => {
        if (typeof m.handler !== 'function') throw new Error(`${f.entry} does not export a handler`);
        return m.handler;
      });
      this.loaded.set(f.name, h);
    }
    return h;
  }
}
