/**
 * The synthesized template proves the architecture's promises: Node.js 22 on arm64 as ESM bundles,
 * every async edge with a retry policy and a dead-letter queue, every DLQ watched by an alarm, the
 * table safe to keep, admin routes behind the JWT authorizer, least privilege, routes equal to the
 * wiring, and no unacknowledged cdk-nag (AwsSolutions) finding.
 *
 * The stack is synthesized once, with real esbuild bundling (set INFRA_TEST_SKIP_BUNDLING=1 to skip
 * bundling while handlers are being written).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { authDomainPrefix } from '../../infra/constructs/admin-identity.js';
import { ContextError, readDeployParameters } from '../../infra/constructs/context.js';
import { consoleContentSecurityPolicy } from '../../infra/console-headers.js';
import { DEFAULT_THROTTLE, REPO_ROOT, SeminarEventsStack, WRITE_ROUTE_THROTTLE } from '../../infra/stack.js';
import { ADMIN_GROUP, allRoutes, functions, routeKey, ruleFor, type FunctionSpec } from '../../infra/wiring.js';
import { Env, environmentNames } from '../../shared/env-names.js';
import { DEFAULT_RATE_LIMITS, rateLimitEnvironment } from '../../shared/rate-limits.js';
import { senderInstances, senderMemoryMb } from '../../shared/email/rate.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Resources = Record<string, Json>;

const SKIP_BUNDLING = process.env.INFRA_TEST_SKIP_BUNDLING === '1';
const ENV = { account: '123456789012', region: 'eu-north-1' };
const cdkJsonContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
/** The account's send rate the stack is synthesized with (cdk.json): the sender's memory and concurrency follow from it. */
const SEND_RATE = Number(cdkJsonContext().sesSendRatePerSecond);

function newApp(extra: Record<string, unknown> = {}, bundle = !SKIP_BUNDLING): App {
  return new App({
    context: {
      ...cdkJsonContext(),
      // As the CLI does: lets the test find each function's bundle in the assembly.
      'aws:cdk:enable-asset-metadata': true,
      ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...extra,
    },
  });
}

let app: App;
let stack: SeminarEventsStack;
let template: Template;
let resources: Resources;
let assemblyDir: string;

const ofType = (type: string): Array<[string, Json]> => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalId = (s: Stack, c: { node: { defaultChild?: unknown } }): string =>
  s.getLogicalId(c.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** The console's upload handler (CDK's BucketDeployment function, run at deploy time only) is no wiring function. */
const isConsoleUploadHandler = (id: string) => id.startsWith('CustomCDKBucketDeployment');
const wiredFunctionsIn = (res: Resources): Array<[string, Json]> =>
  Object.entries(res).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !isConsoleUploadHandler(id));
/** `{ "Fn::GetAtt": [id, attr] }` → id; `{ Ref: id }` → id. */
const refId = (v: Json): string | undefined => v?.['Fn::GetAtt']?.[0] ?? v?.Ref;

beforeAll(() => {
  app = newApp();
  stack = new SeminarEventsStack(app, 'SeminarEventsStack', { env: ENV });
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  resources = template.toJSON().Resources as Resources;
}, 300_000);

describe('Lambda functions', () => {
  it('one function per wiring entry, every one Node.js 22 on arm64', () => {
    const fns = wiredFunctionsIn(resources);
    expect(fns).toHaveLength(functions.length);
    expect(ofType('AWS::Lambda::Function').filter(([id]) => isConsoleUploadHandler(id))).toHaveLength(1);
    for (const [id, fn] of fns) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
  });

  it('memory, timeout and environment come from the wiring: each function gets only the variables its access needs', () => {
    const variablesOf = (name: string) => resources[logicalId(stack, stack.functions[name])].Properties.Environment.Variables as Record<string, unknown>;
    for (const spec of functions) {
      const fn = resources[logicalId(stack, stack.functions[spec.name])];
      expect(fn, spec.name).toBeDefined();
      expect(fn.Properties.MemorySize, spec.name).toBe(spec.drains === 'notices' ? senderMemoryMb(SEND_RATE) : (spec.memoryMb ?? 256));
      expect(fn.Properties.Timeout, spec.name).toBe(spec.timeoutSeconds ?? 10);
      expect(fn.Properties.Handler, spec.name).toBe('index.handler');
      const vars = variablesOf(spec.name);
      // On AWS the secret is named by its ARN (TOKEN_SECRET_PARAMETER); the key itself is never in the environment.
      expect(Object.keys(vars).sort(), spec.name).toEqual(environmentNames(spec).filter((n) => n !== Env.tokenSecret).sort());
      if (spec.access.table === 'readwrite') expect(vars[Env.retentionDays], spec.name).toBe('365');
      if (spec.access.ses) expect(vars[Env.senderEmail], spec.name).toBe(cdkJsonContext().senderEmail);
      // The per-IP and per-address counters of the public write routes: the numbers of shared/rate-limits.ts.
      if (spec.routes?.some((r) => r.throttle === 'write')) {
        for (const [name, value] of Object.entries(rateLimitEnvironment(DEFAULT_RATE_LIMITS))) expect(vars[name], `${spec.name} ${name}`).toBe(value);
      }
      // Source maps are not parsed at start by default (cold start); -c sourceMaps=true turns that on.
      expect(vars.NODE_OPTIONS, spec.name).toBeUndefined();
    }
    // What the narrowing means for two of them.
    expect(Object.keys(variablesOf('on-email-feedback')).sort()).toEqual([Env.logLevel, Env.retentionDays, Env.tableName].sort());
    const publicApi = variablesOf('public-api');
    expect(publicApi[Env.publicBaseUrl]).toBeDefined();
    expect(publicApi[Env.rateLimitPerAddress]).toBe(String(DEFAULT_RATE_LIMITS.perAddress.max));
    for (const name of [Env.senderEmail, Env.sesConfigurationSet, Env.scheduleGroup, Env.schedulerRoleArn]) expect(publicApi[name], name).toBeUndefined();
  });

  it.skipIf(SKIP_BUNDLING)('bundles are ESM (.mjs) with the createRequire banner, built locally by esbuild', () => {
    for (const spec of functions) {
      const fn = resources[logicalId(stack, stack.functions[spec.name])];
      const assetPath = fn.Metadata?.['aws:asset:path'] as string | undefined;
      expect(assetPath, spec.name).toBeTruthy();
      const bundle = path.join(assemblyDir, assetPath!, 'index.mjs');
      expect(existsSync(bundle), `${spec.name}: ${bundle}`).toBe(true);
      const head = readFileSync(bundle, 'utf8').slice(0, 300);
      expect(head).toContain('createRequire');
      expect(head).toContain('import.meta.url');
      // The source map ships in the asset whether or not the runtime reads it (sourceMaps context).
      expect(existsSync(`${bundle}.map`), `${spec.name}: ${bundle}.map`).toBe(true);
    }
  });

  it('each function has its own log group with a retention, and no managed policy', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const lg = resources[refId(fn.Properties.LoggingConfig?.LogGroup)!];
      expect(lg?.Type, id).toBe('AWS::Logs::LogGroup');
      expect(lg.Properties.RetentionInDays, id).toBeGreaterThan(0);
      const role = resources[refId(fn.Properties.Role)!];
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });
});

describe('async edges: retry policy and dead-letter queue everywhere', () => {
  const queueIds = () => new Set(ofType('AWS::SQS::Queue').map(([id]) => id));
  /** Dead-letter queues: the queues without a redrive policy of their own (the others are functions' work queues). */
  const deadLetterQueueIds = () => new Set(ofType('AWS::SQS::Queue').filter(([, q]) => !q.Properties.RedrivePolicy).map(([id]) => id));
  /** The work queue a queued function drains (its event source mapping). */
  const workQueueOf = (fnId: string) =>
    refId(ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => refId(m.Properties.FunctionName) === fnId)?.[1].Properties.EventSourceArn);

  it('every event rule target has a dead-letter queue; every Lambda target a retry policy', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules.length).toBeGreaterThan(0);
    for (const [id, rule] of rules) {
      for (const target of rule.Properties.Targets as Json[]) {
        expect(deadLetterQueueIds().has(refId(target.DeadLetterConfig?.Arn)!), `${id} DLQ`).toBe(true);
        const targetType = resources[refId(target.Arn)!]?.Type;
        if (targetType === 'AWS::Lambda::Function' || targetType === 'AWS::SQS::Queue') {
          expect(target.RetryPolicy?.MaximumRetryAttempts, id).toBeGreaterThan(0);
          expect(target.RetryPolicy?.MaximumEventAgeInSeconds, id).toBeGreaterThan(0);
        } else {
          // Event-bus targets take no RetryPolicy: EventBridge applies its default (24 h, 185 attempts).
          expect(targetType, id).toBe('AWS::Events::EventBus');
        }
      }
    }
  });

  it('every wiring rule exists on the custom bus with the catalog pattern and targets its function', () => {
    const busId = logicalId(stack, stack.bus);
    for (const spec of functions) {
      const fnId = logicalId(stack, stack.functions[spec.name]);
      for (const rule of spec.rules ?? []) {
        const match = ofType('AWS::Events::Rule').filter(
          ([, r]) =>
            refId(r.Properties.EventBusName) === busId &&
            JSON.stringify(r.Properties.EventPattern) === JSON.stringify(ruleFor(rule)) &&
            (r.Properties.Targets as Json[]).some((t) => refId(t.Arn) === (spec.queue ? workQueueOf(fnId) : fnId)),
        );
        expect(match, `${spec.name}/${rule.name}`).toHaveLength(1);
      }
    }
  });

  it('functions triggered by events send failed async invocations to a dead-letter queue', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    for (const spec of functions.filter((f) => f.rules?.length && !f.queue)) {
      const fnId = logicalId(stack, stack.functions[spec.name]);
      const cfg = configs.find(([, c]) => refId(c.Properties.FunctionName) === fnId)?.[1];
      expect(cfg, spec.name).toBeDefined();
      expect(cfg.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(queueIds().has(refId(cfg.Properties.DestinationConfig?.OnFailure?.Destination)!), spec.name).toBe(true);
    }
  });

  it('the Scheduler path: role assumable by Scheduler, may put on the bus and send to its DLQ; functions that schedule get both ARNs', () => {
    const busId = logicalId(stack, stack.bus);
    const roles = ofType('AWS::IAM::Role').filter(([, r]) =>
      (r.Properties.AssumeRolePolicyDocument.Statement as Json[]).some((s) => s.Principal?.Service === 'scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0];
    const trust = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Condition?.StringEquals?.['aws:SourceAccount']).toBeDefined();
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => refId(r) === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
    const put = statements.find((s) => asArray(s.Action).includes('events:PutEvents'));
    expect(refId(put?.Resource)).toBe(busId);
    const send = statements.find((s) => asArray(s.Action).includes('sqs:SendMessage'));
    const schedulerDlqId = refId(send?.Resource)!;
    expect(queueIds().has(schedulerDlqId)).toBe(true);

    for (const spec of functions.filter((f) => f.access.scheduler)) {
      const vars = resources[logicalId(stack, stack.functions[spec.name])].Properties.Environment.Variables;
      expect(refId(vars[Env.schedulerRoleArn]), spec.name).toBe(roleId);
      expect(refId(vars[Env.schedulerDlqArn]), spec.name).toBe(schedulerDlqId);
    }
  });

  it('a queued function drains its queue in batches as the wiring says, reporting failed records; its queue hands them to a dead-letter queue', () => {
    const queued = functions.filter((f) => f.queue);
    expect(queued.map((f) => f.name)).toEqual(expect.arrayContaining(['on-email-feedback', 'send-notices']));
    for (const spec of queued) {
      const fnId = logicalId(stack, stack.functions[spec.name]);
      const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => refId(m.Properties.FunctionName) === fnId)?.[1];
      expect(mapping, spec.name).toBeDefined();
      expect(mapping.Properties).toMatchObject({
        BatchSize: spec.queue!.batchSize,
        MaximumBatchingWindowInSeconds: spec.queue!.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // The sender's concurrency follows from the account's send rate; the others' from the wiring.
        ScalingConfig: { MaximumConcurrency: spec.drains === 'notices' ? senderInstances(SEND_RATE) : spec.queue!.maxConcurrency },
      });
      const queue = resources[workQueueOf(fnId)!];
      expect(queue.Properties.RedrivePolicy.maxReceiveCount, spec.name).toBe(spec.queue!.maxReceiveCount);
      expect(deadLetterQueueIds().has(refId(queue.Properties.RedrivePolicy.deadLetterTargetArn)!), spec.name).toBe(true);
      // At least six times the function's timeout (AWS's advice for an event source), so a batch in work is not taken twice.
      expect(queue.Properties.VisibilityTimeout, spec.name).toBeGreaterThanOrEqual(6 * (spec.timeoutSeconds ?? 10));
    }
  });

  it('the send queue: every fan-out may send to it (and nothing else does), its sender drains it; the fan-outs get its URL', () => {
    const senders = functions.filter((f) => f.drains === 'notices');
    expect(senders.map((f) => f.name)).toEqual(['send-notices']);
    const sendQueueId = workQueueOf(logicalId(stack, stack.functions['send-notices']))!;
    expect(resources[sendQueueId].Type).toBe('AWS::SQS::Queue');
    const fanOuts = functions.filter((f) => f.access.notices);
    expect(fanOuts.length).toBeGreaterThanOrEqual(11);
    for (const spec of functions) {
      const fn = resources[logicalId(stack, stack.functions[spec.name])];
      const roleId = refId(fn.Properties.Role)!;
      const sends = ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => refId(r) === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
        .filter((st) => asArray<string>(st.Action).includes('sqs:SendMessage'))
        .flatMap((st) => asArray<Json>(st.Resource).map(refId));
      expect(sends.includes(sendQueueId), spec.name).toBe(Boolean(spec.access.notices));
      expect(refId(fn.Properties.Environment.Variables[Env.sendQueueUrl]), spec.name).toBe(spec.access.notices ? sendQueueId : undefined);
      // A fan-out only enqueues: it may not send email itself.
      if (spec.access.notices) expect(spec.access.ses, spec.name).toBeFalsy();
    }
  });

  it('every dead-letter queue is encrypted, TLS-only, and has an alarm on the first message that notifies the topic', () => {
    const topics = new Set(ofType('AWS::SNS::Topic').map(([id]) => id));
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const queuePolicies = ofType('AWS::SQS::QueuePolicy');
    for (const id of queueIds()) {
      // Work queues too are encrypted and TLS-only; the alarm is on the dead-letter queues.
      expect(resources[id].Properties.SqsManagedSseEnabled ?? resources[id].Properties.KmsMasterKeyId, id).toBeTruthy();
      const tlsOnly = queuePolicies.some(
        ([, p]) =>
          (p.Properties.Queues as Json[]).some((q) => refId(q) === id) &&
          (p.Properties.PolicyDocument.Statement as Json[]).some(
            (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
          ),
      );
      expect(tlsOnly, `${id} enforceSSL`).toBe(true);
      if (!deadLetterQueueIds().has(id)) continue;
      const alarm = alarms.find(([, a]) =>
        (a.Properties.Dimensions as Json[] | undefined)?.some((d) => d.Name === 'QueueName' && refId(d.Value) === id),
      )?.[1];
      expect(alarm, `${id} alarm`).toBeDefined();
      expect(alarm.Properties.MetricName).toBe('ApproximateNumberOfMessagesVisible');
      expect(alarm.Properties.Threshold).toBe(1);
      expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect((alarm.Properties.AlarmActions as Json[]).some((a) => topics.has(refId(a)!))).toBe(true);
    }
  });
});

describe('DynamoDB table', () => {
  it('has PITR, deletion protection, Retain, TTL expiresAt, pk/sk and the two GSIs', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [, t] = tables[0];
    expect(t.DeletionPolicy).toBe('Retain');
    expect(t.UpdateReplacePolicy).toBe('Retain');
    expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    expect(t.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(t.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const gsis = Object.fromEntries((t.Properties.GlobalSecondaryIndexes as Json[]).map((g) => [g.IndexName, g]));
    for (const n of [1, 2]) {
      expect(gsis[`gsi${n}`].KeySchema).toEqual([
        { AttributeName: `gsi${n}pk`, KeyType: 'HASH' },
        { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' },
      ]);
      expect(gsis[`gsi${n}`].Projection).toEqual({ ProjectionType: 'ALL' });
    }
  });
});

describe('HTTP API', () => {
  const routes = () => ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);

  it('routes equal the wiring, each integrated with the function that declares it', () => {
    const keys = routes().map((r) => r.RouteKey as string);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(allRoutes().map(routeKey).sort());
    for (const r of allRoutes()) {
      const route = routes().find((x) => x.RouteKey === routeKey(r));
      const integrationId = (route.Target['Fn::Join'][1] as Json[]).map(refId).find(Boolean)!;
      const uri = resources[integrationId].Properties.IntegrationUri;
      expect(refId(uri), routeKey(r)).toBe(logicalId(stack, stack.functions[r.functionName]));
    }
  });

  it('admin routes need the JWT authorizer (Cognito issuer and client audience); public routes need nothing', () => {
    const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0];
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    const poolId = logicalId(stack, stack.userPool);
    expect(authorizer.Properties.JwtConfiguration.Issuer).toEqual({ 'Fn::GetAtt': [poolId, 'ProviderURL'] });
    expect(resources[refId(authorizer.Properties.JwtConfiguration.Audience[0])!].Type).toBe('AWS::Cognito::UserPoolClient');
    for (const r of allRoutes()) {
      const route = routes().find((x) => x.RouteKey === routeKey(r));
      if (r.auth === 'admin') {
        expect(route.AuthorizationType, routeKey(r)).toBe('JWT');
        expect(refId(route.AuthorizerId), routeKey(r)).toBe(authorizerId);
      } else {
        expect(route.AuthorizationType ?? 'NONE', routeKey(r)).toBe('NONE');
        expect(route.AuthorizerId, routeKey(r)).toBeUndefined();
      }
    }
  });

  it('the default stage throttles, tighter on public write routes, and writes access logs', () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const s = stages[0][1].Properties;
    expect(s.StageName).toBe('$default');
    expect(s.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: DEFAULT_THROTTLE.rateLimit,
      ThrottlingBurstLimit: DEFAULT_THROTTLE.burstLimit,
    });
    expect(resources[refId(s.AccessLogSettings.DestinationArn)!].Type).toBe('AWS::Logs::LogGroup');
    expect(s.AccessLogSettings.Format).toContain('$context.requestId');
    const throttled = allRoutes()
      .filter((r) => r.throttle === 'write')
      .map(routeKey);
    expect(throttled).toEqual(expect.arrayContaining(['POST /seminars/{seminarId}/registrations', 'POST /series/{seriesId}/subscriptions']));
    expect(Object.keys(s.RouteSettings ?? {}).sort()).toEqual([...throttled].sort());
    for (const key of throttled) {
      expect(s.RouteSettings?.[key]).toEqual({
        ThrottlingRateLimit: WRITE_ROUTE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: WRITE_ROUTE_THROTTLE.burstLimit,
      });
    }
  });

  it('the write-route throttle and its counters follow the route declarations of the wiring', () => {
    const spec: FunctionSpec = {
      name: 'forms',
      entry: 'functions/http/public-api.ts',
      description: 'A test function',
      access: { table: 'readwrite' },
      routes: [
        { method: 'POST', path: '/forms/{formId}/answers', auth: 'public', throttle: 'write', summary: 'Answer a form' },
        { method: 'GET', path: '/forms/{formId}', auth: 'public', summary: 'A form' },
      ],
    };
    const t = Template.fromStack(new SeminarEventsStack(newApp({}, false), 'SeminarEventsStack', { env: ENV, functions: [spec] })).toJSON();
    const [stage] = Object.values(t.Resources as Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(Object.keys(stage.Properties.RouteSettings)).toEqual(['POST /forms/{formId}/answers']);
    const [[, fn]] = wiredFunctionsIn(t.Resources as Resources);
    expect(fn.Properties.Environment.Variables[Env.rateLimitPerIp]).toBe(String(DEFAULT_RATE_LIMITS.perIp.max));
  });

  it('the user pool: admins only (no self sign-up), MFA required, strong passwords, the admins group', () => {
    const [, pool] = ofType('AWS::Cognito::UserPool')[0];
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    expect(pool.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);
    expect(groups).toContain(ADMIN_GROUP);
  });
});

describe('mail', () => {
  it('SES publishes bounces and complaints to the default bus, and a rule there forwards them to ours', () => {
    const [, dest] = ofType('AWS::SES::ConfigurationSetEventDestination')[0];
    const d = dest.Properties.EventDestination;
    expect(d.Enabled).toBe(true);
    expect(d.MatchingEventTypes).toEqual(expect.arrayContaining(['bounce', 'complaint']));
    expect(JSON.stringify(d.EventBridgeDestination.EventBusArn)).toContain('event-bus/default');
    const [, set] = ofType('AWS::SES::ConfigurationSet')[0];
    expect(set.Properties.ReputationOptions).toEqual({ ReputationMetricsEnabled: true });

    const forward = ofType('AWS::Events::Rule').find(([, r]) => r.Properties.EventBusName === 'default')?.[1];
    expect(forward.Properties.EventPattern.source).toEqual(['aws.ses']);
    expect(forward.Properties.EventPattern['detail-type']).toEqual(
      expect.arrayContaining(['Email Bounced', 'Email Complaint Received']),
    );
    expect(refId(forward.Properties.Targets[0].Arn)).toBe(logicalId(stack, stack.bus));
  });
});

describe('least privilege', () => {
  /** Every Allow statement of every identity and resource policy in the template. */
  function allowStatements(): Array<{ where: string; statement: Json }> {
    const out: Array<{ where: string; statement: Json }> = [];
    const add = (where: string, doc: Json) => {
      for (const statement of asArray(doc?.Statement)) if (statement.Effect === 'Allow') out.push({ where, statement });
    };
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') add(id, r.Properties.PolicyDocument);
      if (r.Type === 'AWS::IAM::Role') for (const p of asArray<Json>(r.Properties.Policies)) add(id, p.PolicyDocument);
      if (r.Type === 'AWS::SQS::QueuePolicy' || r.Type === 'AWS::SNS::TopicPolicy') add(id, r.Properties.PolicyDocument);
    }
    return out;
  }

  it('no statement allows a wildcard action (`*`, `service:*` or any `*` in an action)', () => {
    const statements = allowStatements();
    expect(statements.length).toBeGreaterThan(0);
    for (const { where, statement } of statements) {
      for (const action of asArray<string>(statement.Action)) expect(action, where).not.toContain('*');
      expect(statement.NotAction, where).toBeUndefined();
    }
  });

  it('only actions without resource-level permissions get Resource "*"', () => {
    for (const { where, statement } of allowStatements()) {
      if (asArray(statement.Resource).includes('*')) expect(asArray(statement.Action), where).toEqual(['ses:GetAccount']);
    }
  });

  it('each function gets exactly the data access its wiring entry declares', () => {
    for (const spec of functions) {
      const roleId = refId(resources[logicalId(stack, stack.functions[spec.name])].Properties.Role)!;
      const actions = new Set(
        ofType('AWS::IAM::Policy')
          .filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => refId(r) === roleId))
          .flatMap(([, p]) => (p.Properties.PolicyDocument.Statement as Json[]).flatMap((s) => asArray<string>(s.Action))),
      );
      const a = spec.access;
      expect(actions.has('dynamodb:GetItem'), spec.name).toBe(Boolean(a.table));
      expect(actions.has('dynamodb:PutItem'), spec.name).toBe(a.table === 'readwrite');
      expect(actions.has('events:PutEvents'), spec.name).toBe(Boolean(a.bus));
      expect(actions.has('scheduler:CreateSchedule'), spec.name).toBe(Boolean(a.scheduler));
      expect(actions.has('iam:PassRole'), spec.name).toBe(Boolean(a.scheduler));
      expect(actions.has('ses:SendEmail'), spec.name).toBe(Boolean(a.ses));
      expect(actions.has('secretsmanager:GetSecretValue'), spec.name).toBe(Boolean(a.secret));
    }
  });
});

describe('grants: each role has exactly the actions its code calls', () => {
  // Written out here, not taken from infra/: the SDK calls in shared/ and functions/ (Get, BatchGet, Query,
  // Put, Update, Delete, BatchWrite, TransactWrite with condition checks; PutEvents; Create/Update/
  // DeleteSchedule; SES v2 SendEmail and GetAccount; GetSecretValue).
  const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
  const TABLE_WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  const expected = (spec: FunctionSpec): string[] => {
    const a = spec.access;
    return [
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      ...(a.table ? TABLE_READ : []),
      ...(a.table === 'readwrite' ? TABLE_WRITE : []),
      ...(a.bus ? ['events:PutEvents'] : []),
      ...(a.scheduler ? ['iam:PassRole', 'scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'] : []),
      ...(a.ses ? ['ses:GetAccount', 'ses:SendEmail'] : []),
      ...(a.secret ? ['secretsmanager:GetSecretValue'] : []),
      // The async on-failure destination (its DLQ), which Lambda sends to with the function's role (CDK's grant).
      ...(spec.rules?.length && !spec.queue ? ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] : []),
      // A queued function's event source mapping reads its queue with the function's role.
      ...(spec.queue ? ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'] : []),
      // A fan-out puts its notices on the send queue (SendMessageBatch is authorized as SendMessage).
      ...(a.notices ? ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] : []),
    ].filter((x, i, all) => all.indexOf(x) === i).sort();
  };
  const actionsOf = (spec: FunctionSpec): string[] => {
    const roleId = refId(resources[logicalId(stack, stack.functions[spec.name])].Properties.Role)!;
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) => (p.Properties.Roles as Json[]).some((r) => refId(r) === roleId));
    const inline = asArray<Json>(resources[roleId].Properties.Policies);
    const managed = asArray<Json>(resources[roleId].Properties.ManagedPolicyArns);
    expect(inline.length + managed.length, spec.name).toBe(0);
    const actions = policies.flatMap(([, p]) => (p.Properties.PolicyDocument.Statement as Json[]).flatMap((s) => asArray<string>(s.Action)));
    return [...new Set(actions)].sort();
  };

  it('each function role holds exactly the actions its wiring entry declares', () => {
    for (const spec of functions) expect(actionsOf(spec), spec.name).toEqual(expected(spec));
  });

  it("the table's actions reach the table and its indexes (gsi1, gsi2), nothing else", () => {
    const tableStatements = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => asArray<string>(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(tableStatements.length).toBeGreaterThan(0);
    for (const s of tableStatements) {
      const resources = asArray<Json>(s.Resource).map((r) => JSON.stringify(r));
      expect(resources).toHaveLength(2);
      expect(resources.filter((r) => r.includes('/index/*'))).toHaveLength(1);
      expect(resources.every((r) => r.includes('"Table'))).toBe(true);
    }
  });

  it('no function role may Scan, DescribeTable, read the stream, SendRawEmail, GetSchedule, DescribeSecret or GetParameter', () => {
    const unused = /^(dynamodb:(Scan|DescribeTable|GetRecords|GetShardIterator|DescribeStream|ListStreams)|ses:SendRawEmail|scheduler:GetSchedule|secretsmanager:DescribeSecret|ssm:GetParameter)$/;
    for (const spec of functions) {
      const actions = actionsOf(spec);
      expect(actions.length, spec.name).toBeGreaterThan(2);
      expect(actions.filter((x) => unused.test(x)), spec.name).toEqual([]);
    }
  });
});

describe('outputs', () => {
  it('names what DevOps need after deploy', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    for (const name of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'EventBusName', 'TableName', 'ScheduleGroupName', 'AlarmTopicArn']) {
      expect(outputs, name).toContain(name);
    }
  });
});

describe('the console: CloudFront, S3 and the sign-in client', () => {
  const one = (type: string): [string, Json] => {
    const found = ofType(type);
    expect(found, type).toHaveLength(1);
    return found[0];
  };
  const distributionId = () => logicalId(stack, stack.console.distribution);
  const consoleUrl = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/']] });

  it('the admin app client: authorization code only, a public client (no secret) for PKCE, openid/email/profile, the console as callback and logout URL', () => {
    const [clientId, { Properties: c }] = one('AWS::Cognito::UserPoolClient');
    expect(c.AllowedOAuthFlows).toEqual(['code']);
    expect(c.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect([...c.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(c.GenerateSecret ?? false).toBe(false);
    expect(c.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(c.CallbackURLs).toEqual([consoleUrl()]);
    expect(c.LogoutURLs).toEqual([consoleUrl()]);
    const [, authorizer] = one('AWS::ApiGatewayV2::Authorizer');
    expect(refId(authorizer.Properties.JwtConfiguration.Audience[0])).toBe(clientId);
  });

  it('a managed-login domain (version 2) with Cognito’s own style for the client', () => {
    const [domainId, { Properties: d }] = one('AWS::Cognito::UserPoolDomain');
    expect(d.ManagedLoginVersion).toBe(2);
    expect(d.Domain).toBe(authDomainPrefix(stack));
    expect(refId(d.UserPoolId)).toBe(logicalId(stack, stack.userPool));
    const [, branding] = one('AWS::Cognito::ManagedLoginBranding');
    expect(branding.Properties.UseCognitoProvidedValues).toBe(true);
    expect(resources[refId(branding.Properties.ClientId)!].Type).toBe('AWS::Cognito::UserPoolClient');
    expect(domainId).toBeTruthy();
  });

  it('the bucket blocks public access, enforces TLS and is readable by this distribution only (origin access control)', () => {
    const bucketId = logicalId(stack, stack.console.bucket);
    const bucket = resources[bucketId].Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => refId(p.Properties.Bucket) === bucketId)!;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements.some((st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    const read = statements.find((st) => st.Effect === 'Allow' && st.Principal?.Service === 'cloudfront.amazonaws.com');
    expect(asArray(read.Action)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(read.Condition.StringEquals['AWS:SourceArn'])).toContain(distributionId());
    const [oacId, oac] = one('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const dist = resources[distributionId()].Properties.DistributionConfig;
    const s3Origin = (dist.Origins as Json[]).find((o) => o.S3OriginConfig);
    expect(refId(s3Origin.OriginAccessControlId)).toBe(oacId);
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('CloudFront: index.html at the root, /admin/* and /openapi.json to the HTTP API uncached with every header but Host', () => {
    const dist = resources[distributionId()].Properties.DistributionConfig;
    expect(dist.DefaultRootObject).toBe('index.html');
    expect(dist.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const apiOrigin = (dist.Origins as Json[]).find((o) => o.CustomOriginConfig);
    expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(logicalId(stack, stack.api));
    const behaviors = dist.CacheBehaviors as Json[];
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(['/admin/*', '/openapi.json']);
    for (const b of behaviors) {
      expect(b.TargetOriginId, b.PathPattern).toBe(apiOrigin.Id);
      expect(b.CachePolicyId, b.PathPattern).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
      expect(b.OriginRequestPolicyId, b.PathPattern).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // AllViewerExceptHostHeader
      expect(b.AllowedMethods, b.PathPattern).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    }
  });

  it('the response headers policy sends the CSP of the contract (sign-in origin = the Cognito domain) and the security headers', () => {
    const [policyId, policy] = one('AWS::CloudFront::ResponseHeadersPolicy');
    const h = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = h.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp).toBe(consoleContentSecurityPolicy(`https://${authDomainPrefix(stack)}.auth.eu-north-1.amazoncognito.com`));
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe');
    expect(h.ContentSecurityPolicy.Override).toBe(true);
    expect(h.FrameOptions.FrameOption).toBe('DENY');
    expect(h.ContentTypeOptions.Override).toBe(true);
    expect(h.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31536000);
    expect(refId(resources[distributionId()].Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId)).toBe(policyId);
  });

  it('the deployment uploads the console and a config.json with the real client id and sign-in domain, then invalidates', () => {
    const [, deployment] = one('Custom::CDKBucketDeployment');
    const p = deployment.Properties;
    expect(refId(p.DestinationBucketName)).toBe(logicalId(stack, stack.console.bucket));
    expect(refId(p.DistributionId)).toBe(distributionId());
    expect(p.DistributionPaths).toEqual(['/*']);
    expect(p.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(p.SourceMarkers);
    const [clientId] = one('AWS::Cognito::UserPoolClient');
    const [domainId] = one('AWS::Cognito::UserPoolDomain');
    expect(markers).toContain(clientId);
    expect(markers).toContain(domainId);
    expect(markers).toContain(distributionId());
  });

  it('without a built console the stack still synthesizes, uploading the placeholder page with a warning', () => {
    const s = new SeminarEventsStack(newApp({}, false), 'SeminarEventsStack', { env: ENV, consoleAssets: path.join(REPO_ROOT, 'no-such-console-dist') });
    const t = Template.fromStack(s);
    t.resourceCountIs('Custom::CDKBucketDeployment', 1);
    const warnings = s.console.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings.some((w) => w.includes('npm run console:build'))).toBe(true);
  });

  it('prints ConsoleUrl', () => {
    expect(template.findOutputs('ConsoleUrl').ConsoleUrl.Value).toEqual(consoleUrl());
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds no unacknowledged error or warning', () => {
    const nagApp = newApp({}, false);
    new SeminarEventsStack(nagApp, 'SeminarEventsStack', { env: ENV });
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(nagApp);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('runs as a validation plugin during synth, as infra/app.ts registers it, without failing', () => {
    const nagApp = newApp({}, false);
    new SeminarEventsStack(nagApp, 'SeminarEventsStack', { env: ENV });
    Validations.of(nagApp).addPlugins(new AwsSolutionsChecks(nagApp));
    expect(() => nagApp.synth()).not.toThrow();

    // Control: the same registration does fail a synth that has an unacknowledged finding.
    const control = new App();
    new sqs.Queue(new Stack(control, 'Control'), 'PlainQueue');
    Validations.of(control).addPlugins(new AwsSolutionsChecks(control));
    expect(() => control.synth()).toThrow(/AwsSolutions-SQS[34]/);
  });

  it('every acknowledgement names one rule and gives a reason', () => {
    const acks: Array<[string, string]> = [];
    const visit = (c: App | Json) => {
      for (const m of c.node.metadata) {
        if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) acks.push(...(Object.entries(m.data) as Array<[string, string]>));
      }
      for (const child of c.node.children) visit(child);
    };
    visit(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const [id, reason] of acks) {
      expect(id).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, id).toBeGreaterThan(30);
    }
  });
});

describe('context parameters', () => {
  const params = (context: Record<string, unknown>) => readDeployParameters(new App({ context }).node);

  it('defaults', () => {
    const p = params({ senderEmail: 'seminarer@example.no' });
    expect(p).toMatchObject({
      senderDomain: 'example.no',
      senderName: 'Seminarer',
      retentionMonths: 12,
      retentionDays: 365,
      sesSendRatePerSecond: 14,
      createIdentity: true,
      sourceMaps: false,
    });
    expect(p.publicBaseUrl).toBeUndefined();
    expect(p.alarmEmail).toBeUndefined();
  });

  it('says clearly when senderEmail is missing or invalid', () => {
    expect(() => params({})).toThrow(ContextError);
    expect(() => params({ senderEmail: '' })).toThrow(/senderEmail.*missing/);
    expect(() => params({ senderEmail: 'not-an-address' })).toThrow(/senderEmail.*email address/);
    expect(() => params({ senderEmail: 'a@other.no', senderDomain: 'example.no' })).toThrow(/not in "senderDomain"/);
  });

  it('rejects other bad values', () => {
    const ok = { senderEmail: 'seminarer@example.no' };
    expect(() => params({ ...ok, retentionMonths: 0 })).toThrow(/retentionMonths/);
    expect(() => params({ ...ok, sesSendRatePerSecond: 'fast' })).toThrow(/sesSendRatePerSecond/);
    expect(() => params({ ...ok, publicBaseUrl: 'ftp://x' })).toThrow(/publicBaseUrl/);
    expect(() => params({ ...ok, alarmEmail: 'nope' })).toThrow(/alarmEmail/);
    expect(() => params({ ...ok, createIdentity: 'maybe' })).toThrow(/createIdentity/);
    expect(() => params({ ...ok, sourceMaps: 'yes' })).toThrow(/sourceMaps/);
    expect(params({ ...ok, publicBaseUrl: 'https://seminarer.example.no/', createIdentity: 'false' })).toMatchObject({
      publicBaseUrl: 'https://seminarer.example.no',
      createIdentity: false,
    });
  });

  it('alarmEmail subscribes to the alarm topic; createIdentity=false leaves the SES identity out', () => {
    const other = newApp({ alarmEmail: 'drift@example.no', createIdentity: false }, false);
    const t = Template.fromStack(new SeminarEventsStack(other, 'SeminarEventsStack', { env: ENV }));
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'drift@example.no' });
    t.resourceCountIs('AWS::SES::EmailIdentity', 0);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
  });

  it('sourceMaps=true runs every function with --enable-source-maps; the default leaves NODE_OPTIONS out', () => {
    const debug = newApp({ sourceMaps: 'true' }, false);
    const t = Template.fromStack(new SeminarEventsStack(debug, 'SeminarEventsStack', { env: ENV }));
    const fns = wiredFunctionsIn(t.toJSON().Resources as Resources).map(([, r]) => r);
    expect(fns).toHaveLength(functions.length);
    for (const fn of fns) expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    for (const [, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
  });

  it('a missing senderEmail fails the synth with that message', () => {
    const bad = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => new SeminarEventsStack(bad, 'S', { env: ENV })).toThrow(/senderEmail/);
  });
});
