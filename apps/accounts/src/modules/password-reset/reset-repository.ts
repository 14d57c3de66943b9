import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { passwordResets } from '../../db/schema.js';

/** R-ID-1: a reset link works for 30 minutes from the request (on the database clock, like every other expiry check here). */
const RESET_TTL = sql`interval '30 minutes'`;

export async function insertReset(db: Queryable, userId: string): Promise<{ id: string; expiresAt: Date }> {
  const [row] = await db
    .insert(passwordResets)
    .values({ userId, expiresAt: sql`now() + ${RESET_TTL}` })
    .returning({ id: passwordResets.id, expiresAt: passwordResets.expiresAt });
  return row!;
}

/**
 * Gives a reset that was not sent yet its token (hash): only while it is
 * unsent, unused and unexpired, so a redelivered event after a successful
 * send does nothing, and one after a failed send replaces a token nobody
 * received. Undefined when there is nothing to send.
 */
export async function attachResetToken(db: Queryable, resetId: string, tokenHash: Buffer): Promise<{ userId: string; expiresAt: Date } | undefined> {
  const [row] = await db
    .update(passwordResets)
    .set({ tokenHash })
    .where(and(eq(passwordResets.id, resetId), isNull(passwordResets.sentAt), isNull(passwordResets.consumedAt), gt(passwordResets.expiresAt, sql`now()`)))
    .returning({ userId: passwordResets.userId, expiresAt: passwordResets.expiresAt });
  return row;
}

export async function markResetSent(db: Queryable, resetId: string): Promise<void> {
  await db.update(passwordResets).set({ sentAt: sql`now()` }).where(eq(passwordResets.id, resetId));
}

export interface PresentedReset {
  id: string;
  userId: string;
  expiresAt: Date;
  consumedAt: Date | null;
}

/** The reset a token belongs to, locked: two confirms of one token serialise, and only the first finds it unused. */
export async function lockResetByToken(db: Queryable, tokenHash: Buffer): Promise<PresentedReset | undefined> {
  const [row] = await db
    .select({ id: passwordResets.id, userId: passwordResets.userId, expiresAt: passwordResets.expiresAt, consumedAt: passwordResets.consumedAt })
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, tokenHash))
    .for('update')
    .limit(1);
  return row;
}

/** Every reset of the user still open, this one included, stops working: a password changes once per link. */
export async function consumeUserResets(db: Queryable, userId: string): Promise<void> {
  await db
    .update(passwordResets)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.consumedAt)));
}
