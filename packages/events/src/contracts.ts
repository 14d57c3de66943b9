import { Type } from 'typebox';
import { defineEvent } from './contract.js';

// Payloads carry ids and facts, never secrets or PII (DESIGN.md §3.10): a
// consumer that needs an email address asks its owner by id. Objects are
// closed (additionalProperties: false) so a field cannot slip in unreviewed.

const Uuid = (description: string) => Type.String({ format: 'uuid', description });

export const UserSignedUp = defineEvent(
  'accounts.user.signed_up.v1',
  Type.Object({ userId: Uuid('the new user') }, { additionalProperties: false }),
  'A user account was created (R-ID).',
);

export const PasswordResetRequested = defineEvent(
  'accounts.password_reset.requested.v1',
  Type.Object(
    {
      userId: Uuid('the user who asked for a reset'),
      resetId: Uuid('the reset request (never the token itself)'),
      expiresAt: Type.String({ format: 'date-time', description: 'when the reset link stops working' }),
    },
    { additionalProperties: false },
  ),
  'A password reset was requested; the token stays in accounts.',
);

export const PasswordChanged = defineEvent(
  'accounts.user.password_changed.v1',
  Type.Object(
    {
      userId: Uuid('the user whose password changed'),
      reason: Type.Union([Type.Literal('reset')], { description: 'how it changed: reset = a password reset was confirmed' }),
    },
    { additionalProperties: false },
  ),
  'A password was changed and every session of the user was revoked (R-ID-1).',
);

export const RoleGranted = defineEvent(
  'accounts.user.role_granted.v1',
  Type.Object(
    {
      userId: Uuid('the user who received the role'),
      role: Type.Union([Type.Literal('admin'), Type.Literal('provider')], { description: 'the role granted' }),
      organizationId: Type.Optional(Uuid('the provider organization, for the provider role')),
    },
    { additionalProperties: false },
  ),
  'A role was granted to a user (by an operator command, never an endpoint) (R-ID-3).',
);

export const PurchaseCompleted = defineEvent(
  'payments.purchase.completed.v1',
  Type.Object(
    {
      purchaseId: Uuid('the purchase'),
      userId: Uuid('the buyer'),
      amountMinor: Type.Integer({ minimum: 0, description: 'the amount charged in minor units (cents)' }),
      currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' }),
      credits: Type.Integer({ minimum: 0, description: 'credits granted' }),
    },
    { additionalProperties: false },
  ),
  'A credit purchase was paid and recorded in the ledger (R-PAY).',
);

/** Every contract the platform knows; consumers and the outbox validate against these. */
export const eventContracts = [UserSignedUp, PasswordResetRequested, PasswordChanged, RoleGranted, PurchaseCompleted] as const;
