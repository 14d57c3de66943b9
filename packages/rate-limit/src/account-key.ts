import { createHash } from 'node:crypto';

/** Bodies larger than this are not searched for an account identifier. */
const MAX_BODY_BYTES = 16 * 1024;

function parseBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) {
    if (body.length === 0 || body.length > MAX_BODY_BYTES) return undefined;
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      return undefined;
    }
  }
  if (typeof body === 'string') return body.length > MAX_BODY_BYTES ? undefined : parseBody(Buffer.from(body));
  return body;
}

/**
 * The account an auth request is about (login, signup, password reset), read
 * from the first present of `fields` in a JSON body (parsed object, or the
 * raw Buffer a proxy keeps). Normalized (trimmed, lower-cased) and hashed, so
 * neither Redis keys nor logs hold an email address. Undefined when the body
 * names no account: the per-account policy then does not apply.
 */
export function accountKeyFromBody(body: unknown, fields: readonly string[] = ['email', 'username', 'login']): string | undefined {
  const parsed = parseBody(body);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  for (const field of fields) {
    const value = (parsed as Record<string, unknown>)[field];
    if (typeof value !== 'string') continue;
    const normalized = value.normalize('NFKC').trim().toLowerCase();
    if (normalized === '' || normalized.length > 320) continue;
    return createHash('sha256').update(normalized).digest('base64url').slice(0, 32);
  }
  return undefined;
}
