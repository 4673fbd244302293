/**
 * Local stand-in for the Cognito JWT authorizer: an RS256 key kept under the data directory, the same
 * checks as API Gateway's JWT authorizer (signature, issuer, audience, expiry), and a way to mint tokens.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { ADMIN_GROUP } from '../wiring.js';

export const LOCAL_ISSUER = 'https://local.seminar-events/issuer';
export const LOCAL_AUDIENCE = 'seminar-events-local';
/** How long the ID tokens of the stand-in sign-in (infra/local/oauth.ts) last, unless LOCAL_ID_TOKEN_SECONDS says otherwise. */
export const LOCAL_ID_TOKEN_SECONDS = 3600;

interface KeyFile {
  publicJwk: JWK;
  privateJwk: JWK;
}

async function loadKeys(dataDir: string): Promise<KeyFile> {
  const file = join(dataDir, 'jwt-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const keys = { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

export async function createVerifier(dataDir: string) {
  const keys = await loadKeys(dataDir);
  const key = await importJWK(keys.publicJwk, 'RS256');
  /** Returns the claims, or undefined for a missing, forged, expired or foreign token. */
  return async (authorization: string | undefined): Promise<JWTPayload | undefined> => {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return undefined;
    try {
      const { payload } = await jwtVerify(m[1], key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['RS256'] });
      return payload;
    } catch {
      return undefined;
    }
  };
}

export interface MintOptions {
  subject?: string;
  groups?: string[];
  /** The `email` claim, as Cognito puts it in ID tokens. */
  email?: string;
  /** `id` (the default) or `access`: Cognito's `token_use` claim. */
  tokenUse?: 'id' | 'access';
  /** Further claims (an access token's `client_id` and `scope`, for example). */
  claims?: Record<string, unknown>;
  expiresInSeconds?: number;
  /** `null`: no `aud` claim, as in Cognito's access tokens. */
  audience?: string | null;
  issuer?: string;
  /** Sign with a freshly generated key instead of the local one: a forged token (tests). */
  foreignKey?: boolean;
}

export async function mintToken(dataDir: string, o: MintOptions = {}): Promise<string> {
  const key = o.foreignKey ? (await generateKeyPair('RS256')).privateKey : await importJWK((await loadKeys(dataDir)).privateJwk, 'RS256');
  const nowSec = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...o.claims, 'cognito:groups': o.groups ?? [ADMIN_GROUP], token_use: o.tokenUse ?? 'id', ...(o.email ? { email: o.email } : {}) })
    .setProtectedHeader({ alg: 'RS256', kid: 'local' })
    .setSubject(o.subject ?? 'local-admin')
    .setIssuer(o.issuer ?? LOCAL_ISSUER)
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + (o.expiresInSeconds ?? 12 * 3600));
  if (o.audience !== null) jwt.setAudience(o.audience ?? LOCAL_AUDIENCE);
  return jwt.sign(key);
}
