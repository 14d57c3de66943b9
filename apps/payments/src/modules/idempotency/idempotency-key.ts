import { IdempotencyErrors } from './idempotency-errors.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const MAX_LENGTH = 255;
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * The Idempotency-Key of a request (R-PAY-2). The IETF draft makes it a
 * Structured Field string (`"…"`, with `\"` and `\\` escapes); Stripe clients
 * send it bare. Both are accepted; the value is 1–255 printable ASCII
 * characters. Two headers, or a list, are refused: which one would count?
 */
export function parseIdempotencyKey(header: string | string[] | undefined): string {
  if (header === undefined) throw IdempotencyErrors.IDEMPOTENCY_KEY_MISSING();
  if (Array.isArray(header)) throw IdempotencyErrors.IDEMPOTENCY_KEY_INVALID({ detail: 'Send exactly one Idempotency-Key header.' });
  const raw = header.trim();
  if (raw === '') throw IdempotencyErrors.IDEMPOTENCY_KEY_MISSING();
  const value = raw.startsWith('"') ? unquote(raw) : raw;
  if (value === undefined || value.length === 0 || value.length > MAX_LENGTH || !PRINTABLE.test(value)) {
    throw IdempotencyErrors.IDEMPOTENCY_KEY_INVALID({ detail: `The Idempotency-Key must be 1–${MAX_LENGTH} printable ASCII characters, bare or quoted.` });
  }
  return value;
}

/** An sf-string (RFC 8941 §3.3.3) to its value; undefined when malformed. */
function unquote(quoted: string): string | undefined {
  if (quoted.length < 2 || !quoted.endsWith('"')) return undefined;
  let value = '';
  for (let index = 1; index < quoted.length - 1; index++) {
    const char = quoted[index]!;
    if (char === '\\') {
      const next = quoted[++index];
      if (next !== '"' && next !== '\\') return undefined;
      value += next;
    } else if (char === '"') {
      return undefined;
    } else {
      value += char;
    }
  }
  return value;
}
