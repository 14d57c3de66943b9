import { createEvent, enqueue, PasswordChanged, PasswordResetRequested } from '@bursary/events';
import type { AccountsDb } from '../../db/database.js';
import { outbox } from '../../db/schema.js';
import { AUDIT_ACTIONS, recordAudit, type AuditContext, type AuditDetails } from '../audit/audit-log.js';
import { CredentialErrors } from '../credentials/credential-errors.js';
import { assertAcceptablePassword } from '../credentials/credential-service.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { revokeUserSessions } from '../sessions/session-repository.js';
import { hashOpaqueToken } from '../tokens/opaque-token.js';
import { isPlausibleEmail, normalizeEmail } from '../users/email-address.js';
import { findUserByEmail, findUserById, setPasswordHash } from '../users/user-repository.js';
import { consumeUserResets, insertReset, lockResetByToken } from './reset-repository.js';

export interface ResetService {
  /** Always resolves: the caller answers 202 whether or not the email has an account (R-ID-2). */
  request(email: string, context: AuditContext): Promise<void>;
  /** Sets the new password, burns the token and every other open reset, revokes every session (R-ID-1). */
  confirm(token: string, newPassword: string, context: AuditContext): Promise<void>;
}

export interface ResetOptions {
  db: AccountsDb;
  hasher: PasswordHasher;
}

type ConfirmFailure = { reason: NonNullable<AuditDetails['reason']>; userId?: string };

export function createResetService(options: ResetOptions): ResetService {
  const { db, hasher } = options;

  return {
    async request(rawEmail, context) {
      const email = normalizeEmail(rawEmail);
      const user = isPlausibleEmail(email) ? await findUserByEmail(db, email) : undefined;
      if (!user) {
        await recordAudit(db, context, { action: AUDIT_ACTIONS.passwordResetRequested, outcome: 'failure', details: { reason: 'unknown_account' } });
        return;
      }
      await db.transaction(async (tx) => {
        const { id: resetId, expiresAt } = await insertReset(tx, user.id);
        // No token and no address in the event: the mailer mints the token and reads the address by id.
        await enqueue(tx, outbox, createEvent(PasswordResetRequested, { subject: user.id, data: { userId: user.id, resetId, expiresAt: expiresAt.toISOString() } }));
        await recordAudit(tx, context, { action: AUDIT_ACTIONS.passwordResetRequested, outcome: 'success', userId: user.id });
      });
    },

    async confirm(token, newPassword, context) {
      const failure = await db.transaction(async (tx): Promise<ConfirmFailure | undefined> => {
        const reset = await lockResetByToken(tx, hashOpaqueToken(token));
        if (!reset) return { reason: 'unknown_token' };
        if (reset.consumedAt !== null) return { reason: 'used', userId: reset.userId };
        if (reset.expiresAt.getTime() <= Date.now()) return { reason: 'expired', userId: reset.userId };
        const user = await findUserById(tx, reset.userId);
        if (!user) return { reason: 'unknown_account', userId: reset.userId };
        // Throws (and rolls back, leaving the token usable) when the new password breaks the policy.
        assertAcceptablePassword(newPassword, user.email, '/body/newPassword');
        await setPasswordHash(tx, user.id, await hasher.hash(newPassword), true);
        await consumeUserResets(tx, user.id);
        await revokeUserSessions(tx, user.id, 'password_reset');
        await enqueue(tx, outbox, createEvent(PasswordChanged, { subject: user.id, data: { userId: user.id, reason: 'reset' } }));
        await recordAudit(tx, context, { action: AUDIT_ACTIONS.passwordResetConfirmed, outcome: 'success', userId: user.id });
        return undefined;
      });
      if (!failure) return;
      await recordAudit(db, context, { action: AUDIT_ACTIONS.passwordResetConfirmed, outcome: 'failure', userId: failure.userId, details: { reason: failure.reason } });
      throw CredentialErrors.AUTH_INVALID_RESET_TOKEN({ detail: 'The reset link is invalid, expired or already used; request a new one.' });
    },
  };
}
