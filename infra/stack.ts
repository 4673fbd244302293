/**
 * The one CDK stack, built from the wiring (infra/wiring.ts): every function, route and event rule
 * comes from there, so the cloud and the local cloud (infra/local/) cannot drift apart.
 *
 *   HTTP API ─ routes ─▶ Lambda            admin routes: JWT from the Cognito user pool
 *   custom bus ─ rules ─▶ Lambda           retry policy + DLQ on the target, async on-failure DLQ on the function
 *   SES config set ─▶ default bus ─ rule ─▶ custom bus    (SES can only publish to the default bus)
 *   Scheduler group + role ─▶ custom bus   schedules are made at runtime (shared/aws/schedules.ts)
 *   every DLQ ─ alarm ─▶ SNS topic ─▶ alarmEmail
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { catalog, patternFor, Sources } from '../events/index.js';
import { Env } from '../shared/env-names.js';
import { DEFAULT_RATE_LIMITS, rateLimitEnvironment, THROTTLED_ROUTE_KEYS, throttledRouteKeys } from '../shared/rate-limits.js';
import { ADMIN_GROUP, functions as wiredFunctions, routeKey, ruleFor, type FunctionSpec } from './wiring.js';
import { readDeployParameters, type DeployParameters } from './constructs/context.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { acknowledgeWildcardResource } from './constructs/nag.js';

/** Repository root: entries in the wiring are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Stage-wide throttle, and the tighter one for the public write routes that send email. The numbers
 * live in shared/rate-limits.ts, which the local gateway reads too.
 */
export const DEFAULT_THROTTLE = DEFAULT_RATE_LIMITS.stage;
export const WRITE_ROUTE_THROTTLE = DEFAULT_RATE_LIMITS.writeRoute;
export { THROTTLED_ROUTE_KEYS, throttledRouteKeys };

/** EventBridge target retries (delivery to Lambda) and Lambda's own async retries (function errors). */
export const RULE_RETRY_ATTEMPTS = 185;
export const RULE_MAX_EVENT_AGE = Duration.hours(24);
export const ASYNC_RETRY_ATTEMPTS = 2;
export const ASYNC_MAX_EVENT_AGE = Duration.hours(6);

/**
 * esbuild banner: an ESM bundle has no `require`, but bundled CommonJS dependencies call it for Node
 * built-ins. Aliased imports so that a bundled module importing `createRequire` itself cannot collide.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __seCreateRequire } from 'node:module'; const require = __seCreateRequire(import.meta.url);";

/**
 * SES event publishing type for each SES detail-type in the catalog (events/ses.ts). The configuration
 * set publishes exactly the types the catalog knows; add a line here when the catalog gains one.
 */
const SES_EVENT_FOR_DETAIL_TYPE: Record<string, ses.EmailSendingEvent> = {
  'Email Bounced': ses.EmailSendingEvent.BOUNCE,
  'Email Sent': ses.EmailSendingEvent.SEND,
  'Email Complaint Received': ses.EmailSendingEvent.COMPLAINT,
  'Email Rejected': ses.EmailSendingEvent.REJECT,
  'Email Delivery Delayed': ses.EmailSendingEvent.DELIVERY_DELAY,
};

export interface SeminarEventsStackProps extends StackProps {
  /** Defaults to the CDK context (cdk.json / -c key=value). */
  parameters?: DeployParameters;
  /** Defaults to the wiring; tests may pass a subset. */
  functions?: FunctionSpec[];
}

/** `on-seminar-scheduled` → `OnSeminarScheduled` (construct ids). */
export const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');

/** The catalog's patterns use EventBridge's JSON keys; the CDK wants camelCase for `detail-type`. */
function toEventPattern(pattern: Record<string, unknown>): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
}

export class SeminarEventsStack extends Stack {
  readonly table: dynamodb.Table;
  readonly bus: events.EventBus;
  readonly api: apigwv2.HttpApi;
  readonly userPool: cognito.UserPool;
  readonly functions: Record<string, nodejs.NodejsFunction> = {};
  readonly deadLetterQueues: DeadLetterQueue[] = [];

  constructor(scope: Construct, id: string, props: SeminarEventsStackProps = {}) {
    super(scope, id, {
      description: 'Seminars and funding-scheme deadlines: HTTP API, EventBridge, Scheduler, DynamoDB, SES',
      ...props,
    });
    const p = props.parameters ?? readDeployParameters(this.node);
    const specs = props.functions ?? wiredFunctions;

    // ── Alarms ────────────────────────────────────────────────────────────────────────────────────
    const alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Seminar events alarms', enforceSSL: true });
    // enforceSSL gives the topic an explicit policy; CloudWatch alarms of this account must still publish.
    alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    if (p.alarmEmail) alarmTopic.addSubscription(new subscriptions.EmailSubscription(p.alarmEmail));
    const deadLetterQueue = (dlqId: string, purpose: string): DeadLetterQueue => {
      const dlq = new DeadLetterQueue(this, dlqId, { purpose, alarmTopic });
      this.deadLetterQueues.push(dlq);
      return dlq;
    };

    // ── State ─────────────────────────────────────────────────────────────────────────────────────
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: 'expiresAt',
    });
    for (const n of [1, 2]) {
      this.table.addGlobalSecondaryIndex({
        indexName: `gsi${n}`,
        partitionKey: { name: `gsi${n}pk`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `gsi${n}sk`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // A fixed name, so the Parameter Store reference path (/aws/reference/secretsmanager/<name>) is known.
    const tokenSecretName = `${this.stackName}/token-signing-key`;
    const tokenSecret = new secretsmanager.Secret(this, 'TokenSigningSecret', {
      secretName: tokenSecretName,
      description: 'HMAC key that signs confirm, cancel and unsubscribe links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(tokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key signs links already sitting in mailboxes (confirm, cancel, unsubscribe); automatic rotation would break them all. Rotate by hand when the key may be compromised.',
    });

    // ── Events ────────────────────────────────────────────────────────────────────────────────────
    this.bus = new events.EventBus(this, 'Bus', { description: 'Seminar events (catalog in events/)' });

    const scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', { removalPolicy: RemovalPolicy.DESTROY });
    const schedulerDlq = deadLetterQueue('SchedulerDlq', 'EventBridge Scheduler could not put a due event (reminder, streaming link, deadline) on the bus');
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to put due events on the bus',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnEquals: { 'aws:SourceArn': scheduleGroup.scheduleGroupArn },
        },
      }),
    });
    this.bus.grantPutEventsTo(schedulerRole);
    // Scheduler sends undeliverable events to the DLQ named in each schedule with this role.
    schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [schedulerDlq.queue.queueArn] }),
    );

    // ── Mail ──────────────────────────────────────────────────────────────────────────────────────
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const sesEvents = Object.values(catalog).filter((e) => e.source === Sources.ses);
    const publishedSesEvents = sesEvents.map((e) => {
      const t = SES_EVENT_FOR_DETAIL_TYPE[e.detailType];
      if (!t) throw new Error(`infra/stack.ts: map the SES detail-type "${e.detailType}" (events/) to its EmailSendingEvent in SES_EVENT_FOR_DETAIL_TYPE`);
      return t;
    });
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    if (publishedSesEvents.length > 0) {
      // SES can only publish to the account's default bus.
      configurationSet.addEventDestination('ToEventBridge', {
        destination: ses.EventDestination.eventBus(defaultBus),
        events: publishedSesEvents,
      });
      const sesForwardDlq = deadLetterQueue('SesForwardDlq', 'SES bounce/complaint events that could not be forwarded from the default bus');
      const forward = new events.Rule(this, 'ForwardSesEvents', {
        eventBus: defaultBus,
        description: 'Forwards SES bounce and complaint events of our configuration set to the seminar bus',
        eventPattern: toEventPattern({
          ...patternFor(...sesEvents),
          detail: { mail: { tags: { 'ses:configuration-set': [configurationSet.configurationSetName] } } },
        }),
      });
      // Event-bus targets take no RetryPolicy (EventBridge applies its default: 24 h, 185 attempts); DLQ yes.
      forward.addTarget(new targets.EventBus(this.bus, { deadLetterQueue: sesForwardDlq.queue }));
    }
    if (p.createIdentity) {
      const identity = new ses.EmailIdentity(this, 'SenderIdentity', {
        identity: ses.Identity.domain(p.senderDomain),
        configurationSet,
      });
      identity.dkimRecords.forEach((r, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `DNS record ${i + 1}/3 that verifies ${p.senderDomain} (Easy DKIM)`,
          value: `${r.name} CNAME ${r.value}`,
        });
      });
    }
    const sesIdentityArn = (name: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    const sesConfigurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
    });

    // ── Admin identity ────────────────────────────────────────────────────────────────────────────
    this.userPool = new cognito.UserPool(this, 'AdminUserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: threat protection (compromised credentials, adaptive authentication) for accounts
      // that can email thousands of people and erase data. Costs per monthly active admin.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new cognito.UserPoolGroup(this, 'AdminGroup', {
      userPool: this.userPool,
      groupName: ADMIN_GROUP,
      description: 'May use the admin routes of the HTTP API',
    });
    const userPoolClient = this.userPool.addClient('AdminClient', {
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // An HTTP API JWT authorizer checks signature, issuer, audience and expiry only: it cannot require
    // membership of a Cognito group. The admin handler therefore checks that the `cognito:groups`
    // claim contains ADMIN_GROUP (infra/wiring.ts) and answers 403 otherwise.
    const adminAuthorizer = new HttpJwtAuthorizer('AdminJwtAuthorizer', this.userPool.userPoolProviderUrl, {
      jwtAudience: [userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    // ── HTTP API ──────────────────────────────────────────────────────────────────────────────────
    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Seminar events: public and admin routes (see GET /openapi.json)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    const publicBaseUrl = p.publicBaseUrl ?? this.api.apiEndpoint;

    // ── Functions from the wiring ─────────────────────────────────────────────────────────────────
    const environment: Record<string, string> = {
      [Env.tableName]: this.table.tableName,
      [Env.busName]: this.bus.eventBusName,
      [Env.busArn]: this.bus.eventBusArn,
      [Env.scheduleGroup]: scheduleGroup.scheduleGroupName,
      [Env.schedulerRoleArn]: schedulerRole.roleArn,
      [Env.schedulerDlqArn]: schedulerDlq.queue.queueArn,
      [Env.senderEmail]: p.senderEmail,
      [Env.senderName]: p.senderName,
      [Env.sesConfigurationSet]: configurationSet.configurationSetName,
      [Env.sesSendRate]: String(p.sesSendRatePerSecond),
      [Env.publicBaseUrl]: publicBaseUrl,
      [Env.tokenSecretParameter]: tokenSecret.secretArn,
      [Env.retentionDays]: String(p.retentionDays),
      [Env.logLevel]: 'INFO',
      // Per-IP and per-address counters of the public write routes (enforced in the function, in DynamoDB).
      ...rateLimitEnvironment(DEFAULT_RATE_LIMITS),
      // Source maps ship in every asset; Node reads them at start only with -c sourceMaps=true (debugging),
      // since parsing a bundle's map costs each cold start several milliseconds.
      ...(p.sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
    };
    const routes: apigwv2.HttpRoute[] = [];

    for (const spec of specs) {
      const id = pascal(spec.name);
      const logGroup = new logs.LogGroup(this, `${id}Logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Own role instead of AWSLambdaBasicExecutionRole: logs go to this function's log group only.
      const role = new iam.Role(this, `${id}Role`, {
        description: `Execution role of ${spec.name}`,
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      });
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      );

      const fn = new nodejs.NodejsFunction(this, id, {
        entry: path.join(REPO_ROOT, spec.entry),
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        description: spec.description.slice(0, 256),
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: spec.memoryMb ?? 256,
        timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
        role,
        logGroup,
        environment,
        bundling: {
          format: nodejs.OutputFormat.ESM,
          target: 'node22',
          platform: 'node',
          mainFields: ['module', 'main'],
          banner: ESM_REQUIRE_BANNER,
          minify: true,
          sourceMap: true,
          sourcesContent: false,
          charset: nodejs.Charset.UTF8,
          // The SDK is bundled, not taken from the runtime: the version is the one package-lock.json
          // pins and the tests ran against, and tree-shaken ESM loads less than the runtime's full SDK.
          bundleAwsSDK: true,
        },
      });
      this.functions[spec.name] = fn;
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is the runtime the architecture fixes (ARCHITECTURE.md); it is an LTS release supported by Lambda. Move all functions together when the project moves.',
      });

      // Least-privilege grants from `access`.
      const a = spec.access;
      if (a.table === 'read' || a.table === 'readwrite') {
        if (a.table === 'read') this.table.grantReadData(fn);
        else this.table.grantReadWriteData(fn);
        acknowledgeWildcardResource(
          role,
          `${this.table.tableArn}/index/*`,
          'Queries use the table’s own indexes (gsi1, gsi2); index/* is scoped to this table.',
        );
      }
      if (a.bus) this.bus.grantPutEventsTo(fn);
      if (a.scheduler) {
        const schedulesArn = this.formatArn({
          service: 'scheduler',
          resource: 'schedule',
          resourceName: `${scheduleGroup.scheduleGroupName}/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        });
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
            resources: [schedulesArn],
          }),
        );
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [schedulerRole.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          }),
        );
        acknowledgeWildcardResource(
          role,
          schedulesArn,
          'Schedule names are made at runtime (deterministic per seminar/deadline); access is limited to schedules in this stack’s schedule group.',
        );
      }
      if (a.ses) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['ses:SendEmail', 'ses:SendRawEmail'],
            resources: [sesIdentityArn(p.senderDomain), sesIdentityArn(p.senderEmail), sesConfigurationSetArn],
          }),
        );
        role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
        Validations.of(role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'ses:GetAccount (the account’s send quota and rate, to pace bulk sending) supports no resource-level permissions; it reads no data.',
        });
      }
      if (a.secret) {
        tokenSecret.grantRead(fn);
        // Also readable through Parameter Store's reference to the secret.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['ssm:GetParameter'],
            resources: [
              this.formatArn({
                service: 'ssm',
                resource: 'parameter',
                resourceName: `aws/reference/secretsmanager/${tokenSecretName}`,
                arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
              }),
            ],
          }),
        );
      }

      // Event rules: retry + DLQ on the EventBridge target (delivery), and an on-failure destination
      // on the function (errors after Lambda's async retries), into the same watched queue.
      if (spec.rules?.length) {
        const dlq = deadLetterQueue(`${id}Dlq`, `events for ${spec.name} that could not be delivered or kept failing`);
        fn.configureAsyncInvoke({
          retryAttempts: ASYNC_RETRY_ATTEMPTS,
          maxEventAge: ASYNC_MAX_EVENT_AGE,
          onFailure: new destinations.SqsDestination(dlq.queue),
        });
        for (const rule of spec.rules) {
          const r = new events.Rule(this, `${id}${pascal(rule.name)}Rule`, {
            eventBus: this.bus,
            description: `${rule.name} → ${spec.name}`,
            eventPattern: toEventPattern(ruleFor(rule)),
          });
          r.addTarget(
            new targets.LambdaFunction(fn, {
              deadLetterQueue: dlq.queue,
              retryAttempts: RULE_RETRY_ATTEMPTS,
              maxEventAge: RULE_MAX_EVENT_AGE,
            }),
          );
        }
      }

      // HTTP routes.
      if (spec.routes?.length) {
        const integration = new HttpLambdaIntegration(`${id}Integration`, fn);
        for (const route of spec.routes) {
          const added = this.api.addRoutes({
            path: route.path,
            methods: [apigwv2.HttpMethod[route.method]],
            integration,
            authorizer: route.auth === 'admin' ? adminAuthorizer : undefined,
          });
          for (const r of added) {
            routes.push(r);
            if (route.auth === 'public') {
              Validations.of(r).acknowledge({
                id: 'AwsSolutions-APIG4',
                reason: `${routeKey(route)} is public by contract (docs: API.md); state changes need a signed token or are rate-limited.`,
              });
            }
          }
        }
      }
    }

    // Per-route throttling for the public write routes that exist in the wiring (matched whatever the
    // path parameters are called). Route settings may only name existing routes, so the stage waits.
    const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const key of throttledRouteKeys(specs.flatMap((s) => (s.routes ?? []).map(routeKey)))) {
      routeSettings[key] = { ThrottlingRateLimit: WRITE_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: WRITE_ROUTE_THROTTLE.burstLimit };
    }
    if (Object.keys(routeSettings).length > 0) cfnStage.addPropertyOverride('RouteSettings', routeSettings);
    for (const r of routes) stage.node.addDependency(r);

    // ── Outputs ───────────────────────────────────────────────────────────────────────────────────
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Base of the links in emails' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ScheduleGroupName', { value: scheduleGroup.scheduleGroupName });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarmTopic.topicArn });
    new CfnOutput(this, 'SesConfigurationSetName', { value: configurationSet.configurationSetName });
  }
}
