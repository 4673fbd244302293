/**
 * The one CDK stack, built from the wiring (infra/wiring.ts): every function, route and event rule
 * comes from there, so the cloud and the local cloud (infra/local/) cannot drift apart.
 *
 *   HTTP API ─ routes ─▶ Lambda            admin routes: JWT from the Cognito user pool
 *   custom bus ─ rules ─▶ Lambda           retry policy + DLQ on the target, async on-failure DLQ on the function
 *   SES config set ─▶ default bus ─ rule ─▶ custom bus    (SES can only publish to the default bus)
 *   Scheduler group + role ─▶ custom bus   schedules are made at runtime (shared/aws/schedules.ts)
 *   every DLQ ─ alarm ─▶ SNS topic ─▶ alarmEmail
 *   CloudFront ─ /* ─▶ S3 (the console)   /admin/*, /openapi.json ─▶ HTTP API    sign-in: Cognito managed login
 *
 * A composition of named parts (infra/constructs/): each owns its resources and grants access to them;
 * a WiredFunction takes from each part what its wiring entry declares.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { Env, type EnvName } from '../shared/env-names.js';
import { DEFAULT_RATE_LIMITS, rateLimitEnvironment } from '../shared/rate-limits.js';
import { functions as wiredFunctions, type FunctionSpec } from './wiring.js';
import { AdminIdentity, authDomainPrefix, cognitoDomainBaseUrl } from './constructs/admin-identity.js';
import { Alarms } from './constructs/alarms.js';
import { readDeployParameters, type DeployParameters } from './constructs/context.js';
import { ConsoleHosting } from './constructs/console.js';
import type { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { SendQueue } from './constructs/send-queue.js';
import { Api } from './constructs/http-api.js';
import { Mail } from './constructs/mail.js';
import { Scheduling } from './constructs/scheduling.js';
import { createTable } from './constructs/table.js';
import { TokenSecret } from './constructs/token-secret.js';
import { WiredFunction } from './constructs/wired-function.js';

export { DEFAULT_THROTTLE, WRITE_ROUTE_THROTTLE } from './constructs/http-api.js';
export {
  ASYNC_MAX_EVENT_AGE,
  ASYNC_RETRY_ATTEMPTS,
  ESM_REQUIRE_BANNER,
  pascal,
  REPO_ROOT,
  RULE_MAX_EVENT_AGE,
  RULE_RETRY_ATTEMPTS,
} from './constructs/wired-function.js';

export interface SeminarEventsStackProps extends StackProps {
  /** Defaults to the CDK context (cdk.json / -c key=value). */
  parameters?: DeployParameters;
  /** Defaults to the wiring; tests may pass a subset. */
  functions?: readonly FunctionSpec[];
  /** The built console to upload; console/dist by default (a placeholder page when it is missing). */
  consoleAssets?: string;
}

export class SeminarEventsStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly api: apigwv2.HttpApi;
  readonly userPool: cognito.UserPool;
  /** The console's bucket, distribution and headers policy. */
  readonly console: ConsoleHosting;
  readonly functions: Record<string, WiredFunction> = {};
  readonly deadLetterQueues: DeadLetterQueue[];

  constructor(scope: Construct, id: string, props: SeminarEventsStackProps = {}) {
    super(scope, id, {
      description: 'Seminars and funding-scheme deadlines: HTTP API, EventBridge, Scheduler, DynamoDB, SES',
      ...props,
    });
    const p = props.parameters ?? readDeployParameters(this.node);

    const alarms = new Alarms(this, p.alarmEmail);
    this.deadLetterQueues = alarms.deadLetterQueues;
    this.table = createTable(this);
    const tokenSecret = new TokenSecret(this);
    this.bus = new events.EventBus(this, 'Bus', { description: 'Seminar events (catalog in events/)' });
    const scheduling = new Scheduling(this, this.bus, alarms);
    const mail = new Mail(this, this.bus, p, alarms);
    const api = new Api(this);
    this.api = api.api;
    // The console (CloudFront + S3) and its sign-in (the user pool's managed login), each naming the other.
    const domainPrefix = authDomainPrefix(this);
    const consoleHosting = (this.console = new ConsoleHosting(this, 'Console', { api: this.api, authBaseUrl: cognitoDomainBaseUrl(this, domainPrefix) }));
    const admins = new AdminIdentity(this, { consoleUrl: consoleHosting.url, domainPrefix });
    this.userPool = admins.userPool;
    consoleHosting.deploy(
      { apiBaseUrl: '', authBaseUrl: admins.domain.baseUrl(), clientId: admins.client.userPoolClientId, redirectUri: consoleHosting.url, logoutUri: consoleHosting.url },
      props.consoleAssets,
    );
    const publicBaseUrl = p.publicBaseUrl ?? this.api.apiEndpoint;
    const specs = props.functions ?? wiredFunctions;
    const sender = specs.find((f) => f.drains === 'notices');
    const sendQueue = sender?.queue ? new SendQueue(this, alarms, sender.timeoutSeconds ?? 10, sender.queue) : undefined;

    // Every variable's value in this deployment; each function gets only those its wiring entry needs.
    const environment: Partial<Record<EnvName, string>> = {
      [Env.tableName]: this.table.tableName,
      [Env.busName]: this.bus.eventBusName,
      [Env.busArn]: this.bus.eventBusArn,
      [Env.scheduleGroup]: scheduling.group.scheduleGroupName,
      [Env.schedulerRoleArn]: scheduling.role.roleArn,
      [Env.schedulerDlqArn]: scheduling.deadLetterQueue.queue.queueArn,
      [Env.senderEmail]: p.senderEmail,
      [Env.senderName]: p.senderName,
      [Env.sesConfigurationSet]: mail.configurationSet.configurationSetName,
      [Env.sesSendRate]: String(p.sesSendRatePerSecond),
      [Env.publicBaseUrl]: publicBaseUrl,
      [Env.tokenSecretParameter]: tokenSecret.secret.secretArn,
      [Env.retentionDays]: String(p.retentionDays),
      [Env.logLevel]: 'INFO',
      [Env.sendQueueUrl]: sendQueue?.queue.queueUrl,
      // Per-IP and per-address counters of the public write routes (enforced in the function, in DynamoDB).
      ...rateLimitEnvironment(DEFAULT_RATE_LIMITS),
    };
    // Source maps ship in every asset; Node reads them at start only with -c sourceMaps=true (debugging),
    // since parsing a bundle's map costs each cold start several milliseconds.
    const extraEnvironment: Record<string, string> = p.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {};

    const targets = {
      table: this.table,
      bus: this.bus,
      scheduling,
      mail,
      tokenSecret,
      alarms,
      api: this.api,
      adminAuthorizer: admins.authorizer,
      sendQueue,
      sendRatePerSecond: p.sesSendRatePerSecond,
      environment,
      extraEnvironment,
    };
    for (const spec of specs) this.functions[spec.name] = new WiredFunction(this, spec, targets);
    api.throttleRoutes(Object.values(this.functions).flatMap((f) => f.httpRoutes));

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Base of the links in emails' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: admins.client.userPoolClientId });
    new CfnOutput(this, 'ConsoleUrl', { value: consoleHosting.url, description: 'The admin console (sign in with a user of the admins group)' });
    new CfnOutput(this, 'AuthBaseUrl', { value: admins.domain.baseUrl(), description: 'The managed-login domain (OAuth endpoints) of the user pool' });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ScheduleGroupName', { value: scheduling.group.scheduleGroupName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'SesConfigurationSetName', { value: mail.configurationSet.configurationSetName });
  }
}
