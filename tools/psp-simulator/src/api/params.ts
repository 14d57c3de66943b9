import { invalidParam, missingParam } from './stripe-error.js';

/** A form-decoded Stripe request: qs turns `metadata[a]=b` into nested objects. */
export type Params = Record<string, unknown>;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()));
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
/** Stripe answers `parameter_unknown` for anything an endpoint does not take (the client never sends extras). */
export function rejectUnknown(params: Params, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw invalidParam(name, `Received unknown parameter: ${name}`, 'parameter_unknown');
  }
}

function text(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParam(name, `Invalid ${name}: must be a string`);
  return value;
}

export function optionalString(params: Params, name: string, maxLength = 5000): string | undefined {
  const value = text(params, name);
  if (value !== undefined && value.length > maxLength) throw invalidParam(name, `Invalid ${name}: must be at most ${maxLength} characters`);
  return value === '' ? undefined : value;
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) throw missingParam(name);
  return value;
}

export function optionalInteger(params: Params, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {}): number | undefined {
  const value = text(params, name);
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidParam(name, `Invalid integer: ${value}`, 'parameter_invalid_integer');
  const number = Number(value);
  if (number < min) {
    const message = min === 1 ? `Invalid positive integer` : `This value must be greater than or equal to ${min}.`;
    throw invalidParam(name, message, 'parameter_invalid_integer');
  }
  if (number > max) throw invalidParam(name, `This value must be less than or equal to ${max}.`, 'parameter_invalid_integer');
  return number;
}

export function requiredInteger(params: Params, name: string, bounds?: { min?: number; max?: number }): number {
  const value = optionalInteger(params, name, bounds);
  if (value === undefined) throw missingParam(name);
  return value;
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = text(params, name);
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParam(name, `Invalid boolean: ${value}`, 'parameter_invalid_boolean');
}

export function optionalEnum<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw invalidParam(name, `Invalid ${name}: must be one of ${values.join(', ')}`);
  }
  return value as T;
}

export function requiredCurrency(params: Params): string {
  const value = requiredString(params, 'currency').toLowerCase();
  if (!CURRENCIES.has(value)) throw invalidParam('currency', `Invalid currency: ${value}. Stripe currently supports these currencies: usd, eur, gbp, …`);
  return value;
}

export function currencyDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

export function optionalStringList(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  const list = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? Object.values(value) : [value];
  if (!list.every((item): item is string => typeof item === 'string')) throw invalidParam(name, `Invalid array: ${name}`, 'parameter_invalid_array');
  return list;
}

/** A nested hash such as `automatic_payment_methods[enabled]=true`. */
export function optionalHash(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParam(name, `Invalid object`, 'parameter_invalid_object');
  return value as Params;
}

const METADATA_KEYS = 50;
const METADATA_KEY_LENGTH = 40;
const METADATA_VALUE_LENGTH = 500;

/**
 * Stripe's metadata rules: at most 50 keys of at most 40 characters, string
 * values of at most 500; an empty value removes the key; `metadata=` (empty)
 * clears everything on update.
 */
export function metadataUpdate(params: Params, current: Record<string, string> = {}): Record<string, string> | undefined {
  const value = params['metadata'];
  if (value === undefined) return undefined;
  if (value === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidParam('metadata', 'Invalid object', 'parameter_invalid_object');
  const next: Record<string, string> = { ...current };
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw invalidParam(`metadata[${key}]`, `Invalid metadata value for ${key}: must be a string`);
    if (key.length > METADATA_KEY_LENGTH) throw invalidParam(`metadata[${key}]`, `Metadata keys can have a maximum length of ${METADATA_KEY_LENGTH} characters.`);
    if (entry.length > METADATA_VALUE_LENGTH) throw invalidParam(`metadata[${key}]`, `Metadata values can have a maximum length of ${METADATA_VALUE_LENGTH} characters.`);
    if (entry === '') delete next[key];
    else next[key] = entry;
  }
  if (Object.keys(next).length > METADATA_KEYS) throw invalidParam('metadata', `Metadata can have a maximum of ${METADATA_KEYS} keys.`);
  return next;
}
