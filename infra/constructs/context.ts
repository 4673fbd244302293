/**
 * Deploy-time parameters, read once from CDK context (`cdk.json` or `-c key=value`) and validated, so a
 * wrong value fails `cdk synth` with a sentence that says what to fix instead of failing a deploy later.
 */
import type { Node } from 'constructs';

export interface DeployParameters {
  /** From address of every email (`seminarer@example.no`). Required. */
  senderEmail: string;
  /** Domain of the SES identity (`example.no`). Default: the domain of senderEmail. */
  senderDomain: string;
  /** Display name in From. Default `Seminarer`. */
  senderName: string;
  /** Base URL of the links in emails. Default: the HTTP API's URL. */
  publicBaseUrl?: string;
  /** How long personal data is kept after a seminar, in months. Default 12. */
  retentionMonths: number;
  /** RETENTION_DAYS handed to the functions: months × 365/12, rounded (12 → 365). */
  retentionDays: number;
  /** SES maximum send rate of the account (messages per second). Default 14. */
  sesSendRatePerSecond: number;
  /** Subscribed to the alarm topic when set. */
  alarmEmail?: string;
  /** Create the SES domain identity (DKIM). Default true; false when the identity is managed elsewhere. */
  createIdentity: boolean;
  /**
   * Run the functions with `NODE_OPTIONS=--enable-source-maps` (stack traces in TypeScript terms). Default
   * false: the flag makes Node parse each bundle's source map at start, which costs cold-start time. The
   * bundles carry their source maps either way.
   */
  sourceMaps: boolean;
}

const EMAIL = /^[^\s@]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export class ContextError extends Error {
  constructor(message: string) {
    super(`Invalid CDK context: ${message}`);
    this.name = 'ContextError';
  }
}

/** Empty strings (cdk.json placeholders) count as "not set". */
function read(node: Node, key: string): unknown {
  const v: unknown = node.tryGetContext(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() === '') return undefined;
  return typeof v === 'string' ? v.trim() : v;
}

function asNumber(node: Node, key: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  const v = read(node, key);
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || !check(n)) {
    throw new ContextError(`"${key}" must be ${rule}; got ${JSON.stringify(v)}. Set it in cdk.json or with -c ${key}=…`);
  }
  return n;
}

function asBoolean(node: Node, key: string, fallback: boolean): boolean {
  const v = read(node, key);
  if (v === undefined) return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new ContextError(`"${key}" must be true or false; got ${JSON.stringify(v)}.`);
}

export function readDeployParameters(node: Node): DeployParameters {
  const senderEmail = read(node, 'senderEmail');
  if (typeof senderEmail !== 'string') {
    throw new ContextError(
      '"senderEmail" is missing. It is the From address of every email, e.g. -c senderEmail=seminarer@example.no (or set it in cdk.json).',
    );
  }
  const m = EMAIL.exec(senderEmail);
  if (!m) {
    throw new ContextError(`"senderEmail" must be an email address like seminarer@example.no; got ${JSON.stringify(senderEmail)}.`);
  }
  const emailDomain = m[1].toLowerCase();

  const rawDomain = read(node, 'senderDomain');
  if (rawDomain !== undefined && (typeof rawDomain !== 'string' || !DOMAIN.test(rawDomain))) {
    throw new ContextError(`"senderDomain" must be a domain name like example.no; got ${JSON.stringify(rawDomain)}.`);
  }
  const senderDomain = (rawDomain as string | undefined)?.toLowerCase() ?? emailDomain;

  const createIdentity = asBoolean(node, 'createIdentity', true);
  if (createIdentity && emailDomain !== senderDomain && !emailDomain.endsWith(`.${senderDomain}`)) {
    throw new ContextError(
      `"senderEmail" (${senderEmail}) is not in "senderDomain" (${senderDomain}). SES can only send from a verified identity: ` +
        'use an address in that domain, or set createIdentity=false and verify the address yourself.',
    );
  }

  const senderName = read(node, 'senderName') ?? 'Seminarer';
  if (typeof senderName !== 'string' || senderName.length > 100 || /[\r\n"<>]/.test(senderName)) {
    throw new ContextError(`"senderName" must be a plain display name (no quotes, angle brackets or line breaks, at most 100 characters).`);
  }

  const rawUrl = read(node, 'publicBaseUrl');
  let publicBaseUrl: string | undefined;
  if (rawUrl !== undefined) {
    let ok = false;
    if (typeof rawUrl === 'string') {
      try {
        const u = new URL(rawUrl);
        ok = u.protocol === 'https:' || (u.protocol === 'http:' && u.hostname === 'localhost');
      } catch {
        ok = false;
      }
    }
    if (!ok) {
      throw new ContextError(`"publicBaseUrl" must be an https URL like https://seminarer.example.no; got ${JSON.stringify(rawUrl)}. Leave it empty to use the API's own URL.`);
    }
    publicBaseUrl = (rawUrl as string).replace(/\/+$/, '');
  }

  const retentionMonths = asNumber(node, 'retentionMonths', 12, (n) => Number.isInteger(n) && n >= 1 && n <= 120, 'a whole number of months between 1 and 120');
  const sesSendRatePerSecond = asNumber(node, 'sesSendRatePerSecond', 14, (n) => n > 0 && n <= 10_000, 'a positive number (messages per second)');

  const alarmEmail = read(node, 'alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !EMAIL.test(alarmEmail))) {
    throw new ContextError(`"alarmEmail" must be an email address or empty; got ${JSON.stringify(alarmEmail)}.`);
  }

  return {
    senderEmail,
    senderDomain,
    senderName,
    publicBaseUrl,
    retentionMonths,
    retentionDays: Math.round((retentionMonths * 365) / 12),
    sesSendRatePerSecond,
    alarmEmail: alarmEmail as string | undefined,
    createIdentity,
    sourceMaps: asBoolean(node, 'sourceMaps', false),
  };
}
