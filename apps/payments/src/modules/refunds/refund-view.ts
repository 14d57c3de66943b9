import { Type, type Static } from 'typebox';
import type { RefundRow } from './refund-repository.js';

export const RefundView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    purchaseId: Type.String({ format: 'uuid' }),
    amountMinor: Type.Integer({ description: 'refunded amount in minor units (cents)' }),
    currency: Type.String({ description: 'ISO 4217' }),
    creditsReversed: Type.Integer({ description: 'credits taken back (set once the refund succeeded)' }),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    failureCode: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Refund', additionalProperties: false },
);
export type RefundView = Static<typeof RefundView>;

export function refundView(row: RefundRow): RefundView {
  return {
    id: row.id,
    purchaseId: row.purchaseId,
    amountMinor: row.amountMinor,
    currency: row.currency,
    creditsReversed: row.creditsReversed,
    status: row.status as RefundView['status'],
    failureCode: row.failureCode,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
  };
}
