import { ROLES } from '@bursary/auth';
import { createEvent, enqueue, RoleGranted, UserSignedUp } from '@bursary/events';
import type { AccountsDb, Queryable } from '../../db/database.js';
import { outbox } from '../../db/schema.js';
import { AUDIT_ACTIONS, recordAudit, type AuditContext } from '../audit/audit-log.js';
import { assertAcceptablePassword } from '../credentials/credential-service.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { isPlausibleEmail, normalizeEmail } from './email-address.js';
import { addRole, findOrganization, findUserByEmail, insertOrganization, insertUser } from './user-repository.js';

export type GrantableRole = typeof ROLES.admin | typeof ROLES.provider;

export interface ProvisionInput {
  email: string;
  role: GrantableRole;
  /** Needed only when the account does not exist yet. */
  password?: string | undefined;
  /** For the provider role: an existing organization, or the name of a new one. */
  organization?: { id: string } | { name: string };
}

export interface ProvisionResult {
  userId: string;
  created: boolean;
  /** False when the user already had the role. */
  granted: boolean;
  organizationId?: string;
}

/** A mistake of the operator running a command, reported in one line. */
export class ProvisioningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisioningError';
  }
}

async function organizationFor(db: Queryable, input: ProvisionInput): Promise<string | undefined> {
  if (input.role !== ROLES.provider) return undefined;
  if (!input.organization) throw new ProvisioningError('a provider user needs an organization (--organization NAME or --organization-id UUID)');
  if ('id' in input.organization) {
    const found = await findOrganization(db, input.organization.id);
    if (!found) throw new ProvisioningError(`no organization ${input.organization.id}`);
    return found.id;
  }
  return (await insertOrganization(db, input.organization.name)).id;
}

/**
 * Creates an account with a role, or grants the role to an existing one
 * (R-ID-1: admins and provider users come from operator commands, never
 * from an endpoint). Every grant is audited and announced (R-ID-3).
 */
export async function provisionUser(db: AccountsDb, hasher: PasswordHasher, input: ProvisionInput, context: AuditContext): Promise<ProvisionResult> {
  const email = normalizeEmail(input.email);
  if (!isPlausibleEmail(email)) throw new ProvisioningError(`"${input.email}" is not a valid email address`);
  const existing = await findUserByEmail(db, email);
  if (!existing) {
    if (!input.password) throw new ProvisioningError(`${email} has no account yet: a password is needed to create it`);
    assertAcceptablePassword(input.password, email);
  } else if (input.role === ROLES.provider && existing.providerOrgId !== null) {
    throw new ProvisioningError(`${email} already belongs to provider organization ${existing.providerOrgId}`);
  }
  const passwordHash = existing ? undefined : await hasher.hash(input.password!);

  return db.transaction(async (tx) => {
    const organizationId = await organizationFor(tx, input);
    let userId: string;
    let created = false;
    let granted = true;
    if (existing) {
      userId = existing.id;
      granted = await addRole(tx, userId, input.role, organizationId);
    } else {
      const user = await insertUser(tx, { email, passwordHash: passwordHash!, roles: [input.role], ...(organizationId ? { providerOrgId: organizationId } : {}) });
      if (!user) throw new ProvisioningError(`${email} was created concurrently; run the command again`);
      userId = user.id;
      created = true;
      await enqueue(tx, outbox, createEvent(UserSignedUp, { subject: userId, data: { userId } }));
      await recordAudit(tx, context, { action: AUDIT_ACTIONS.signup, outcome: 'success', userId, details: { via: 'cli' } });
    }
    if (granted) {
      const data = { userId, role: input.role, ...(organizationId ? { organizationId } : {}) };
      await enqueue(tx, outbox, createEvent(RoleGranted, { subject: userId, data }));
      await recordAudit(tx, context, { action: AUDIT_ACTIONS.roleGranted, outcome: 'success', userId, details: { role: input.role, via: 'cli', ...(organizationId ? { organizationId } : {}) } });
    }
    return { userId, created, granted, ...(organizationId ? { organizationId } : {}) };
  });
}
