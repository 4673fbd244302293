/**
 * Lambda's execution environments, locally: a pool of instances per function, each a worker thread
 * (infra/local/worker.ts) with its own module state and the function's own environment.
 *
 * - An instance runs one invocation at a time. An invocation takes an idle instance of its function if
 *   there is one (a warm start: module state kept from its earlier invocations), else starts a new one
 *   (a cold start) while the function has fewer than `maxInstances`, else waits for one to come free.
 * - The function's timeout runs from when the instance takes the invocation; an invocation that is not
 *   done by then fails ("Task timed out after … seconds") and its instance is terminated, as on Lambda.
 *   An instance whose thread dies (an uncaught exception) fails its invocation and is gone.
 * - Instances start lazily and an instance idle for `idleMs` is reclaimed, as Lambda reclaims idle ones.
 * - An instance loads the function's bundle (infra/local/bundle.ts): its init, before the timeout runs.
 */
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { FunctionSpec } from '../../shared/spec.js';
import type { Counts, FromInstance, Settings, ToInstance, Usage, WireContext, WireError } from './worker-protocol.js';

export interface PoolOptions {
  /** The file URL of the function's bundle (infra/local/bundle.ts). */
  bundle: () => Promise<string>;
  /** The function's environment in full (what it sees as process.env). */
  env: () => Record<string, string>;
  /** The clock offset and chaos switches now. */
  settings: () => Settings;
  /** What an instance counted (AWS calls, throttled calls). */
  onCounts: (c: Counts) => void;
  /**
   * What an invocation used once it ended. An invocation that timed out or whose instance died has its
   * wall time only (a timed-out one its whole timeout, as Lambda bills it).
   */
  onUsage: (u: Pick<Usage, 'durationMs'> & Partial<Usage>) => void;
  /** An instance's init (thread start and module load, until it is ready) took this long, ms: Lambda bills its INIT phase too. */
  onInit: (ms: number) => void;
  /** The function's timeout here, in seconds. */
  timeoutSeconds: number;
  context: Omit<WireContext, 'deadline' | 'awsRequestId'>;
  maxInstances: number;
  idleMs: number;
  /** Each instance's V8 heap, as Lambda's Node.js bootstrap sizes it for the function's memory (`lambdaHeapLimits`). */
  heap: HeapLimits;
}

/** A worker's V8 heap limits (its `resourceLimits`). */
export interface HeapLimits {
  maxOldGenerationSizeMb: number;
  maxYoungGenerationSizeMb: number;
}

/**
 * The V8 heap of a Lambda instance of `memoryMb`: Lambda's Node.js bootstrap starts node with
 * `--max-old-space-size` of the memory less a tenth and `--max-semi-space-size` of a twentieth of it
 * (flags on its command line, after anything in NODE_OPTIONS, so they are what the function gets). A worker
 * takes the young generation whole, three semi-spaces (V8 rounds a semi-space up to a power of two either
 * way: 12 MB is 16), so an instance here has the heap limit the function has on Lambda (279 MB at 256 MB).
 * Without limits a worker would get what this machine's memory gives V8 (4 GB of old generation here), and
 * V8 lets a heap with a high limit grow further between collections: the heap in use, and a function that
 * would run out of memory on Lambda, would not show here as they would there.
 */
export function lambdaHeapLimits(memoryMb: number): HeapLimits {
  const newSpace = Math.floor(memoryMb / 10);
  return { maxOldGenerationSizeMb: memoryMb - newSpace, maxYoungGenerationSizeMb: 3 * Math.floor(newSpace / 2) };
}

/** The same heap as node's command-line flags, for a process of its own (the benchmarks' children). */
export function lambdaHeapFlags(memoryMb: number): string[] {
  const heap = lambdaHeapLimits(memoryMb);
  return [`--max-old-space-size=${heap.maxOldGenerationSizeMb}`, `--max-semi-space-size=${heap.maxYoungGenerationSizeMb / 3}`];
}

export function fromWire(w: WireError): Error {
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return Object.assign(e, w.fields);
}

interface Pending {
  id: number;
  /** performance.now() when the instance took the invocation. */
  startedAt: number;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

let nextInvocation = 1;

export class Instance {
  readonly worker: Worker;
  /** Resolves when the handler module is loaded (init done); rejects if init fails. */
  readonly ready: Promise<void>;
  dead = false;
  /** Invocations this instance has run. */
  invocations = 0;
  private current?: Pending;
  private idleTimer?: NodeJS.Timeout;
  private readonly initFailed: (e: unknown) => void;

  constructor(
    readonly spec: FunctionSpec,
    bundleUrl: string,
    private readonly o: PoolOptions,
    private readonly onDead: (i: Instance) => void,
  ) {
    const born = performance.now();
    this.worker = new Worker(new URL(bundleUrl), { env: o.env(), execArgv: ['--enable-source-maps'], name: `lambda:${spec.name}`, resourceLimits: { ...o.heap } });
    let readyOk!: () => void;
    let readyFail!: (e: unknown) => void;
    this.ready = new Promise<void>((ok, fail) => ((readyOk = ok), (readyFail = fail)));
    this.ready.catch(() => undefined);
    this.initFailed = readyFail;
    this.worker.on('message', (m: FromInstance) => {
      if (m.type === 'ready') {
        o.onInit(performance.now() - born);
        return readyOk();
      }
      o.onCounts(m.counts);
      if (m.type === 'init-failed') {
        readyFail(fromWire(m.error));
        return void this.kill();
      }
      const p = this.current;
      if (!p || p.id !== m.id) return;
      this.current = undefined;
      clearTimeout(p.timer);
      o.onUsage(m.usage);
      if (m.ok) p.resolve(m.value);
      else p.reject(fromWire(m.error));
    });
    this.worker.on('error', (err) => this.died(err));
    this.worker.on('exit', (code) => this.died(new Error(`Runtime exited with error: exit status ${code}`)));
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  /** Runs one invocation; the function's timeout starts now. */
  run(event: unknown): Promise<unknown> {
    if (this.dead) return Promise.reject(new Error('Runtime exited'));
    this.clearIdle();
    this.worker.ref();
    this.invocations++;
    const id = nextInvocation++;
    const ms = this.o.timeoutSeconds * 1000;
    const context: WireContext = { ...this.o.context, awsRequestId: randomBytes(16).toString('hex'), deadline: Date.now() + ms };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.current?.id !== id) return;
        this.current = undefined;
        this.o.onUsage({ durationMs: ms });
        const e = new Error(`Task timed out after ${this.o.timeoutSeconds.toFixed(2)} seconds`);
        e.name = 'Sandbox.Timedout';
        reject(e);
        this.kill();
      }, ms);
      this.current = { id, startedAt: performance.now(), resolve, reject, timer };
      const msg: ToInstance = { type: 'invoke', id, event, context, ...this.o.settings() };
      try {
        this.worker.postMessage(msg);
      } catch (err) {
        // An event that cannot be cloned.
        clearTimeout(timer);
        this.current = undefined;
        reject(err);
      }
    });
  }

  /** Passes the clock and the chaos switches on between invocations (an invocation in flight sees them). */
  send(settings: Settings): void {
    if (!this.dead) this.worker.postMessage({ type: 'settings', ...settings } satisfies ToInstance);
  }

  /** Idle from now: reclaimed after `idleMs` unless it runs an invocation first. */
  idle(reclaim: () => void): void {
    this.worker.unref();
    this.clearIdle();
    this.idleTimer = setTimeout(reclaim, this.o.idleMs);
    this.idleTimer.unref();
  }

  clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  kill(): Promise<void> {
    this.clearIdle();
    if (!this.dead) {
      this.dead = true;
      this.onDead(this);
    }
    return this.worker.terminate().then(() => undefined);
  }

  private died(err: unknown): void {
    this.initFailed(err);
    const p = this.current;
    this.current = undefined;
    if (p) {
      clearTimeout(p.timer);
      this.o.onUsage({ durationMs: performance.now() - p.startedAt });
      p.reject(err);
    }
    this.clearIdle();
    if (!this.dead) {
      this.dead = true;
      this.onDead(this);
    }
  }
}

interface Waiter {
  resolve: (i: Instance) => void;
  reject: (e: unknown) => void;
}

/** One function's instances. */
export class FunctionPool {
  readonly all = new Set<Instance>();
  private readonly idle: Instance[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;
  /** Instances being started whose bundle is not built yet. */
  private building = 0;
  /** Instances started so far (cold starts). */
  started = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly o: PoolOptions,
  ) {}

  async invoke(event: unknown): Promise<unknown> {
    const instance = await this.acquire();
    try {
      return await instance.run(event);
    } finally {
      this.release(instance);
    }
  }

  /** Every live instance (to pass settings on). */
  instances(): Iterable<Instance> {
    return this.all;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(new Error(`${this.spec.name}: the local runtime stopped`));
    await Promise.all([...this.all].map((i) => i.kill()));
  }

  private acquire(): Promise<Instance> {
    if (this.closed) return Promise.reject(new Error(`${this.spec.name}: the local runtime stopped`));
    const warm = this.idle.pop();
    if (warm) {
      warm.clearIdle();
      return Promise.resolve(warm);
    }
    if (this.all.size + this.building < this.o.maxInstances) return this.start();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async start(): Promise<Instance> {
    this.building++;
    let url: string;
    try {
      url = await this.o.bundle();
    } finally {
      this.building--;
    }
    if (this.closed) throw new Error(`${this.spec.name}: the local runtime stopped`);
    const instance = new Instance(this.spec, url, this.o, (i) => this.forget(i));
    this.all.add(instance);
    this.started++;
    await instance.ready;
    return instance;
  }

  private release(instance: Instance): void {
    if (instance.dead) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve(instance);
    this.idle.push(instance);
    instance.idle(() => void instance.kill());
  }

  /** An instance is gone (timed out, crashed, reclaimed): a waiter gets a new one in its place. */
  private forget(instance: Instance): void {
    this.all.delete(instance);
    const at = this.idle.indexOf(instance);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) this.start().then(waiter.resolve, waiter.reject);
  }
}
