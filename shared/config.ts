/**
 * Environment, parsed once with zod at cold start. Variable names come from shared/env-names.ts.
 *
 * A function gets only the variables its wiring entry needs (`functionEnvironment`), so a variable it was
 * not given is undefined here, and reading a required one says which declaration is missing. Every
 * variable that is set is validated at the first `config()`.
 */
import * as z from 'zod/mini';
import { ENV_FOR, Env, type EnvName } from './env-names.js';
import './zod-locale.js';

export type Environment = Readonly<Record<string, string | undefined>>;

let source: () => Environment = () => process.env;

/**
 * Where the variables come from: process.env on Lambda. The local cloud runs every function in one
 * process and hands each invocation its own environment (infra/local/runtime.ts).
 */
export function setEnvironmentSource(s: () => Environment): void {
  source = s;
}

/** The current function's environment. */
export function environment(): Environment {
  return source();
}

/** A value computed from the environment once per environment (a cold start; locally, once per function). */
export function perEnvironment<T>(compute: (env: Environment) => T): () => T {
  const computed = new WeakMap<Environment, T>();
  return () => {
    const env = environment();
    let value = computed.get(env);
    if (value === undefined) {
      value = compute(env);
      computed.set(env, value);
    }
    return value;
  };
}

const nonEmpty = () => z.string().check(z.minLength(1));

const schema = z.object({
  [Env.tableName]: z.optional(nonEmpty()),
  [Env.busName]: z.optional(nonEmpty()),
  [Env.busArn]: z.optional(nonEmpty()),
  [Env.scheduleGroup]: z.optional(nonEmpty()),
  [Env.schedulerRoleArn]: z.optional(nonEmpty()),
  [Env.schedulerDlqArn]: z.optional(z.string()),
  [Env.senderEmail]: z.optional(z.email()),
  [Env.senderName]: z._default(z.string(), 'Seminarer'),
  [Env.sesConfigurationSet]: z.optional(z.string()),
  [Env.sesSendRate]: z._default(z.coerce.number().check(z.positive()), 14),
  [Env.publicBaseUrl]: z.optional(z.url()),
  [Env.tokenSecret]: z.optional(z.string().check(z.minLength(32))),
  [Env.tokenSecretParameter]: z.optional(z.string()),
  [Env.sendQueueUrl]: z.optional(z.url()),
  [Env.retentionDays]: z._default(z.coerce.number().check(z.int(), z.positive()), 365),
});

export interface Config {
  tableName: string;
  busName: string;
  busArn: string;
  scheduleGroup: string;
  schedulerRoleArn: string;
  schedulerDlqArn?: string;
  senderEmail: string;
  senderName: string;
  sesConfigurationSet?: string;
  sesSendRate: number;
  publicBaseUrl: string;
  tokenSecret?: string;
  tokenSecretParameter?: string;
  retentionDays: number;
  /** The send queue's URL (access.notices). */
  sendQueueUrl: string;
}

/** `TABLE_NAME` → `access.table`: the declaration in the wiring that gives a function the variable. */
function declarationOf(name: EnvName): string {
  const groups = Object.entries(ENV_FOR).filter(([, names]) => (names as readonly string[]).includes(name)).map(([group]) => group);
  return groups.map((g) => (g === 'tableWrite' ? "access.table: 'readwrite'" : g === 'writeRoutes' ? "a route with throttle: 'write'" : `access.${g}`)).join(' or ');
}

function parse(env: Environment): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  const e = parsed.data;
  const required = (name: EnvName): string => {
    const v = (e as Record<string, unknown>)[name];
    if (v === undefined) throw new Error(`Invalid environment: ${name} is not set (the function's wiring entry in infra/wiring.ts needs ${declarationOf(name)})`);
    return v as string;
  };
  return {
    get tableName() {
      return required(Env.tableName);
    },
    get busName() {
      return required(Env.busName);
    },
    get busArn() {
      return required(Env.busArn);
    },
    get scheduleGroup() {
      return required(Env.scheduleGroup);
    },
    get schedulerRoleArn() {
      return required(Env.schedulerRoleArn);
    },
    schedulerDlqArn: e[Env.schedulerDlqArn] || undefined,
    get senderEmail() {
      return required(Env.senderEmail);
    },
    senderName: e[Env.senderName],
    sesConfigurationSet: e[Env.sesConfigurationSet] || undefined,
    sesSendRate: e[Env.sesSendRate],
    get publicBaseUrl() {
      return required(Env.publicBaseUrl).replace(/\/$/, '');
    },
    tokenSecret: e[Env.tokenSecret],
    tokenSecretParameter: e[Env.tokenSecretParameter] || undefined,
    retentionDays: e[Env.retentionDays],
    get sendQueueUrl() {
      return required(Env.sendQueueUrl);
    },
  };
}

export const config: () => Config = perEnvironment(parse);
