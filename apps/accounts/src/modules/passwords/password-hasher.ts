import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** argon2id cost parameters (R-ID-2); defaults and floors in config.ts, reasons in docs/adr/0004. */
export interface Argon2Params {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Whether `password` matches `storedHash`. With no stored hash (unknown
   * account) it verifies against a dummy hash of the same cost and returns
   * false, so both failures take the same time (R-ID-2: no account oracle).
   */
  verify(storedHash: string | undefined, password: string): Promise<boolean>;
  /** A hash made with weaker parameters than the current ones: re-hash it on the next successful login. */
  needsRehash(storedHash: string): boolean;
}

/**
 * Passwords are compared in NFKC, so the same password typed on another
 * keyboard or OS (composed vs decomposed accents) still matches (NIST SP
 * 800-63B §5.1.1.2).
 */
function prepare(password: string): string {
  return password.normalize('NFKC');
}

export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  const options = { type: argon2.argon2id, memoryCost: params.memoryKiB, timeCost: params.timeCost, parallelism: params.parallelism } as const;
  // Computed once, up front, so that even the first unknown-email login costs one verify like every other.
  const dummyHash = argon2.hash(randomBytes(16).toString('hex'), options);

  return {
    hash: (password) => argon2.hash(prepare(password), options),
    async verify(storedHash, password) {
      if (storedHash === undefined) {
        await argon2.verify(await dummyHash, prepare(password));
        return false;
      }
      try {
        return await argon2.verify(storedHash, prepare(password));
      } catch {
        // A stored value that is not a PHC argon2 string matches nothing.
        return false;
      }
    },
    needsRehash: (storedHash) => argon2.needsRehash(storedHash, { memoryCost: options.memoryCost, timeCost: options.timeCost, parallelism: options.parallelism }),
  };
}
