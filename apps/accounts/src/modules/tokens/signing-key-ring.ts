import { importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { AccountsDb } from '../../db/database.js';
import type { KeyEncryption } from './key-encryption.js';
import { ensureSigningKey, SIGNING_ALGORITHM } from './key-rotation.js';
import { activeKey, keyPhases } from './key-schedule.js';
import { listSigningKeys, type SigningKeyRow } from './signing-key-repository.js';

export interface ActiveSigningKey {
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  privateKey: CryptoKey;
}

export interface SigningKeyRing {
  /** The key that signs now; creates the very first one if the table is empty. */
  signingKey(): Promise<ActiveSigningKey>;
  /** The public keys to publish at /.well-known/jwks.json. */
  publicKeys(): Promise<JWK[]>;
}

export interface SigningKeyRingOptions {
  db: AccountsDb;
  encryption: KeyEncryption;
  /** How long one read of the key table is used (SIGNING_KEYS_CACHE_S): a rotation reaches every instance within it. */
  cacheMs: number;
  /** Access-token lifetime plus clock tolerance: how long a retired key stays published. */
  verifyWindowMs: number;
  now?: () => number;
}

interface Snapshot {
  loadedAt: number;
  rows: SigningKeyRow[];
}

/**
 * Every instance reads the keys from the shared table and caches them for a
 * few seconds, so a rotation needs no restart and no coordination. Signing
 * follows the schedule (key-schedule.ts) against the clock, not the cache:
 * a pre-published key starts signing on time even between two reads.
 */
export function createSigningKeyRing(options: SigningKeyRingOptions): SigningKeyRing {
  const now = options.now ?? Date.now;
  let snapshot: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;
  const imported = new Map<string, Promise<CryptoKey>>();

  const load = (force = false): Promise<Snapshot> => {
    if (!force && snapshot && now() - snapshot.loadedAt < options.cacheMs) return Promise.resolve(snapshot);
    loading ??= listSigningKeys(options.db)
      .then((rows) => (snapshot = { loadedAt: now(), rows }))
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  const privateKeyOf = (row: SigningKeyRow): Promise<CryptoKey> => {
    let key = imported.get(row.kid);
    if (!key) {
      if (row.privateKeyEncrypted === null) throw new Error(`signing key ${row.kid} has no private key`);
      key = importPKCS8(options.encryption.decrypt(row.privateKeyEncrypted, row.kid), SIGNING_ALGORITHM);
      imported.set(row.kid, key);
    }
    return key;
  };

  const usable = (rows: SigningKeyRow[]) => activeKey(rows.filter((row) => row.privateKeyEncrypted !== null), now());

  return {
    async signingKey() {
      let row = usable((await load()).rows);
      if (!row) {
        await ensureSigningKey(options.db, options.encryption);
        row = usable((await load(true)).rows);
      }
      if (!row) throw new Error('no signing key is active');
      return { kid: row.kid, alg: SIGNING_ALGORITHM, privateKey: await privateKeyOf(row) };
    },
    async publicKeys() {
      let { rows } = await load();
      if (rows.length === 0) {
        await ensureSigningKey(options.db, options.encryption);
        ({ rows } = await load(true));
      }
      return keyPhases(rows, now(), options.verifyWindowMs).published.map((row) => row.publicJwk);
    },
  };
}
