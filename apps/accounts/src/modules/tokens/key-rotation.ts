import { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import type { AccountsDb } from '../../db/database.js';
import type { KeyEncryption } from './key-encryption.js';
import { activeKey, keyPhases } from './key-schedule.js';
import { deleteSigningKeys, dropPrivateKeys, insertSigningKey, listSigningKeys, lockSigningKeys } from './signing-key-repository.js';

/** Ed25519 (RFC 8037): small keys and signatures, fast, no nonce to get wrong; the gateway accepts it (AUTH_ALGORITHMS). */
export const SIGNING_ALGORITHM = 'EdDSA';

async function newKey(encryption: KeyEncryption, activatesAt: Date) {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(publicKey);
  // RFC 7638 thumbprint: the kid is derived from the key, so it is unique and stable.
  const kid = await calculateJwkThumbprint(jwk);
  const publicJwk = { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return { kid, alg: SIGNING_ALGORITHM, publicJwk, privateKeyEncrypted: encryption.encrypt(await exportPKCS8(privateKey), kid), activatesAt };
}

/**
 * Makes sure some key signs now: the first boot of the first instance
 * creates one, active at once (no token exists yet that a gateway could
 * fail to verify). Instances racing here serialise on an advisory lock.
 */
export async function ensureSigningKey(db: AccountsDb, encryption: KeyEncryption): Promise<void> {
  await db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    if (activeKey(await listSigningKeys(tx), Date.now())) return;
    await insertSigningKey(tx, await newKey(encryption, new Date()));
  });
}

export interface RotationResult {
  kid: string;
  activatesAt: Date;
  /** Keys whose private half was dropped (they will never sign again). */
  retired: string[];
  /** Keys removed from the JWKS (no unexpired token can carry them). */
  deleted: string[];
}

/**
 * A scheduled rotation: the new key is published now and signs after
 * `publishLeadMs`, by which time every gateway has refetched the JWKS, so no
 * token is ever signed by a key a verifier has not seen. The old key keeps
 * verifying until its last token expires. `immediate` (a compromised key)
 * signs with the new key at once and deletes every other key: tokens they
 * signed fail once gateways refetch the JWKS; clients recover with their
 * refresh tokens.
 */
export async function rotateSigningKey(
  db: AccountsDb,
  encryption: KeyEncryption,
  options: { publishLeadMs: number; verifyWindowMs: number; immediate?: boolean },
): Promise<RotationResult> {
  return db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const existing = await listSigningKeys(tx);
    const now = Date.now();
    const key = await newKey(encryption, new Date(options.immediate ? now : now + options.publishLeadMs));
    await insertSigningKey(tx, key);
    if (options.immediate) {
      const others = existing.map((row) => row.kid);
      await deleteSigningKeys(tx, others);
      return { kid: key.kid, activatesAt: key.activatesAt, retired: [], deleted: others };
    }
    const phases = keyPhases([...existing, { ...key, createdAt: new Date(now) }], now, options.verifyWindowMs);
    const expired = phases.expired.map((row) => row.kid);
    const retired = phases.retired.map((row) => row.kid).filter((kid) => !expired.includes(kid));
    await deleteSigningKeys(tx, expired);
    await dropPrivateKeys(tx, retired);
    return { kid: key.kid, activatesAt: key.activatesAt, retired, deleted: expired };
  });
}
