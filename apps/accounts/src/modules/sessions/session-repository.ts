import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/database.js';
import { refreshTokens, sessions } from '../../db/schema.js';

export type RevokeReason = 'logout' | 'reuse_detected' | 'password_reset';

export async function insertSession(db: Queryable, userId: string, expiresAt: Date): Promise<string> {
  const [row] = await db.insert(sessions).values({ userId, expiresAt }).returning({ id: sessions.id });
  return row!.id;
}

export async function insertRefreshToken(db: Queryable, values: { sessionId: string; tokenHash: Buffer; expiresAt: Date }): Promise<void> {
  await db.insert(refreshTokens).values(values);
}

export interface PresentedToken {
  tokenId: string;
  sessionId: string;
  userId: string;
  tokenExpiresAt: Date;
  rotatedAt: Date | null;
  sessionExpiresAt: Date;
  sessionRevokedAt: Date | null;
}

/**
 * The token and its session, the session row locked: two refreshes of one
 * family serialise here, so a token can be exchanged once and only once
 * (the second sees it rotated: reuse).
 */
export async function lockPresentedToken(db: Queryable, tokenHash: Buffer): Promise<PresentedToken | undefined> {
  const [row] = await db
    .select({
      tokenId: refreshTokens.id,
      sessionId: sessions.id,
      userId: sessions.userId,
      tokenExpiresAt: refreshTokens.expiresAt,
      rotatedAt: refreshTokens.rotatedAt,
      sessionExpiresAt: sessions.expiresAt,
      sessionRevokedAt: sessions.revokedAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update')
    .limit(1);
  return row;
}

export async function markRotated(db: Queryable, tokenId: string): Promise<void> {
  await db.update(refreshTokens).set({ rotatedAt: sql`now()` }).where(eq(refreshTokens.id, tokenId));
}

async function revokeWhere(db: Queryable, which: SQL | undefined, reason: RevokeReason): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(which, isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}

/** Revokes one family; true when it was still live. */
export async function revokeSession(db: Queryable, sessionId: string, reason: RevokeReason): Promise<boolean> {
  return (await revokeWhere(db, eq(sessions.id, sessionId), reason)) > 0;
}

/** Revokes every live family of a user (password reset); returns how many. */
export async function revokeUserSessions(db: Queryable, userId: string, reason: RevokeReason): Promise<number> {
  return revokeWhere(db, eq(sessions.userId, userId), reason);
}
