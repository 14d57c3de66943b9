import type { EventOf, PasswordResetRequested } from '@bursary/events';
import type { AccountsDb } from '../../db/database.js';
import { hashOpaqueToken, newOpaqueToken } from '../tokens/opaque-token.js';
import { findUserById } from '../users/user-repository.js';
import { resetEmail, type OutgoingEmail } from './reset-email.js';
import { attachResetToken, markResetSent } from './reset-repository.js';

/** What sends the email: nodemailer's SMTP transport in the service, anything with `sendMail` in tests. */
export interface MailTransport {
  sendMail(message: OutgoingEmail): Promise<unknown>;
}

export interface ResetMailerOptions {
  db: AccountsDb;
  transport: MailTransport;
  from: string;
  resetUrl: string;
}

/**
 * Handles `accounts.password_reset.requested.v1`: mints the token (it exists
 * only in the email and as a hash), sends the email, marks the reset sent.
 * At least once: a failed send throws, the consumer redelivers later and a
 * fresh token replaces the one that never left; a redelivery after a
 * successful send finds the reset sent and does nothing.
 */
export function createResetMailer(options: ResetMailerOptions) {
  return async (event: EventOf<typeof PasswordResetRequested>): Promise<'sent' | 'skipped'> => {
    const { resetId } = event.data;
    const token = newOpaqueToken();
    const pending = await attachResetToken(options.db, resetId, hashOpaqueToken(token));
    if (!pending) return 'skipped';
    const user = await findUserById(options.db, pending.userId);
    if (!user) return 'skipped';
    await options.transport.sendMail(resetEmail({ to: user.email, from: options.from, resetUrl: options.resetUrl, token, expiresAt: pending.expiresAt }));
    await markResetSent(options.db, resetId);
    return 'sent';
  };
}
