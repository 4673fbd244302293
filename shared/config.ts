/** Environment, parsed once with zod at cold start. Variable names come from shared/env-names.ts. */
import * as z from 'zod';
import { Env } from './env-names.js';

const schema = z.object({
  [Env.tableName]: z.string().min(1),
  [Env.busName]: z.string().min(1),
  [Env.busArn]: z.string().min(1),
  [Env.scheduleGroup]: z.string().min(1),
  [Env.schedulerRoleArn]: z.string().min(1),
  [Env.schedulerDlqArn]: z.string().optional(),
  [Env.senderEmail]: z.email(),
  [Env.senderName]: z.string().default('Seminarer'),
  [Env.sesConfigurationSet]: z.string().optional(),
  [Env.sesSendRate]: z.coerce.number().positive().default(14),
  [Env.publicBaseUrl]: z.url(),
  [Env.tokenSecret]: z.string().min(32).optional(),
  [Env.tokenSecretParameter]: z.string().optional(),
  [Env.retentionDays]: z.coerce.number().int().positive().default(365),
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
