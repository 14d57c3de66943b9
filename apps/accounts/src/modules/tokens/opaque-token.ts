import { createHash, randomBytes } from 'node:crypto';

/**
 * An opaque bearer secret (refresh token, password reset token): 32 random
 * bytes, base64url (43 characters). Only its SHA-256 is stored. A fast hash
 * is enough here, unlike for passwords: 256 bits of entropy cannot be
 * guessed from a leaked digest, so a stolen table yields no usable token.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

