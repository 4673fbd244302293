/** Environment, parsed once with zod at cold start. Variable names come from shared/env-names.ts. */
import * as z from 'zod/mini';
import { Env } from './env-names.js';
import './zod-locale.js';

const required = () => z.string().check(z.minLength(1));

const schema = z.object({
  [Env.tableName]: required(),
  [Env.busName]: required(),
  [Env.busArn]: required(),
  [Env.scheduleGroup]: required(),
  [Env.schedulerRoleArn]: required(),
  [Env.schedulerDlqArn]: z.optional(z.string()),
  [Env.senderEmail]: z.email(),
  [Env.senderName]: z._default(z.string(), 'Seminarer'),
  [Env.sesConfigurationSet]: z.optional(z.string()),
  [Env.sesSendRate]: z._default(z.coerce.number().check(z.positive()), 14),
  [Env.publicBaseUrl]: z.url(),
  [Env.tokenSecret]: z.optional(z.string().check(z.minLength(32))),
  [Env.tokenSecretParameter]: z.optional(z.string()),
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
}

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  const e = parsed.data;
  cached = {
    tableName: e[Env.tableName],
    busName: e[Env.busName],
    busArn: e[Env.busArn],
    scheduleGroup: e[Env.scheduleGroup],
    schedulerRoleArn: e[Env.schedulerRoleArn],
    schedulerDlqArn: e[Env.schedulerDlqArn] || undefined,
    senderEmail: e[Env.senderEmail],
    senderName: e[Env.senderName],
    sesConfigurationSet: e[Env.sesConfigurationSet] || undefined,
    sesSendRate: e[Env.sesSendRate],
    publicBaseUrl: e[Env.publicBaseUrl].replace(/\/$/, ''),
    tokenSecret: e[Env.tokenSecret],
    tokenSecretParameter: e[Env.tokenSecretParameter] || undefined,
    retentionDays: e[Env.retentionDays],
  };
  return cached;
}
