/**
 * Names of the environment variables the functions read. The CDK stack and the local cloud set them
 * from these constants, so the names are typed once.
 */
import type { FunctionSpec } from './spec.js';

export const Env = {
  tableName: 'TABLE_NAME',
  busName: 'EVENT_BUS_NAME',
  busArn: 'EVENT_BUS_ARN',
  scheduleGroup: 'SCHEDULE_GROUP_NAME',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  schedulerDlqArn: 'SCHEDULER_DLQ_ARN',
  senderEmail: 'SENDER_EMAIL',
  senderName: 'SENDER_NAME',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  sesSendRate: 'SES_SEND_RATE_PER_SECOND',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  tokenSecret: 'TOKEN_SECRET',
  tokenSecretParameter: 'TOKEN_SECRET_PARAMETER',
  retentionDays: 'RETENTION_DAYS',
  logLevel: 'LOG_LEVEL',
  sendQueueUrl: 'SEND_QUEUE_URL',
  // Rate limits of the public write routes (shared/rate-limits.ts); 0 turns a counter off.
  rateLimitStageRps: 'RATE_LIMIT_STAGE_RPS',
  rateLimitStageBurst: 'RATE_LIMIT_STAGE_BURST',
  rateLimitRouteRps: 'RATE_LIMIT_ROUTE_RPS',
  rateLimitRouteBurst: 'RATE_LIMIT_ROUTE_BURST',
  rateLimitPerIpRps: 'RATE_LIMIT_PER_IP_RPS',
  rateLimitPerIpBurst: 'RATE_LIMIT_PER_IP_BURST',
  rateLimitPerIp: 'RATE_LIMIT_PER_IP',
  rateLimitPerIpWindowSeconds: 'RATE_LIMIT_PER_IP_WINDOW_SECONDS',
  rateLimitPerAddress: 'RATE_LIMIT_PER_ADDRESS',
  rateLimitPerAddressWindowSeconds: 'RATE_LIMIT_PER_ADDRESS_WINDOW_SECONDS',
} as const;
export type EnvName = (typeof Env)[keyof typeof Env];

/**
 * The variables a function gets, from its wiring entry (shared/spec.ts): only what its `access` and
 * its routes need. The CDK stack, the local cloud and the tests all build a function's environment
 * with `functionEnvironment`, so the three cannot differ.
 */
export const ENV_FOR = {
  /** Every function. */
  always: [Env.logLevel],
  table: [Env.tableName],
  /** Written items expire (the retention). */
  tableWrite: [Env.retentionDays],
  bus: [Env.busName],
  /** A schedule's target is the bus, put there by the scheduler role, with its dead-letter queue. */
  scheduler: [Env.scheduleGroup, Env.schedulerRoleArn, Env.schedulerDlqArn, Env.busArn],
  ses: [Env.senderEmail, Env.senderName, Env.sesConfigurationSet, Env.sesSendRate],
  /** The send queue; how many recipients a queued notice names follows from the send rate. */
  notices: [Env.sendQueueUrl, Env.sesSendRate],
  /** Emails and pages carry absolute links. */
  links: [Env.publicBaseUrl],
  /** The parameter on AWS, the key itself locally: a deployment sets one of them. */
  secret: [Env.tokenSecretParameter, Env.tokenSecret],
  /** The per-IP and per-address counters of the public write routes (`throttle: 'write'`). */
  writeRoutes: [Env.rateLimitPerIp, Env.rateLimitPerIpWindowSeconds, Env.rateLimitPerAddress, Env.rateLimitPerAddressWindowSeconds],
} as const satisfies Record<string, readonly EnvName[]>;

export type EnvironmentNeeds = Pick<FunctionSpec, 'access' | 'routes'>;

/** The names of the variables a function needs, in a fixed order. */
export function environmentNames(spec: EnvironmentNeeds): EnvName[] {
  const a = spec.access;
  const names = new Set<EnvName>([
    ...(a.table ? ENV_FOR.table : []),
    ...(a.table === 'readwrite' ? ENV_FOR.tableWrite : []),
    ...(a.bus ? ENV_FOR.bus : []),
    ...(a.scheduler ? ENV_FOR.scheduler : []),
    ...(a.ses ? ENV_FOR.ses : []),
    ...(a.notices ? ENV_FOR.notices : []),
    ...(a.ses || a.links ? ENV_FOR.links : []),
    ...(a.secret ? ENV_FOR.secret : []),
    ...(spec.routes?.some((r) => r.throttle === 'write') ? ENV_FOR.writeRoutes : []),
    ...ENV_FOR.always,
  ]);
  return [...names];
}

/**
 * One function's environment: the deployment's values (every variable, as the stack or the local cloud
 * has them) of the variables this function needs; a value the deployment leaves undefined is left out.
 * `extra` (NODE_OPTIONS, say) goes to every function.
 */
export function functionEnvironment(
  spec: EnvironmentNeeds,
  values: Partial<Record<EnvName, string>>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of environmentNames(spec)) {
    const v = values[name];
    if (v !== undefined) env[name] = v;
  }
  return { ...env, ...extra };
}
