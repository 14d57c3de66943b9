/**
 * The Authorization header of a request, as far as bearer auth is concerned
 * (RFC 6750 §2.1: `Bearer` 1*SP b64token, scheme case-insensitive).
 *   none       no Authorization header, or another scheme (Basic…)
 *   malformed  a Bearer header whose token cannot be a JWS compact serialization
 *   token      the token, still to be verified
 */
export type BearerCredentials = { readonly kind: 'none' } | { readonly kind: 'malformed'; readonly reason: string } | { readonly kind: 'token'; readonly token: string };

const BEARER = /^bearer(?:[ \t]+(.*))?$/is;
// Three base64url parts (JWS compact serialization, RFC 7515 §7.1). An
// access token is never unsigned, so the signature part is not empty.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export function bearerCredentials(header: string | string[] | undefined, maxTokenBytes: number): BearerCredentials {
  if (header === undefined) return { kind: 'none' };
  if (Array.isArray(header)) return { kind: 'malformed', reason: 'several Authorization headers' };
  const match = BEARER.exec(header.trim());
  if (!match) return { kind: 'none' };
  const token = (match[1] ?? '').trim();
  if (token === '') return { kind: 'malformed', reason: 'empty bearer token' };
  // Length first: the pattern below must never run on megabytes.
  if (token.length > maxTokenBytes) return { kind: 'malformed', reason: 'token too large' };
  if (!COMPACT_JWS.test(token)) return { kind: 'malformed', reason: 'not a JWS compact serialization' };
  return { kind: 'token', token };
}
