/**
 * The HTTP API and its `$default` stage: the stage-wide throttle, access logs, and the tighter throttle
 * on the routes the wiring declares `throttle: 'write'` (the numbers in shared/rate-limits.ts, which
 * the local gateway reads too).
 */
import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DEFAULT_RATE_LIMITS } from '../../shared/rate-limits.js';
import { routeKey, throttlingOf, type RouteSpec } from '../../shared/spec.js';

/** Stage-wide throttle, and the tighter one for the public write routes that send email. */
export const DEFAULT_THROTTLE = DEFAULT_RATE_LIMITS.stage;
export const WRITE_ROUTE_THROTTLE = DEFAULT_RATE_LIMITS.writeRoute;

export class Api {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;

  constructor(stack: Stack) {
    this.api = new apigwv2.HttpApi(stack, 'HttpApi', {
      description: 'Seminar events: public and admin routes (see GET /openapi.json)',
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
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
  }

  /**
   * Per-route throttling for the routes the wiring declares `throttle: 'write'`. Route settings may only
   * name existing routes, so the stage waits for every route.
   */
  throttleRoutes(routes: ReadonlyArray<{ spec: RouteSpec; routes: apigwv2.HttpRoute[] }>): void {
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const { spec } of routes) {
      if (throttlingOf(spec) === 'write') {
        routeSettings[routeKey(spec)] = { ThrottlingRateLimit: WRITE_ROUTE_THROTTLE.rateLimit, ThrottlingBurstLimit: WRITE_ROUTE_THROTTLE.burstLimit };
      }
    }
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    if (Object.keys(routeSettings).length > 0) cfnStage.addPropertyOverride('RouteSettings', routeSettings);
    for (const { routes: added } of routes) for (const r of added) this.stage.node.addDependency(r);
  }
}
