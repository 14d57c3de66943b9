import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { PaymentsDb } from '../../db/database.js';
import { pspEvents } from '../../db/schema.js';
import { toPaymentIntent, toRefund } from '../psp/stripe-provider.js';
import { applyPaymentIntent, type SettlementLogger } from '../purchases/purchase-settlement.js';
import { applyRefund } from '../refunds/refund-settlement.js';

/** What a delivered event did; `duplicate` is a redelivery of an event already stored. */
export type WebhookOutcome = string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The part of a Stripe event we rely on; anything else in it is kept, not trusted. */
export interface PspEvent {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export function isPspEvent(value: unknown): value is PspEvent {
  const event = value as Partial<PspEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    /^evt_[A-Za-z0-9_]{1,200}$/.test(event.id) &&
    typeof event.type === 'string' &&
    Number.isInteger(event.created) &&
    typeof event.data?.object === 'object' &&
    event.data.object !== null
  );
}

function isPaymentIntent(object: Record<string, unknown>): boolean {
  return object['object'] === 'payment_intent' && typeof object['id'] === 'string' && typeof object['status'] === 'string' && Number.isInteger(object['amount']) && typeof object['currency'] === 'string';
}

function isRefund(object: Record<string, unknown>): boolean {
  return object['object'] === 'refund' && typeof object['id'] === 'string' && Number.isInteger(object['amount']) && typeof object['currency'] === 'string';
}

/**
 * Applies one verified PSP event (R-PAY-4): the inbox row (unique event id)
 * and the effect are written in one transaction, so an event is applied at
 * most once however often it is delivered, and at least once because a
 * failure rolls both back and the PSP delivers again. The effect is the same
 * converging operation the synchronous path uses, whose state machine only
 * moves forward: out-of-order and stale events change nothing.
 */
export async function applyPspEvent(db: PaymentsDb, event: PspEvent, log: SettlementLogger): Promise<WebhookOutcome> {
  return db.transaction(async (tx) => {
    const object = event.data.object;
    const inserted = await tx
      .insert(pspEvents)
      .values({
        id: event.id,
        type: event.type,
        objectId: typeof object['id'] === 'string' ? object['id'] : null,
        pspCreatedAt: sql`to_timestamp(${event.created})`,
        outcome: 'received',
        payload: event,
      })
      .onConflictDoNothing({ target: pspEvents.id })
      .returning({ id: pspEvents.id });
    if (inserted.length === 0) return 'duplicate';

    let outcome: WebhookOutcome = 'ignored';
    if (event.type.startsWith('payment_intent.') && isPaymentIntent(object)) {
      const intent = toPaymentIntent(object as unknown as Stripe.PaymentIntent);
      outcome = intent.purchaseId && UUID.test(intent.purchaseId) ? (await applyPaymentIntent(tx, intent.purchaseId, intent, log)).effect : 'unmatched';
    } else if ((event.type.startsWith('refund.') || event.type === 'charge.refund.updated') && isRefund(object)) {
      const refund = toRefund(object as unknown as Stripe.Refund);
      outcome = refund.refundId && UUID.test(refund.refundId) ? (await applyRefund(tx, refund.refundId, refund, log)).effect : 'unmatched';
    }
    await tx.update(pspEvents).set({ outcome }).where(eq(pspEvents.id, event.id));
    return outcome;
  });
}
