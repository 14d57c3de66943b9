import type { AccountsDb, AccountsTx } from '../../db/database.js';
import { AUDIT_ACTIONS, recordAudit, type AuditContext, type AuditDetails } from '../audit/audit-log.js';
import { CredentialErrors } from '../credentials/credential-errors.js';
import type { AccessTokens } from '../tokens/access-tokens.js';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token.js';
import { findUserById, type UserRecord } from '../users/user-repository.js';
import { insertRefreshToken, insertSession, lockPresentedToken, markRotated, revokeSession, type PresentedToken } from './session-repository.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface SessionOptions {
  db: AccountsDb;
  accessTokens: AccessTokens;
  refreshTokenTtlMs: number;
  sessionMaxAgeMs: number;
}

export interface SessionService {
  /** A new login: a session (token family) with its first refresh token, in the caller's transaction. */
  start(tx: AccountsTx, user: UserRecord): Promise<TokenPair>;
  /** Exchanges a refresh token for a new pair (rotation); a rotated token presented again revokes its family (R-ID-1). */
  refresh(refreshToken: string, context: AuditContext): Promise<TokenPair>;
  /** Revokes the family of the token; unknown tokens are ignored (logout is idempotent and reveals nothing). */
  logout(refreshToken: string, context: AuditContext): Promise<void>;
}

type RefreshOutcome = { ok: true; pair: TokenPair } | { ok: false; reason: NonNullable<AuditDetails['reason']>; userId?: string };

export function createSessionService(options: SessionOptions): SessionService {
  const { db, accessTokens } = options;

  const mint = async (tx: AccountsTx, user: UserRecord, sessionId: string, sessionExpiresAt: Date): Promise<TokenPair> => {
    const refreshToken = newOpaqueToken();
    const expiresAt = new Date(Math.min(Date.now() + options.refreshTokenTtlMs, sessionExpiresAt.getTime()));
    await insertRefreshToken(tx, { sessionId, tokenHash: hashOpaqueToken(refreshToken), expiresAt });
    const access = await accessTokens.issue({ userId: user.id, roles: user.roles, providerOrgId: user.providerOrgId, sessionId });
    return { ...access, refreshToken, tokenType: 'Bearer' };
  };

  const exchange = async (tx: AccountsTx, presented: PresentedToken | undefined, context: AuditContext): Promise<RefreshOutcome> => {
    if (!presented) return { ok: false, reason: 'unknown_token' };
    const { userId } = presented;
    if (presented.sessionRevokedAt !== null) return { ok: false, reason: 'revoked', userId };
    if (presented.rotatedAt !== null) {
      // The token was already exchanged: either the client or a thief holds a
      // copy. We cannot tell which, so the whole family dies (OAuth 2.0 Security BCP §4.14.2).
      await revokeSession(tx, presented.sessionId, 'reuse_detected');
      await recordAudit(tx, context, { action: AUDIT_ACTIONS.refreshReuse, outcome: 'failure', userId, details: { reason: 'reused', sessionId: presented.sessionId } });
      return { ok: false, reason: 'reused', userId };
    }
    const now = Date.now();
    if (presented.tokenExpiresAt.getTime() <= now || presented.sessionExpiresAt.getTime() <= now) return { ok: false, reason: 'expired', userId };
    const user = await findUserById(tx, userId);
    if (!user) return { ok: false, reason: 'unknown_account', userId };
    await markRotated(tx, presented.tokenId);
    return { ok: true, pair: await mint(tx, user, presented.sessionId, presented.sessionExpiresAt) };
  };

  return {
    async start(tx, user) {
      const sessionExpiresAt = new Date(Date.now() + options.sessionMaxAgeMs);
      const sessionId = await insertSession(tx, user.id, sessionExpiresAt);
      return mint(tx, user, sessionId, sessionExpiresAt);
    },

    async refresh(refreshToken, context) {
      const outcome = await db.transaction(async (tx) => exchange(tx, await lockPresentedToken(tx, hashOpaqueToken(refreshToken)), context));
      if (outcome.ok) return outcome.pair;
      // Reuse was audited in its transaction; the other refusals change nothing and are audited here.
      if (outcome.reason !== 'reused') {
        await recordAudit(db, context, { action: AUDIT_ACTIONS.refresh, outcome: 'failure', userId: outcome.userId, details: { reason: outcome.reason } });
      }
      throw CredentialErrors.AUTH_INVALID_REFRESH_TOKEN({ detail: 'The refresh token is invalid, expired or revoked; log in again.' });
    },

    async logout(refreshToken, context) {
      await db.transaction(async (tx) => {
        const presented = await lockPresentedToken(tx, hashOpaqueToken(refreshToken));
        if (!presented) return;
        const revoked = await revokeSession(tx, presented.sessionId, 'logout');
        await recordAudit(tx, context, {
          action: AUDIT_ACTIONS.logout,
          outcome: revoked ? 'success' : 'failure',
          userId: presented.userId,
          details: revoked ? { sessionId: presented.sessionId } : { sessionId: presented.sessionId, reason: 'revoked' },
        });
      });
    },
  };
}
