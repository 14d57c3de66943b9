import { and, inArray, isNotNull, sql } from 'drizzle-orm';
import type { JWK } from 'jose';
import type { Queryable } from '../../db/database.js';
import { signingKeys } from '../../db/schema.js';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  publicJwk: JWK;
  privateKeyEncrypted: string | null;
  createdAt: Date;
  activatesAt: Date;
}

export async function listSigningKeys(db: Queryable): Promise<SigningKeyRow[]> {
  const rows = await db.select().from(signingKeys).orderBy(signingKeys.activatesAt);
  return rows.map((row) => ({ ...row, publicJwk: row.publicJwk as JWK }));
}

export async function insertSigningKey(db: Queryable, row: Omit<SigningKeyRow, 'createdAt'>): Promise<void> {
  await db.insert(signingKeys).values(row);
}

/** Serialises key creation across instances and commands, inside the caller's transaction. */
export async function lockSigningKeys(db: Queryable): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('accounts:signing-keys'))`);
}

export async function deleteSigningKeys(db: Queryable, kids: string[]): Promise<void> {
  if (kids.length > 0) await db.delete(signingKeys).where(inArray(signingKeys.kid, kids));
}

/** A key that will never sign again keeps only its public half. */
export async function dropPrivateKeys(db: Queryable, kids: string[]): Promise<void> {
  if (kids.length === 0) return;
  await db
    .update(signingKeys)
    .set({ privateKeyEncrypted: null })
    .where(and(inArray(signingKeys.kid, kids), isNotNull(signingKeys.privateKeyEncrypted)));
}
