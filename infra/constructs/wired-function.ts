/**
 * One function of the wiring (infra/wiring.ts), and everything its entry declares:
 *
 *   access  ─▶ IAM grants on its own role (each part of the stack grants what it owns), and its
 *              environment: only the variables it needs (`functionEnvironment`, shared/env-names.ts)
 *   rules   ─▶ event rules on the bus: retry + DLQ on the target, async on-failure DLQ on the function
 *   routes  ─▶ HTTP API routes; `admin` routes behind the JWT authorizer
 *
 * Node.js 22 on arm64, an ESM bundle built by local esbuild, its own log group and role. The function's
 * log group, role, DLQ and rules are created beside it in the stack, with the ids they have always had,
 * so that a deployed stack keeps its resources (logical ids come from construct paths).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { functionEnvironment, type EnvName } from '../../shared/env-names.js';
import { routeKey, type FunctionSpec, type QueueSpec, type RouteSpec } from '../../shared/spec.js';
import { ruleFor } from '../wiring.js';
import type { Alarms } from './alarms.js';
import type { Mail } from './mail.js';
import { acknowledgeWildcardResource } from './nag.js';
import type { Scheduling } from './scheduling.js';
import type { TokenSecret } from './token-secret.js';
import { toEventPattern } from './event-pattern.js';
import { workQueue, workQueueSource, type SendQueue } from './send-queue.js';
import { memoryOf, senderInstances } from '../../shared/email/rate.js';

function sendQueueOf(t: WiredFunctionTargets, name: string): SendQueue {
  if (!t.sendQueue) throw new Error(`${name} uses the send queue, but the wiring has no function that drains it`);
  return t.sendQueue;
}

/** Repository root: entries in the wiring are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

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

/** What `access.table: 'read'` grants: the reads the store makes (GetCommand, BatchGetCommand, QueryCommand). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
/**
 * What `access.table: 'readwrite'` grants: the reads, Put/Update/Delete/BatchWrite, and ConditionCheckItem for
 * the condition checks inside TransactWriteCommand (a transaction is authorized by its item actions).
 */
export const TABLE_READWRITE_ACTIONS = [
  ...TABLE_READ_ACTIONS,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** `on-seminar-scheduled` → `OnSeminarScheduled` (construct ids). */
export const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');

/** What the stack's other parts offer a function: what it may be granted, where its events and routes go. */
export interface WiredFunctionTargets {
  table: dynamodb.Table;
  bus: events.EventBus;
  scheduling: Scheduling;
  mail: Mail;
  tokenSecret: TokenSecret;
  alarms: Alarms;
  api: apigwv2.HttpApi;
  adminAuthorizer: HttpJwtAuthorizer;
  /** Where fan-outs put their notices (`access.notices`), drained by the function that `drains: 'notices'`. */
  sendQueue?: SendQueue;
  /** The account's SES send rate (context `sesSendRatePerSecond`): the sender's memory and concurrency follow from it. */
  sendRatePerSecond: number;
  /** Every variable's value in this deployment; each function gets those it needs. */
  environment: Partial<Record<EnvName, string>>;
  /** Variables every function gets besides (NODE_OPTIONS). */
  extraEnvironment: Record<string, string>;
}

export class WiredFunction extends nodejs.NodejsFunction {
  readonly spec: FunctionSpec;
  readonly executionRole: iam.Role;
  /** Each HTTP route of the wiring entry, with the API Gateway routes made for it. */
  readonly httpRoutes: Array<{ spec: RouteSpec; routes: apigwv2.HttpRoute[] }>;

  constructor(scope: Construct, spec: FunctionSpec, t: WiredFunctionTargets) {
    const id = pascal(spec.name);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role instead of AWSLambdaBasicExecutionRole: logs go to this function's log group only.
    const role = new iam.Role(scope, `${id}Role`, {
      description: `Execution role of ${spec.name}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );

    super(scope, id, {
      entry: path.join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: spec.description.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: memoryOf(spec, t.sendRatePerSecond),
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      role,
      logGroup,
      environment: functionEnvironment(spec, t.environment, t.extraEnvironment),
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
    this.spec = spec;
    this.executionRole = role;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the architecture fixes (ARCHITECTURE.md); it is an LTS release supported by Lambda. Move all functions together when the project moves.',
    });

    this.grantAccess(t);
    this.addRules(scope, id, t);
    if (spec.drains === 'notices') this.drainSendQueue(t);
    this.httpRoutes = this.addHttpRoutes(id, t);
  }

  /** Least-privilege grants from `access`: each part of the stack grants what it owns. */
  private grantAccess(t: WiredFunctionTargets): void {
    const a = this.spec.access;
    if (a.table) {
      // Exactly the item actions the store calls (shared/store/), on the table and its indexes: no Scan,
      // DescribeTable or stream reads (grantReadData/grantReadWriteData would add them).
      t.table.grant(this, ...(a.table === 'read' ? TABLE_READ_ACTIONS : TABLE_READWRITE_ACTIONS));
      acknowledgeWildcardResource(
        this.executionRole,
        `${t.table.tableArn}/index/*`,
        'Queries use the table’s own indexes (gsi1, gsi2); index/* is scoped to this table.',
      );
    }
    if (a.bus) t.bus.grantPutEventsTo(this);
    if (a.scheduler) t.scheduling.grantSchedulingTo(this.executionRole);
    if (a.ses) t.mail.grantSendTo(this.executionRole);
    if (a.secret) t.tokenSecret.grantReadTo(this.executionRole);
    if (a.notices) sendQueueOf(t, this.spec.name).queue.grantSendMessages(this);
  }

  /**
   * The sender: the send queue's event source, reporting the messages it did not finish, with as many
   * batches at once as the send rate needs (`senderInstances`); each message is at most about two seconds
   * of the rate, so an invocation stays far inside its timeout.
   */
  private drainSendQueue(t: WiredFunctionTargets): void {
    const q = this.spec.queue;
    if (!q) throw new Error(`${this.spec.name} drains the send queue: it needs a queue spec (batch size, receives)`);
    this.addEventSource(workQueueSource(sendQueueOf(t, this.spec.name).queue, q, senderInstances(t.sendRatePerSecond)));
  }

  /**
   * Event rules: retry + DLQ on the EventBridge target (delivery), and an on-failure destination on the
   * function (errors after Lambda's async retries), into the same watched queue.
   */
  private addRules(scope: Construct, id: string, t: WiredFunctionTargets): void {
    if (!this.spec.rules?.length) return;
    const dlq = t.alarms.deadLetterQueue(`${id}Dlq`, `events for ${this.spec.name} that could not be delivered or kept failing`);
    if (this.spec.queue) return this.addQueuedRules(scope, id, t, this.spec.queue, dlq.queue);
    this.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: ASYNC_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(dlq.queue),
    });
    for (const rule of this.spec.rules) {
      const r = new events.Rule(scope, `${id}${pascal(rule.name)}Rule`, {
        eventBus: t.bus,
        description: `${rule.name} → ${this.spec.name}`,
        eventPattern: toEventPattern(ruleFor(rule)),
      });
      r.addTarget(
        new targets.LambdaFunction(this, {
          deadLetterQueue: dlq.queue,
          retryAttempts: RULE_RETRY_ATTEMPTS,
          maxEventAge: RULE_MAX_EVENT_AGE,
        }),
      );
    }
  }

  /**
   * Queued rules (`queue` in the wiring): the rules target the function's queue (retry + DLQ on the
   * target), and an event source mapping invokes the function with batches, reporting the failed records,
   * which come back after the visibility timeout and go to the DLQ after `maxReceiveCount` receives.
   */
  private addQueuedRules(scope: Construct, id: string, t: WiredFunctionTargets, q: QueueSpec, dlq: sqs.Queue): void {
    const timeout = this.spec.timeoutSeconds ?? 10;
    const queue = workQueue(scope, `${id}Queue`, timeout, q, dlq);
    // The SqsQueue target adds the queue policy that lets EventBridge send, conditioned on each rule's ARN.
    for (const rule of this.spec.rules!) {
      const r = new events.Rule(scope, `${id}${pascal(rule.name)}Rule`, {
        eventBus: t.bus,
        description: `${rule.name} → ${this.spec.name} (queued)`,
        eventPattern: toEventPattern(ruleFor(rule)),
      });
      r.addTarget(new targets.SqsQueue(queue, { deadLetterQueue: dlq, retryAttempts: RULE_RETRY_ATTEMPTS, maxEventAge: RULE_MAX_EVENT_AGE }));
    }
    this.addEventSource(workQueueSource(queue, q, q.maxConcurrency));
  }

  /** HTTP routes; `admin` ones behind the JWT authorizer (the router checks the group). */
  private addHttpRoutes(id: string, t: WiredFunctionTargets): Array<{ spec: RouteSpec; routes: apigwv2.HttpRoute[] }> {
    if (!this.spec.routes?.length) return [];
    const integration = new HttpLambdaIntegration(`${id}Integration`, this);
    return this.spec.routes.map((route) => {
      const added = t.api.addRoutes({
        path: route.path,
        methods: [apigwv2.HttpMethod[route.method]],
        integration,
        authorizer: route.auth === 'admin' ? t.adminAuthorizer : undefined,
      });
      if (route.auth === 'public') {
        for (const r of added) {
          Validations.of(r).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${routeKey(route)} is public by contract (docs: API.md); state changes need a signed token or are rate-limited.`,
          });
        }
      }
      return { spec: route, routes: added };
    });
  }
}
