/**
 * EventBridge event-pattern matching for the local EventBridge emulator.
 *
 * Semantics follow the AWS EventBridge documentation ("Creating event patterns",
 * "Content filtering", "Comparison operators"):
 *
 * - A pattern mirrors the event's structure. Every field named in the pattern must
 *   match (AND); fields the pattern does not name are ignored.
 * - A leaf in the pattern is an array of matchers; the field matches if ANY matcher
 *   matches (OR). If the event value is an array, it matches if ANY element matches.
 * - Matchers only apply to leaf values (strings, numbers, booleans, null). An event
 *   field holding an object is not a leaf, so `{"exists": false}` matches it.
 * - A nested pattern object requires the event field to be an object (or an array of
 *   objects, any one of which must match the whole sub-pattern).
 * - `$or` takes an array of at least two sub-patterns evaluated at the same level.
 *
 * Known limitation: events arrive here already parsed, so numbers are compared by
 * value (AWS may treat `300` and `3.0e2` differently for exact matching).
 */

/** Thrown by {@link validatePattern} for a pattern EventBridge would reject. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

type JsonObject = { [key: string]: unknown };
type Leaf = string | number | boolean | null;

const OR_KEY = '$or';
const IGNORE_CASE = 'equals-ignore-case';

/** Operator names; they may not be used as field names inside `$or` branches. */
const OPERATORS = new Set([
  'prefix',
  'suffix',
  IGNORE_CASE,
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

const LOWER_BOUND_OPS = new Set(['>', '>=']);
const UPPER_BOUND_OPS = new Set(['<', '<=']);
const NUMERIC_OPS = new Set(['=', ...LOWER_BOUND_OPS, ...UPPER_BOUND_OPS]);

/** Numeric operands must lie in this range (EventBridge's numeric matching limit). */
const NUMERIC_LIMIT = 5e9;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(value: unknown): value is Leaf {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function lower(value: string): string {
  return value.toLowerCase();
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/**
 * Checks that `pattern` is an event pattern EventBridge would accept.
 * @throws PatternError describing the first problem found.
 */
export function validatePattern(pattern: unknown): void {
  if (!isObject(pattern)) {
    throw new PatternError('Event pattern must be a JSON object');
  }
  validateObject(pattern, '', false);
}

function fieldPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function fail(path: string, message: string): never {
  throw new PatternError(path ? `${path}: ${message}` : message);
}

function validateObject(obj: JsonObject, path: string, insideOr: boolean): void {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail(path, 'Empty objects are not allowed');

  for (const key of keys) {
    const value = obj[key];
    const childPath = fieldPath(path, key);
    if (key === OR_KEY) {
      validateOr(value, childPath);
    } else if (insideOr && OPERATORS.has(key)) {
      fail(childPath, `"${key}" is a reserved name and cannot be used as a field inside $or`);
    } else if (Array.isArray(value)) {
      validateMatcherList(value, childPath);
    } else if (isObject(value)) {
      validateObject(value, childPath, insideOr);
    } else {
      fail(childPath, `"${key}" must be an object or an array`);
    }
  }
}

function validateOr(value: unknown, path: string): void {
  if (!Array.isArray(value)) fail(path, '$or must be an array');
  if (value.length < 2) fail(path, '$or must contain at least 2 objects');
  for (const branch of value) {
    if (!isObject(branch)) fail(path, 'Only JSON objects are allowed in a $or array');
    validateObject(branch, path, true);
  }
}

function validateMatcherList(list: unknown[], path: string): void {
  if (list.length === 0) fail(path, 'Empty arrays are not allowed');
  for (const item of list) {
    if (isObject(item)) {
      validateOperator(item, path);
    } else if (!isLeaf(item)) {
      fail(path, 'Match value must be a string, number, true, false, or null');
    }
  }
}

/** Validates a single `{ "<operator>": <argument> }` matcher object. */
function validateOperator(matcher: JsonObject, path: string): void {
  const keys = Object.keys(matcher);
  if (keys.length === 0) fail(path, 'Match expression name not found');
  if (keys.length > 1) fail(path, 'Only one key allowed in match expression');
  const op = keys[0];
  const arg = matcher[op];

  switch (op) {
    case 'prefix':
    case 'suffix':
      if (isObject(arg)) {
        validateIgnoreCaseWrapper(arg, op, path);
      } else if (typeof arg !== 'string') {
        fail(path, `${op} match pattern must be a string`);
      }
      return;
    case IGNORE_CASE:
      if (typeof arg !== 'string') fail(path, `${IGNORE_CASE} match pattern must be a string`);
      return;
    case 'wildcard':
      if (typeof arg !== 'string') fail(path, 'wildcard match pattern must be a string');
      validateWildcard(arg, path);
      return;
    case 'numeric':
      validateNumeric(arg, path);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') fail(path, 'exists match pattern must be either true or false');
      return;
    case 'cidr':
      if (typeof arg !== 'string' || parseCidr(arg) === null) {
        fail(path, `Malformed CIDR: ${JSON.stringify(arg)}`);
      }
      return;
    case 'anything-but':
      validateAnythingBut(arg, path);
      return;
    default:
      fail(path, `Unrecognized match type ${op}`);
  }
}

/** `{"prefix": {"equals-ignore-case": "..."}}` and the same for suffix. */
function validateIgnoreCaseWrapper(arg: JsonObject, op: string, path: string): void {
  const keys = Object.keys(arg);
  if (keys.length !== 1 || keys[0] !== IGNORE_CASE) {
    fail(path, `Unsupported ${op} pattern: ${keys.join(', ') || '{}'}`);
  }
  if (typeof arg[IGNORE_CASE] !== 'string') {
    fail(path, `${IGNORE_CASE} match pattern must be a string`);
  }
}

function validateNumberOperand(value: unknown, op: string, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(path, `Value of ${op} must be numeric`);
  }
  if (Math.abs(value) > NUMERIC_LIMIT) {
    fail(path, `Numeric value ${value} is outside the supported range -5.0e9 to 5.0e9`);
  }
  return value;
}

/**
 * Accepts `[op, n]` for any operator, or `[">"|">=", low, "<"|"<=", high]` with low < high.
 */
function validateNumeric(arg: unknown, path: string): void {
  if (!Array.isArray(arg)) fail(path, 'Value of numeric must be an array');
  if (arg.length !== 2 && arg.length !== 4) {
    fail(path, 'numeric must be [operator, value] or [lower-operator, value, upper-operator, value]');
  }
  const [op, value] = arg;
  if (typeof op !== 'string' || !NUMERIC_OPS.has(op)) {
    fail(path, `Unrecognized numeric range operator: ${JSON.stringify(op)}`);
  }
  const low = validateNumberOperand(value, op, path);
  if (arg.length === 2) return;

  if (!LOWER_BOUND_OPS.has(op)) fail(path, 'Too many elements in numeric expression');
  const upperOp: unknown = arg[2];
  if (typeof upperOp !== 'string' || !UPPER_BOUND_OPS.has(upperOp)) {
    fail(path, `Bad numeric range operator: ${JSON.stringify(upperOp)}`);
  }
  const high = validateNumberOperand(arg[3], upperOp, path);
  if (low >= high) fail(path, 'Bottom must be less than top in numeric range');
}

function validateAnythingBut(arg: unknown, path: string): void {
  if (typeof arg === 'string') return;
  if (typeof arg === 'number') {
    validateNumberOperand(arg, 'anything-but', path);
    return;
  }
  if (Array.isArray(arg)) {
    if (arg.length === 0) fail(path, 'anything-but list must not be empty');
    const allStrings = arg.every((v) => typeof v === 'string');
    const allNumbers = arg.every((v) => typeof v === 'number');
    if (!allStrings && !allNumbers) {
      fail(path, 'Inside anything-but list, values must be all strings or all numbers');
    }
    if (allNumbers) arg.forEach((v) => validateNumberOperand(v, 'anything-but', path));
    return;
  }
  if (!isObject(arg)) {
    fail(path, 'Value of anything-but must be an array or single string/number value');
  }

  const keys = Object.keys(arg);
  if (keys.length !== 1) fail(path, 'Only one key allowed in anything-but expression');
  const op = keys[0];
  const inner = arg[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
      // AWS documents anything-but prefix/suffix with a single value only.
      if (typeof inner !== 'string') fail(path, `anything-but ${op} must be a string`);
      if (inner === '') fail(path, 'Null prefix/suffix not allowed');
      return;
    case IGNORE_CASE:
    case 'wildcard': {
      const values = Array.isArray(inner) ? inner : [inner];
      if (values.length === 0) fail(path, `anything-but ${op} list must not be empty`);
      for (const v of values) {
        if (typeof v !== 'string') fail(path, `anything-but ${op} values must be strings`);
        if (op === 'wildcard') validateWildcard(v, path);
      }
      return;
    }
    default:
      fail(path, `Unsupported anything-but pattern: ${op}`);
  }
}

/**
 * Wildcard rules: `*` matches any run of characters, `\*` is a literal asterisk and
 * `\\` a literal backslash. Consecutive wildcards and other escapes are rejected.
 */
function validateWildcard(pattern: string, path: string): void {
  let previousWasWildcard = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        fail(path, `Invalid wildcard escape at position ${i}: only \\* and \\\\ are allowed`);
      }
      i++;
      previousWasWildcard = false;
    } else if (ch === '*') {
      if (previousWasWildcard) {
        fail(path, 'Consecutive wildcard characters are not allowed');
      }
      previousWasWildcard = true;
    } else {
      previousWasWildcard = false;
    }
  }
}

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

/**
 * Returns true when `event` (a full EventBridge event object) matches `pattern`.
 * The pattern is assumed to be valid (see {@link validatePattern}).
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) return false;
  return matchObject(pattern, isObject(event) ? event : {});
}

function getField(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Every pattern field must match (AND); `$or` needs at least one branch to match. */
function matchObject(pattern: JsonObject, event: JsonObject): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === OR_KEY && Array.isArray(sub)) {
      return sub.some((branch) => isObject(branch) && matchObject(branch, event));
    }
    const value = getField(event, key);
    if (Array.isArray(sub)) return matchLeaf(sub, value);
    if (isObject(sub)) return matchNested(sub, value);
    return false;
  });
}

/**
 * A nested pattern object applies to an event object, or to any object element of an
 * event array. With no object to descend into, every field below is absent, which
 * only `{"exists": false}` matchers accept.
 */
function matchNested(pattern: JsonObject, value: unknown): boolean {
  const candidates = collectObjects(value);
  if (candidates.length === 0) return matchObject(pattern, {});
  return candidates.some((candidate) => matchObject(pattern, candidate));
}

function collectObjects(value: unknown): JsonObject[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(collectObjects);
  return [];
}

/** Leaf values of an event field: arrays are flattened; objects are not leaves. */
function collectLeaves(value: unknown): Leaf[] {
  if (Array.isArray(value)) return value.flatMap(collectLeaves);
  return isLeaf(value) ? [value] : [];
}

/** A leaf pattern matches if any of its matchers matches (OR). */
function matchLeaf(matchers: unknown[], value: unknown): boolean {
  const leaves = collectLeaves(value);
  return matchers.some((matcher) => {
    if (!isObject(matcher)) return leaves.some((leaf) => leaf === matcher);
    const [op] = Object.keys(matcher);
    const arg = matcher[op];
    if (op === 'exists') return arg === leaves.length > 0;
    return leaves.some((leaf) => matchOperator(op, arg, leaf));
  });
}

/** Applies one content-filter operator to one leaf value of the event. */
function matchOperator(op: string, arg: unknown, leaf: Leaf): boolean {
  switch (op) {
    case 'prefix':
      return typeof leaf === 'string' && matchAffix(arg, leaf, (v, a) => v.startsWith(a));
    case 'suffix':
      return typeof leaf === 'string' && matchAffix(arg, leaf, (v, a) => v.endsWith(a));
    case IGNORE_CASE:
      return typeof leaf === 'string' && typeof arg === 'string' && lower(leaf) === lower(arg);
    case 'wildcard':
      return typeof leaf === 'string' && typeof arg === 'string' && wildcardMatches(arg, leaf);
    case 'numeric':
      return typeof leaf === 'number' && Array.isArray(arg) && numericMatches(arg, leaf);
    case 'cidr':
      return typeof leaf === 'string' && typeof arg === 'string' && cidrContains(arg, leaf);
    case 'anything-but':
      return !anythingButExcludes(arg, leaf);
    default:
      return false;
  }
}

/** prefix/suffix with either a plain string or `{"equals-ignore-case": string}`. */
function matchAffix(arg: unknown, value: string, test: (value: string, affix: string) => boolean): boolean {
  if (typeof arg === 'string') return test(value, arg);
  if (isObject(arg) && typeof arg[IGNORE_CASE] === 'string') {
    return test(lower(value), lower(arg[IGNORE_CASE]));
  }
  return false;
}

/**
 * True when `leaf` is one of the values `anything-but` excludes. Values of another
 * type than the excluded ones are never excluded (e.g. a number passes a string list).
 */
function anythingButExcludes(arg: unknown, leaf: Leaf): boolean {
  if (typeof arg === 'string' || typeof arg === 'number') return leaf === arg;
  if (Array.isArray(arg)) return arg.includes(leaf);
  if (!isObject(arg) || typeof leaf !== 'string') return false;

  const [op] = Object.keys(arg);
  const inner = arg[op];
  const values = (Array.isArray(inner) ? inner : [inner]).filter(
    (v): v is string => typeof v === 'string',
  );
  switch (op) {
    case 'prefix':
      return values.some((v) => leaf.startsWith(v));
    case 'suffix':
      return values.some((v) => leaf.endsWith(v));
    case IGNORE_CASE:
      return values.some((v) => lower(v) === lower(leaf));
    case 'wildcard':
      return values.some((v) => wildcardMatches(v, leaf));
    default:
      return false;
  }
}

/** Evaluates `[op, n]` or `[op, n, op, n]`; all conditions must hold. */
function numericMatches(conditions: unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const operand = conditions[i + 1];
    if (typeof operand !== 'number') return false;
    const ok =
      op === '=' ? value === operand :
      op === '<' ? value < operand :
      op === '<=' ? value <= operand :
      op === '>' ? value > operand :
      op === '>=' ? value >= operand :
      false;
    if (!ok) return false;
  }
  return true;
}

/** Splits a wildcard pattern into its literal segments (one more than the `*` count). */
function wildcardSegments(pattern: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      current += pattern[++i];
    } else if (ch === '*') {
      segments.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  segments.push(current);
  return segments;
}

/** Glob match where `*` matches any (possibly empty) run of characters. */
function wildcardMatches(pattern: string, value: string): boolean {
  const segments = wildcardSegments(pattern);
  if (segments.length === 1) return value === segments[0];

  const first = segments[0];
  const last = segments[segments.length - 1];
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;

  // Place the middle segments left-most, in order, between the fixed ends.
  const end = value.length - last.length;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const index = value.indexOf(segment, position);
    if (index < 0 || index + segment.length > end) return false;
    position = index + segment.length;
  }
  return true;
}

// ---------------------------------------------------------------------------
// IP addresses
// ---------------------------------------------------------------------------

interface IpAddress {
  bits: 32 | 128;
  value: bigint;
}

interface CidrBlock extends IpAddress {
  prefixLength: number;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return null;

  // An embedded IPv4 address (e.g. ::ffff:10.0.0.1) supplies the last two groups.
  const expand = (part: string): string[] | null => {
    if (part === '') return [];
    const pieces = part.split(':');
    const tail = pieces[pieces.length - 1];
    if (tail.includes('.')) {
      const v4 = parseIpv4(tail);
      if (v4 === null) return null;
      pieces.splice(-1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
    }
    return pieces;
  };

  const head = expand(halves[0]);
  const rest = halves.length === 2 ? expand(halves[1]) : [];
  if (head === null || rest === null) return null;
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;

  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

function parseIp(text: string): IpAddress | null {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === null ? null : { bits: 128, value };
  }
  const value = parseIpv4(text);
  return value === null ? null : { bits: 32, value };
}

function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const address = parseIp(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === null || !/^\d{1,3}$/.test(lengthText)) return null;
  const prefixLength = Number(lengthText);
  if (prefixLength > address.bits) return null;
  return { ...address, prefixLength };
}

function cidrContains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIp(ip);
  if (block === null || address === null || block.bits !== address.bits) return false;
  const shift = BigInt(block.bits - block.prefixLength);
  return address.value >> shift === block.value >> shift;
}
