import type { Queryable } from '../../db/database.js';
import { auditLog } from '../../db/schema.js';

/** What happened (R-ID-3). Stable strings: dashboards and investigations query them. */
export const AUDIT_ACTIONS = {
  signup: 'signup',
  login: 'login',
  providerLogin: 'provider_login',
  refresh: 'refresh',
  refreshReuse: 'refresh_reuse',
  logout: 'logout',
  passwordResetRequested: 'password_reset_requested',
  passwordResetConfirmed: 'password_reset_confirmed',
  roleGranted: 'role_granted',
} as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

export type AuditOutcome = 'success' | 'failure';

/** Who asked: from the request (ip via TRUSTED_PROXIES, request id), or the operator command that ran. */
export interface AuditContext {
  ip: string | undefined;
  requestId: string | undefined;
}

/**
 * Facts that identify nobody: a machine reason, a role, an organization id.
 * Deliberately a closed type: an email, password or token has no field to go in.
 */
export interface AuditDetails {
  reason?: 'unknown_account' | 'wrong_password' | 'not_provider' | 'duplicate_email' | 'unknown_token' | 'expired' | 'revoked' | 'reused' | 'used';
  role?: 'admin' | 'provider';
  organizationId?: string;
  sessionId?: string;
  via?: 'cli';
}

export interface AuditEntry {
  action: AuditAction;
  outcome: AuditOutcome;
  userId?: string | undefined;
  details?: AuditDetails;
}

/**
 * Appends one row. Pass the transaction of the change it records, so the row
 * exists if and only if the change does; failures (nothing changed) are
 * written on their own.
 */
export async function recordAudit(db: Queryable, context: AuditContext, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    outcome: entry.outcome,
    userId: entry.userId ?? null,
    ip: context.ip ?? null,
    requestId: context.requestId ?? null,
    details: entry.details ?? {},
  });
}
