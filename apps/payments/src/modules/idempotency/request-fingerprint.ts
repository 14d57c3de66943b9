import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same request body always yields the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The fingerprint an Idempotency-Key is bound to (R-PAY-2): SHA-256 of the
 * canonical JSON of the validated body, so key order and whitespace do not
 * count as a different request, but any different value does.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonical(body ?? null)).digest('hex');
}
