/**
 * Who may use the admin routes: a Cognito user pool (no self sign-up, MFA, threat protection), its
 * ADMIN_GROUP group and app client, and the HTTP API's JWT authorizer on that pool.
 *
 * An HTTP API JWT authorizer checks signature, issuer, audience and expiry only: it cannot require
 * membership of a Cognito group. The HTTP router (shared/http/router.ts) therefore checks that the
 * `cognito:groups` claim contains ADMIN_GROUP on every route the wiring declares `admin`, and answers
 * 403 otherwise.
 */
import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ADMIN_GROUP } from '../../shared/spec.js';

export class AdminIdentity {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(stack: Stack) {
    this.userPool = new cognito.UserPool(stack, 'AdminUserPool', {
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
    new cognito.UserPoolGroup(stack, 'AdminGroup', {
      userPool: this.userPool,
      groupName: ADMIN_GROUP,
      description: 'May use the admin routes of the HTTP API',
    });
    this.client = this.userPool.addClient('AdminClient', {
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.authorizer = new HttpJwtAuthorizer('AdminJwtAuthorizer', this.userPool.userPoolProviderUrl, {
      jwtAudience: [this.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
  }
}
