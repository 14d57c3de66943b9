import { sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { PaymentsDb, PaymentsTx } from '../../db/database.js';
import { pspEvents } from '../../db/schema.js';
import { toPaymentIntent, toRefund } from '../psp/stripe-provider.js';
import { findPurchase } from '../purchases/purchase-repository.js';
import { applyPaymentIntent, unmoved, type SettlementLogger } from '../purchases/purchase-settlement.js';
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

class AlreadyApplied extends Error {}

/**
 * What an event calls for: an outcome known at once (`now`), or the converging operation (`apply`), possibly
 * preceded by a cheap read that shows there is nothing left to move (`settled`).
 */
type Effect = { now: string } | { settled?: (db: PaymentsDb) => Promise<string | undefined>; apply: (tx: PaymentsTx) => Promise<string> };

/** The converging operation an event calls for, if any: payment and refund states that can move one of ours. */
function effectOf(event: PspEvent, log: SettlementLogger): Effect | undefined {
  const object = event.data.object;
  if (event.type.startsWith('payment_intent.') && isPaymentIntent(object)) {
    const intent = toPaymentIntent(object as unknown as Stripe.PaymentIntent);
    const final = intent.status === 'succeeded' || intent.status === 'canceled' || (intent.status === 'requires_payment_method' && intent.failureCode !== undefined);
    if (!final) return undefined;
    if (!intent.purchaseId || !UUID.test(intent.purchaseId)) return { now: 'unmatched' };
    const purchaseId = intent.purchaseId;
    return {
      // A purchase past `created` never moves again: its redeliveries and late events need no transaction.
      settled: async (db) => {
        const current = await findPurchase(db, purchaseId);
        return current?.status === 'created' ? undefined : unmoved(current, intent, log).effect;
      },
      apply: async (tx) => (await applyPaymentIntent(tx, purchaseId, intent, log)).effect,
    };
  }
  if ((event.type.startsWith('refund.') || event.type === 'charge.refund.updated') && isRefund(object)) {
    const refund = toRefund(object as unknown as Stripe.Refund);
    if (refund.status !== 'succeeded' && refund.status !== 'failed' && refund.status !== 'canceled') return undefined;
    if (!refund.refundId || !UUID.test(refund.refundId)) return { now: 'unmatched' };
    const refundId = refund.refundId;
    return { apply: async (tx) => (await applyRefund(tx, refundId, refund, log)).effect };
  }
  return undefined;
}

/**
 * Applies one verified PSP event (R-PAY-4): the inbox row (unique event id)
 * and the effect are written in one transaction, so an event is applied at
 * most once however often it is delivered, and at least once because a
 * failure rolls both back and the PSP delivers again. The effect is the same
 * converging operation the synchronous path uses, whose state machine only
 * moves forward: out-of-order and stale events change nothing. Events that
 * cannot move anything (in-progress states, charges) are only recorded.
 */
export async function applyPspEvent(db: PaymentsDb, event: PspEvent, log: SettlementLogger): Promise<WebhookOutcome> {
  const object = event.data.object;
  const row = (outcome: string) => ({
    id: event.id,
    type: event.type,
    objectId: typeof object['id'] === 'string' ? object['id'] : null,
    pspCreatedAt: sql`to_timestamp(${event.created})`,
    outcome,
    payload: event,
  });
  /** One statement: the inbox row with an outcome known without a transaction; a redelivery finds the row. */
  const record = async (outcome: string) => {
    const stored = await db.insert(pspEvents).values(row(outcome)).onConflictDoNothing({ target: pspEvents.id }).returning({ id: pspEvents.id });
    return stored.length === 0 ? 'duplicate' : outcome;
  };
  const effect = effectOf(event, log);
  if (!effect) return record('recorded');
  if ('now' in effect) return record(effect.now);
  const settled = await effect.settled?.(db);
  if (settled !== undefined) return record(settled);
  try {
    return await db.transaction(async (tx) => {
      const outcome = await effect.apply(tx);
      // The inbox row last, in the same transaction: a concurrent delivery of the same event
      // waits here for the first to commit, then finds the row and rolls its (no-op) effect back.
      const stored = await tx.insert(pspEvents).values(row(outcome)).onConflictDoNothing({ target: pspEvents.id }).returning({ id: pspEvents.id });
      if (stored.length === 0) throw new AlreadyApplied();
      return outcome;
    });
  } catch (error) {
    if (error instanceof AlreadyApplied) return 'duplicate';
    throw error;
  }
}
