/**
 * The local Lambda runtime: every wired function runs in this process, loaded once (a warm Lambda), with
 * the Lambda context of its wiring entry (timeout, memory) and its own environment, the one the stack
 * gives it on AWS (`functionEnvironment`, shared/env-names.ts): a function that reads a variable its
 * wiring entry does not declare fails here as it would on AWS.
 *
 * The environment travels with the invocation (AsyncLocalStorage): shared/config.ts reads it from here
 * instead of process.env. process.env keeps what every function shares (AWS_REGION, AWS_ENDPOINT_URL_*).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setEnvironmentSource, type Environment } from '../../shared/config.js';
import { functionEnvironment, type EnvName } from '../../shared/env-names.js';
import type { FunctionSpec } from '../../shared/spec.js';
import { ACCOUNT, REGION } from './names.js';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const invocationEnvironment = new AsyncLocalStorage<Environment>();

/**
 * The Lambda context, with the function's own timeout and memory from the wiring (as the stack sets
 * them). `LOCAL_LAMBDA_TIMEOUT_SECONDS` shortens every timeout, so that tests can see a long fan-out
 * hand over to its continuation.
 */
function lambdaContext(f: FunctionSpec) {
  const name = f.name;
  const cap = Number(process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS);
  const timeoutSeconds = Math.min(f.timeoutSeconds ?? 10, Number.isFinite(cap) && cap > 0 ? cap : Infinity);
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    functionName: name,
    functionVersion: '$LATEST',
    awsRequestId: randomBytes(16).toString('hex'),
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`,
    memoryLimitInMB: String(f.memoryMb ?? 256),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

export class LocalRuntime {
  /** Invocations per function since the last reset (GET /_local/metrics). */
  readonly invocations = new Map<string, number>();
  private readonly loaded = new Map<string, Promise<Handler>>();
  private readonly environments = new Map<string, Readonly<Record<string, string>>>();
  private readonly byName: Map<string, FunctionSpec>;

  /** `values`: every variable's value in the local cloud; each function gets those it needs. */
  constructor(
    private readonly root: string,
    readonly functions: readonly FunctionSpec[],
    values: Partial<Record<EnvName, string>>,
  ) {
    this.byName = new Map(functions.map((f) => [f.name, f]));
    for (const f of functions) this.environments.set(f.name, Object.freeze(functionEnvironment(f, values)));
    setEnvironmentSource(() => invocationEnvironment.getStore() ?? process.env);
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

  /** Runs the function's handler on the event, in its own environment. */
  invoke(f: FunctionSpec, event: unknown): Promise<unknown> {
    this.invocations.set(f.name, (this.invocations.get(f.name) ?? 0) + 1);
    return invocationEnvironment.run(this.environmentOf(f.name), async () => (await this.handlerOf(f))(event, lambdaContext(f)));
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
