/**
 * Names of the environment variables the functions read. The CDK stack and the local cloud set them
 * from these constants, so the names are typed once.
 */
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
  // Rate limits of the public write routes (shared/rate-limits.ts); 0 turns a counter off.
  rateLimitStageRps: 'RATE_LIMIT_STAGE_RPS',
  rateLimitStageBurst: 'RATE_LIMIT_STAGE_BURST',
  rateLimitRouteRps: 'RATE_LIMIT_ROUTE_RPS',
  rateLimitRouteBurst: 'RATE_LIMIT_ROUTE_BURST',
  rateLimitPerIp: 'RATE_LIMIT_PER_IP',
  rateLimitPerIpWindowSeconds: 'RATE_LIMIT_PER_IP_WINDOW_SECONDS',
  rateLimitPerAddress: 'RATE_LIMIT_PER_ADDRESS',
  rateLimitPerAddressWindowSeconds: 'RATE_LIMIT_PER_ADDRESS_WINDOW_SECONDS',
} as const;
export type EnvName = (typeof Env)[keyof typeof Env];
