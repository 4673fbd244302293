/**
 * Who may use the admin routes: a Cognito user pool (no self sign-up, MFA, threat protection), its
 * ADMIN_GROUP group, its managed-login domain, the app client the console signs in with (authorization
 * code with PKCE, a public client without a secret, callback and logout URL = the console), and the
 * HTTP API's JWT authorizer on that pool, whose audience is that client.
 *
 * An HTTP API JWT authorizer checks signature, issuer, audience and expiry only: it cannot require
 * membership of a Cognito group. The HTTP router (shared/http/router.ts) therefore checks that the
 * `cognito:groups` claim contains ADMIN_GROUP on every route the wiring declares `admin`, and answers
 * 403 otherwise.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ADMIN_GROUP } from '../../shared/spec.js';

/** The base URL of a Cognito prefix domain (what UserPoolDomain.baseUrl() gives), before the domain exists. */
export const cognitoDomainBaseUrl = (stack: Stack, domainPrefix: string) => `https://${domainPrefix}.auth.${stack.region}.amazoncognito.com`;

/** One managed-login domain per stack and account: the prefix must be unique in the region. */
export const authDomainPrefix = (stack: Stack) => `${stack.stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${stack.account}`;

export interface AdminIdentityProps {
  /** The console's URL: the app client's one callback and logout URL. */
  consoleUrl: string;
  /** The managed-login domain's prefix (authDomainPrefix). */
  domainPrefix: string;
}

export class AdminIdentity {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  readonly client: cognito.UserPoolClient;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(stack: Stack, props: AdminIdentityProps) {
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
    this.domain = this.userPool.addDomain('AdminDomain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // The console's sign-in: the authorization code grant only (no implicit grant), and no secret, so
    // that a browser app can use it: the console proves possession with PKCE (S256), which Cognito
    // checks whenever the authorize request carries a code_challenge.
    this.client = this.userPool.addClient('AdminClient', {
      authFlows: { userSrp: true, userPassword: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Managed login (version 2) shows a page only for a client with a style: Cognito's default one.
    new cognito.CfnManagedLoginBranding(stack, 'AdminLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.authorizer = new HttpJwtAuthorizer('AdminJwtAuthorizer', this.userPool.userPoolProviderUrl, {
      jwtAudience: [this.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });
  }
}
