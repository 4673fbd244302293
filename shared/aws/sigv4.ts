/**
 * AWS Signature Version 4 for the lean client's requests (shared/aws/lean.ts), by the algorithm of the
 * AWS docs ("Create a signed AWS API request"): the canonical request (method, path, query, the signed
 * headers, the payload's SHA-256), the string to sign over its hash and the credential scope, and the
 * signature, an HMAC with the key derived from the secret, the day, the region and the service.
 *
 * The derived key is the same for every request of a day: it is kept (one HMAC chain a day and credential
 * instead of four HMACs a request). Every header given is signed (the lean client gives only those that
 * say what the request is: host, content type and length, target), plus `x-amz-date`, the payload's
 * hash (`x-amz-content-sha256`) and the session token, as the SDK's signer does.
 * test/unit/lean-client.test.ts checks the result against the SDK's own signer, to the character, and
 * against a verifier written from the docs.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigningRequest {
  method: string;
  /** The path as sent (already percent-encoded where it needs to be). */
  path: string;
  /** Header names in lower case, `host` among them. */
  headers: Record<string, string>;
  body: Buffer;
}

/** RFC 3986 escaping of one path segment, as SigV4 wants it (`uriEscapePath`: non-S3 services escape the path once more). */
const escapeSegment = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const canonicalPath = (path: string) => (/^[A-Za-z0-9/._~-]*$/.test(path) ? path : path.split('/').map(escapeSegment).join('/'));

export class SigV4Signer {
  private key: { accessKeyId: string; secret: string; day: string; value: Buffer } | undefined;

  constructor(
    private readonly region: string,
    private readonly service: string,
  ) {}

  /** The key of `day` (YYYYMMDD) for these credentials, derived once a day. */
  private signingKey(credentials: SigningCredentials, day: string): Buffer {
    const k = this.key;
    if (k && k.day === day && k.accessKeyId === credentials.accessKeyId && k.secret === credentials.secretAccessKey) return k.value;
    const step = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
    const value = step(step(step(step(`AWS4${credentials.secretAccessKey}`, day), this.region), this.service), 'aws4_request');
    this.key = { accessKeyId: credentials.accessKeyId, secret: credentials.secretAccessKey, day, value };
    return value;
  }

  /** The request's headers with `x-amz-content-sha256`, `x-amz-date`, the session token if any, and `authorization` added. */
  sign(request: SigningRequest, credentials: SigningCredentials, at: Date = new Date()): Record<string, string> {
    const amzDate = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const payloadHash = createHash('sha256').update(request.body).digest('hex');
    // The payload's hash is sent as a header too, as the SDK's signer sends it.
    const headers: Record<string, string> = { ...request.headers, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
    if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
    const names = Object.keys(headers).sort();
    let canonicalHeaders = '';
    for (const n of names) canonicalHeaders += `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`;
    const signedHeaders = names.join(';');
    const canonical = `${request.method}\n${canonicalPath(request.path)}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const scope = `${day}/${this.region}/${this.service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = createHmac('sha256', this.signingKey(credentials, day)).update(toSign).digest('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  }
}
