import { Type, type Static } from 'typebox';
import type { PurchaseRow } from './purchase-repository.js';

export const PurchaseView = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'the purchase (also its payment reference at the PSP)' }),
    packageId: Type.String(),
    credits: Type.Integer({ description: 'credits the purchase grants' }),
    amountMinor: Type.Integer({ description: 'the price in minor units (cents)' }),
    currency: Type.String({ description: 'ISO 4217' }),
    status: Type.Union([Type.Literal('created'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('canceled')], {
      description: 'created (payment in progress) → succeeded (charged, credits granted) | failed (declined) | canceled (voided)',
    }),
    refundedMinor: Type.Integer({ description: 'refunded so far (or being refunded)' }),
    failureCode: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Purchase', additionalProperties: false },
);
export type PurchaseView = Static<typeof PurchaseView>;

/** The public representation; key order is fixed, so the same row always serializes to the same bytes. */
export function purchaseView(row: PurchaseRow): PurchaseView {
  return {
    id: row.id,
    packageId: row.packageId,
    credits: row.credits,
    amountMinor: row.amountMinor,
    currency: row.currency,
    status: row.status as PurchaseView['status'],
    refundedMinor: row.refundedMinor,
    failureCode: row.failureCode,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt ? row.completedAt.toISOString() : null,
  };
}
