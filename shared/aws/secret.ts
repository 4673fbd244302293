/**
 * The HMAC key for link tokens: TOKEN_SECRET locally (generated and kept under .data/), or the Secrets
 * Manager secret named by TOKEN_SECRET_PARAMETER on AWS, read once per cold start (the client is loaded only then). Never logged.
 */
import { config } from '../config.js';

let cached: Promise<string> | undefined;

export function tokenSecret(): Promise<string> {
  cached ??= (async () => {
    const c = config();
    if (c.tokenSecret) return c.tokenSecret;
    if (!c.tokenSecretParameter) throw new Error('No token secret configured (TOKEN_SECRET or TOKEN_SECRET_PARAMETER)');
    // Loaded on first use: local runs never need it, and a cold start does not pay for it.
    const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: c.tokenSecretParameter }));
    if (!out.SecretString || out.SecretString.length < 32) throw new Error('The token secret is missing or too short');
    return out.SecretString;
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}
