import { createEvent, enqueue, RefundCompleted } from '@bursary/events';
import { eq, sql } from 'drizzle-orm';
import type { PaymentsTx } from '../../db/database.js';
import { journalTransactions, outbox, purchases, refunds } from '../../db/schema.js';
import { postJournal } from '../ledger/journal.js';
import type { PspRefund } from '../psp/payment-provider.js';
import { lockPurchase } from '../purchases/purchase-repository.js';
import type { SettlementLogger } from '../purchases/purchase-settlement.js';
import { refundReversal } from './refund-legs.js';
import { lockRefund, type RefundRow } from './refund-repository.js';

export type RefundEffect = 'succeeded' | 'failed' | 'unchanged' | 'mismatch' | 'unmatched';

/** Releases the reservation of a refund that will not happen. */
async function fail(tx: PaymentsTx, refund: RefundRow, failureCode: string, pspRefundId: string | null): Promise<RefundRow> {
  await tx.update(purchases).set({ refundedMinor: sql`${purchases.refundedMinor} - ${refund.amountMinor}` }).where(eq(purchases.id, refund.purchaseId));
  const [updated] = await tx
    .update(refunds)
    .set({ status: 'failed', failureCode, pspRefundId: refund.pspRefundId ?? pspRefundId, completedAt: sql`now()` })
    .where(eq(refunds.id, refund.id))
    .returning();
  return updated!;
}

/** A refund the PSP refused outright (no PSP refund exists). */
export async function failRefund(tx: PaymentsTx, refundId: string, failureCode: string): Promise<RefundRow | undefined> {
  const refund = await lockRefund(tx, refundId);
  if (!refund || refund.status !== 'pending') return refund;
  return fail(tx, refund, failureCode, null);
}

/**
 * THE operation that moves a refund forward from what the PSP says about it
 * (R-PAY-4, R-PAY-5); the synchronous request, the webhook and recovery all
 * converge here. Only `pending` moves, once. On success the purchase's legs
 * are reversed in proportion (cumulative rule, under the purchase's row
 * lock) by a journal transaction that names the purchase's as the one it
 * reverses; its source key `refund:<id>` posts at most once.
 */
export async function applyRefund(tx: PaymentsTx, refundId: string, pspRefund: PspRefund, log: SettlementLogger): Promise<{ refund: RefundRow | undefined; effect: RefundEffect }> {
  const refund = await lockRefund(tx, refundId);
  if (!refund) return { refund, effect: 'unmatched' };
  if (refund.status !== 'pending') return { refund, effect: 'unchanged' };
  if (pspRefund.amountMinor !== refund.amountMinor || pspRefund.currency !== refund.currency) {
    log.error({ refundId, expected: [refund.amountMinor, refund.currency], psp: [pspRefund.amountMinor, pspRefund.currency] }, 'PSP refund amount differs: not applied');
    return { refund, effect: 'mismatch' };
  }
  if (pspRefund.status === 'failed' || pspRefund.status === 'canceled') {
    return { refund: await fail(tx, refund, pspRefund.failureCode ?? pspRefund.status, pspRefund.id), effect: 'failed' };
  }
  if (pspRefund.status !== 'succeeded') return { refund, effect: 'unchanged' };

  const purchase = (await lockPurchase(tx, refund.purchaseId))!;
  const reversal = refundReversal(purchase, purchase.refundSettledMinor, refund.amountMinor);
  const [original] = await tx.select({ id: journalTransactions.id }).from(journalTransactions).where(eq(journalTransactions.sourceKey, `purchase:${purchase.id}`));
  await postJournal(tx, {
    sourceKey: `refund:${refund.id}`,
    kind: 'refund',
    ...(original ? { reversesId: original.id } : {}),
    description: `refund of purchase ${purchase.id}`,
    legs: reversal.legs,
  });
  await tx.update(purchases).set({ refundSettledMinor: sql`${purchases.refundSettledMinor} + ${refund.amountMinor}` }).where(eq(purchases.id, purchase.id));
  const [updated] = await tx
    .update(refunds)
    .set({ status: 'succeeded', creditsReversed: reversal.creditsReversed, pspRefundId: pspRefund.id, completedAt: sql`now()` })
    .where(eq(refunds.id, refund.id))
    .returning();
  await enqueue(
    tx,
    outbox,
    createEvent(RefundCompleted, {
      subject: refund.id,
      data: { refundId: refund.id, purchaseId: purchase.id, userId: purchase.userId, amountMinor: refund.amountMinor, currency: refund.currency, creditsReversed: reversal.creditsReversed },
    }),
  );
  return { refund: updated!, effect: 'succeeded' };
}
