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
} as const;
export type EnvName = (typeof Env)[keyof typeof Env];
