import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Private signing keys rest in the database encrypted (AES-256-GCM) under
 * SIGNING_KEY_ENCRYPTION_KEY, which lives only in the service's environment
 * (a secret store in production): a database dump alone cannot mint tokens.
 * The key id is the additional authenticated data, so a ciphertext moved to
 * another row does not decrypt.
 */
export interface KeyEncryption {
  encrypt(plaintext: string, kid: string): string;
  decrypt(sealed: string, kid: string): string;
}

export function createKeyEncryption(base64Key: string): KeyEncryption {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error('SIGNING_KEY_ENCRYPTION_KEY must decode to 32 bytes');
  return {
    encrypt(plaintext, kid) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(kid, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(sealed, kid) {
      const [version, iv, body] = sealed.split('.');
      if (version !== VERSION || !iv || !body) throw new Error(`signing key ${kid}: unknown encryption format`);
      const bytes = Buffer.from(body, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(kid, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}
