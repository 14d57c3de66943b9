import { createEvent, enqueue, UserSignedUp } from '@bursary/events';
import { ROLES } from '@bursary/auth';
import type { AccountsDb } from '../../db/database.js';
import { outbox } from '../../db/schema.js';
import { AUDIT_ACTIONS, recordAudit, type AuditContext, type AuditDetails } from '../audit/audit-log.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { passwordViolations } from '../passwords/password-policy.js';
import type { SessionService, TokenPair } from '../sessions/session-service.js';
import { isPlausibleEmail, normalizeEmail } from '../users/email-address.js';
import { findUserByEmail, insertUser, setPasswordHash } from '../users/user-repository.js';
import { CredentialErrors } from './credential-errors.js';

export interface Credentials {
  email: string;
  password: string;
}

/** Which door a login came through: the provider portal admits provider users only. */
export type LoginPortal = 'student' | 'provider';

export interface CredentialService {
  /**
   * Creates the account. A taken email gets the same 201 and body as a new
   * one (and nothing changes), so signup cannot be used to find out who has
   * an account; the owner recovers through password reset (docs/adr/0004).
   */
  signup(input: Credentials, context: AuditContext): Promise<{ email: string }>;
  login(input: Credentials, portal: LoginPortal, context: AuditContext): Promise<TokenPair>;
}

export interface CredentialOptions {
  db: AccountsDb;
  hasher: PasswordHasher;
  sessions: SessionService;
}

/** The policy check as an error: every violation listed, each with its rule id and an explanation. */
export function assertAcceptablePassword(password: string, email: string, field = '/body/password'): void {
  const violations = passwordViolations(password, email);
  if (violations.length === 0) return;
  throw CredentialErrors.AUTH_PASSWORD_REJECTED({
    detail: violations.map((violation) => violation.message).join(' '),
    errors: violations.map((violation) => ({ field, message: violation.message })),
    extensions: { violations: violations.map((violation) => violation.rule) },
  });
}

export function createCredentialService(options: CredentialOptions): CredentialService {
  const { db, hasher } = options;

  return {
    async signup(input, context) {
      const email = normalizeEmail(input.email);
      if (!isPlausibleEmail(email)) throw CredentialErrors.AUTH_INVALID_EMAIL({ errors: [{ field: '/body/email', message: 'not a valid email address' }] });
      assertAcceptablePassword(input.password, email);
      // Hashed before we know whether the email is taken: both answers cost the same.
      const passwordHash = await hasher.hash(input.password);
      await db.transaction(async (tx) => {
        const user = await insertUser(tx, { email, passwordHash });
        if (!user) {
          const existing = await findUserByEmail(tx, email);
          await recordAudit(tx, context, { action: AUDIT_ACTIONS.signup, outcome: 'failure', userId: existing?.id, details: { reason: 'duplicate_email' } });
          return;
        }
        await enqueue(tx, outbox, createEvent(UserSignedUp, { subject: user.id, data: { userId: user.id } }));
        await recordAudit(tx, context, { action: AUDIT_ACTIONS.signup, outcome: 'success', userId: user.id });
      });
      return { email };
    },

    async login(input, portal, context) {
      const action = portal === 'provider' ? AUDIT_ACTIONS.providerLogin : AUDIT_ACTIONS.login;
      const email = normalizeEmail(input.email);
      const user = isPlausibleEmail(email) ? await findUserByEmail(db, email) : undefined;
      // Always one argon2 verification, against a dummy hash for an unknown email (R-ID-2).
      const matches = await hasher.verify(user?.passwordHash, input.password);
      let reason: AuditDetails['reason'];
      if (!user) reason = 'unknown_account';
      else if (!matches) reason = 'wrong_password';
      else if (portal === 'provider' && !user.roles.includes(ROLES.provider)) reason = 'not_provider';
      if (!user || reason) {
        await recordAudit(db, context, { action, outcome: 'failure', userId: user?.id, details: { reason } });
        throw CredentialErrors.AUTH_INVALID_CREDENTIALS({ detail: 'The email or password is incorrect.' });
      }
      return db.transaction(async (tx) => {
        // Parameters raised since this hash was made: upgrade it now that we hold the password.
        if (hasher.needsRehash(user.passwordHash)) await setPasswordHash(tx, user.id, await hasher.hash(input.password), false);
        const pair = await options.sessions.start(tx, user);
        await recordAudit(tx, context, { action, outcome: 'success', userId: user.id });
        return pair;
      });
    },
  };
}
