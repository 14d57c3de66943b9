import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Stripe-shaped object id: `pi_3Mtw…` (prefix, underscore, 24 base-62 characters). */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}

/** Stripe's timestamps are whole Unix seconds. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
