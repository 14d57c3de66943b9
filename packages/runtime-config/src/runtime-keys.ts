import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

interface KeySpec<S extends TSchema> {
  schema: S;
  default: Static<S>;
  /** For error messages and `runtime list`. */
  expected: string;
  description: string;
}

function key<S extends TSchema>(spec: KeySpec<S>): KeySpec<S> {
  return spec;
}

/**
 * The live settings of R-OPS-3. KV keys may contain letters, digits and
 * `-/_=.` (not starting or ending with a dot), so these names are the KV keys
 * as they are: `purchases.enabled` is stored under subject
 * `$KV.runtime.purchases.enabled`. Values are JSON.
 */
export const runtimeKeys = {
  maintenance: key({
    schema: Type.Boolean(),
    default: false,
    expected: 'true or false',
    description: 'the gateway answers every /v1 request with 503 MAINTENANCE (health and SEO paths unaffected)',
  }),
  'purchases.enabled': key({
    schema: Type.Boolean(),
    default: true,
    expected: 'true or false',
    description: 'false turns credit purchases off (kill switch)',
  }),
  'waf.mode': key({
    schema: Type.Union([Type.Literal('by-method'), Type.Literal('block'), Type.Literal('detect'), Type.Literal('off')]),
    default: 'by-method',
    expected: 'one of "by-method", "block", "detect", "off"',
    description: 'WAF enforcement mode',
  }),
  'hosts.mode': key({
    schema: Type.Union([Type.Literal('enforce'), Type.Literal('monitor')]),
    default: 'enforce',
    expected: 'one of "enforce", "monitor"',
    description: 'host allowlist: reject unknown hosts, or only log them',
  }),
  'ratelimit.factor': key({
    schema: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
    default: 1,
    expected: 'a number greater than 0 (at most 1000)',
    description: 'multiplies every rate-limit budget (0.5 halves them)',
  }),
} as const;

export type RuntimeKey = keyof typeof runtimeKeys;
export type RuntimeValues = { -readonly [K in RuntimeKey]: Static<(typeof runtimeKeys)[K]['schema']> };

export const RUNTIME_KEYS = Object.keys(runtimeKeys) as RuntimeKey[];

export function isRuntimeKey(key: string): key is RuntimeKey {
  return Object.prototype.hasOwnProperty.call(runtimeKeys, key);
}

export function runtimeDefaults(): RuntimeValues {
  return Object.fromEntries(RUNTIME_KEYS.map((k) => [k, runtimeKeys[k].default])) as RuntimeValues;
}

const checks = new Map(RUNTIME_KEYS.map((k) => [k, Compile(runtimeKeys[k].schema)]));

export class RuntimeValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeValueError';
  }
}

/** Throws RuntimeValueError naming the key and the expected form unless `value` fits `key`. */
export function validateRuntimeValue<K extends RuntimeKey>(key: K, value: unknown): RuntimeValues[K] {
  if (!checks.get(key)!.Check(value)) {
    throw new RuntimeValueError(`${key} must be ${runtimeKeys[key].expected} (got ${JSON.stringify(value) ?? String(value)})`);
  }
  return value as RuntimeValues[K];
}

/** Checks a key name, with the list of known keys in the error. */
export function assertRuntimeKey(key: string): asserts key is RuntimeKey {
  if (!isRuntimeKey(key)) throw new RuntimeValueError(`Unknown runtime key "${key}"; known keys: ${RUNTIME_KEYS.join(', ')}`);
}

/**
 * Parses a value as typed by an operator: JSON (`true`, `0.5`, `"block"`), or
 * a bare word for string keys (`block`).
 */
export function parseRuntimeValue<K extends RuntimeKey>(key: K, text: string): RuntimeValues[K] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return validateRuntimeValue(key, value);
}
