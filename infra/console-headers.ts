/**
 * The console's security headers, one definition for both hosts: the local gateway sends them on
 * /console/* (infra/local/console.ts), and the CloudFront response headers policy sends them on AWS
 * (infra/constructs/console.ts). No inline script or style, no framing, tokens only to the sign-in origin.
 */

/** The runtime configuration the console fetches from `./config.json` at start. */
export interface ConsoleConfig {
  /** "" means same origin (locally the gateway, on AWS CloudFront routes /admin/* to the API). */
  apiBaseUrl: string;
  /** The OAuth endpoints' base: `${API}/_local/auth` locally, the Cognito managed-login domain on AWS. */
  authBaseUrl: string;
  clientId: string;
  redirectUri: string;
  logoutUri: string;
}

/** The Content-Security-Policy, given the origin of the OAuth endpoints (`https://…amazoncognito.com`). */
export function consoleContentSecurityPolicy(authOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${authOrigin}`,
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self' ${authOrigin}`,
  ].join('; ');
}

/** The other security headers, as a CloudFront response headers policy would send them. */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};
