import { Type } from 'typebox';
import { defineEvent } from './contract.js';

// Payments events (R-PAY-1, R-PAY-5) beside payments.purchase.completed.v1
// (contracts.ts): ids, amounts in integer minor units and ISO 4217 codes only,
// no PII (DESIGN.md §3.10). A provider organization is the token's opaque `org`.

const Uuid = (description: string) => Type.String({ format: 'uuid', description });
const Identifier = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });
const Minor = (description: string) => Type.Integer({ minimum: 0, description: `${description} in minor units (cents)` });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });

export const RefundCompleted = defineEvent(
  'payments.refund.completed.v1',
  Type.Object(
    {
      refundId: Uuid('the refund'),
      purchaseId: Uuid('the refunded purchase'),
      userId: Uuid('the buyer'),
      amountMinor: Minor('the amount refunded'),
      currency: Currency,
      creditsReversed: Type.Integer({ minimum: 0, description: 'credits taken back from the buyer' }),
    },
    { additionalProperties: false },
  ),
  'A refund was paid back by the PSP and reversed in the ledger (R-PAY-5).',
);

export const ProviderFeeCaptured = defineEvent(
  'payments.provider_fee.captured.v1',
  Type.Object(
    {
      purchaseId: Uuid('the provider payment'),
      providerOrgId: Identifier('the provider organization paid'),
      grossMinor: Minor('the amount the student paid'),
      feeMinor: Minor('the platform fee (3%, rounded half up)'),
      payableMinor: Minor('what the platform owes the provider (gross − fee)'),
      currency: Currency,
    },
    { additionalProperties: false },
  ),
  'A provider payment was captured: the platform fee and the provider payable were posted (R-PAY-5).',
);

export const PayoutRecorded = defineEvent(
  'payments.payout.recorded.v1',
  Type.Object(
    {
      payoutId: Uuid('the payout'),
      providerOrgId: Identifier('the provider organization paid out'),
      amountMinor: Minor('the amount paid out'),
      currency: Currency,
    },
    { additionalProperties: false },
  ),
  'Money owed to a provider was paid out and posted against its payable (R-PAY-5).',
);

export const paymentsEventContracts = [RefundCompleted, ProviderFeeCaptured, PayoutRecorded] as const;
