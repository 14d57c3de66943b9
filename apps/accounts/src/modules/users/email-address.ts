/**
 * The one spelling of an email address we store and look up: NFKC (so a
 * full-width or composed variant is the same address), trimmed, lower-cased.
 * Lower-casing the local part is not RFC 5321 strictness but what users
 * expect: `Ada@Example.com` and `ada@example.com` are one account.
 */
export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/** Shape checked after normalization: one @, a dot in the domain, no spaces or controls, RFC 5321 lengths. */
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function isPlausibleEmail(normalized: string): boolean {
  return normalized.length <= 254 && EMAIL.test(normalized);
}
