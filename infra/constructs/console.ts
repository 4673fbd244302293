/**
 * The console on AWS: its built files (console/dist) in a private S3 bucket behind CloudFront with
 * origin access control, and the HTTP API as a second origin for `/admin/*` and `/openapi.json`, so the
 * console is same-origin with the API (no CORS) as it is locally. A response headers policy sends the
 * CSP and security headers of infra/console-headers.ts. The runtime config.json is written next to the
 * files at deploy time with the real API, sign-in domain and client id.
 *
 *   browser ─▶ CloudFront ─ /*                   ─▶ S3 (OAC; index.html, app.js, app.css, config.json)
 *                         └ /admin/*, /openapi.json ─▶ HTTP API (no caching, every header but Host)
 */
import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { consoleIsBuilt, CONSOLE_DIST } from '../console-build.js';
import { consoleContentSecurityPolicy, type ConsoleConfig } from '../console-headers.js';
import { acknowledgeWildcardResource } from './nag.js';

/**
 * Uploaded instead of the console when console/dist is missing at synth time (the infra tests, which
 * must not need the console's build): one page saying to build it. `cdk synth`/`deploy` through
 * infra/app.ts builds the console first, so a deployment gets the real one.
 */
export const CONSOLE_PLACEHOLDER = join(import.meta.dirname, '../console-placeholder');

export interface ConsoleHostingProps {
  api: apigwv2.HttpApi;
  /** The OAuth endpoints' base URL (the Cognito managed-login domain): the CSP lets the console reach it. */
  authBaseUrl: string;
}

export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution>/`: the console, its OAuth callback and logout URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only built files, uploaded again on every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'The bucket holds only the built console (public code, no data); it is read by CloudFront alone, through origin access control.',
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Console: strict CSP (no inline script or style) and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.authBaseUrl), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const apiOrigin = new origins.HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    });
    // The admin API through the console's origin: never cached, the Authorization header and every
    // other viewer header passed on (not Host: API Gateway needs its own).
    const toApi: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'seminar-events admin console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
      },
      additionalBehaviors: { '/admin/*': toApi, '/openapi.json': toApi },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Organisers sign in from wherever they travel; the admin routes need a Cognito ID token in the admins group, whatever the country.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'Static files and an API behind a JWT authorizer with stage throttling; Cognito threat protection guards the sign-in. A WAF web ACL costs more than this console risks.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'The files are public code; every admin call through the distribution is recorded in the HTTP API access log and the audit log.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes at TLSv1 (browsers negotiate TLS 1.2/1.3 anyway); a custom domain with its own certificate would set TLSv1.2_2021.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}/`;
  }

  /**
   * Uploads the built console (console/dist, or the placeholder page when it is missing) and its
   * runtime config.json, then invalidates the distribution's cache. The upload handler (CDK's
   * BucketDeployment function, run at deploy time only) gets its own role and log group instead of
   * AWSLambdaBasicExecutionRole and CDK's wildcard grants: it may read the asset objects, sync the
   * console bucket and invalidate this distribution, nothing else.
   */
  deploy(config: ConsoleConfig, assets = CONSOLE_DIST): s3deploy.BucketDeployment {
    const stack = Stack.of(this);
    const dir = consoleIsBuilt(assets) ? assets : CONSOLE_PLACEHOLDER;
    if (dir === CONSOLE_PLACEHOLDER) Annotations.of(this).addWarningV2('seminar-events:console-not-built', `${assets} has no index.html: the console bucket gets a placeholder page. Run npm run console:build.`);
    const files = new s3assets.Asset(this, 'FilesAsset', { path: dir });
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'DeploymentRole', {
      description: 'Uploads the console to its bucket at deploy time (BucketDeployment)',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const assetObjects = files.bucket.arnForObjects('*');
    const consoleObjects = this.bucket.arnForObjects('*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [assetObjects] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [consoleObjects] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'], resources: [this.distribution.distributionArn] }),
    );
    acknowledgeWildcardResource(role, assetObjects, 'The CDK asset bucket: the config.json asset gets its object key at synth, so the handler reads objects of that bucket (GetObject only).');
    acknowledgeWildcardResource(role, consoleObjects, 'Every file of the console bucket: each deploy replaces the console and prunes the files it no longer has.');
    acknowledgeWildcardResource(role, logGroup.logGroupArn, 'The log streams of the upload handler’s own log group.');

    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      // config.json last: it replaces any config.json of the build.
      sources: [s3deploy.Source.bucket(files.bucket, files.s3ObjectKey), s3deploy.Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // No hash in the file names: browsers revalidate every file.
      cacheControl: [s3deploy.CacheControl.noCache()],
      memoryLimit: 256,
      // The grants BucketDeployment would add (wildcard actions, invalidation on *) are left out: the role above has them narrowed.
      role: role.withoutPolicyUpdates(),
      logGroup,
    });
    // The singleton handler function lives at the stack's root, named after its purpose.
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment')) ?? deployment;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The runtime of the CDK BucketDeployment handler is chosen by aws-cdk-lib and moves with its releases; it runs only at deploy time.',
    });
    return deployment;
  }
}
