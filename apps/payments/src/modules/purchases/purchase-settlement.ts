import { createEvent, enqueue, ProviderFeeCaptured, PurchaseCompleted } from '@bursary/events';
import { sql } from 'drizzle-orm';
import type { PaymentsTx } from '../../db/database.js';
import { outbox, purchases } from '../../db/schema.js';
import { credit, debit, postJournal, type JournalLeg } from '../ledger/journal.js';
import { CREDIT_UNIT, LedgerAccount } from '../ledger/ledger-accounts.js';
import { PaymentIntentStatus, type PspPaymentIntent } from '../psp/payment-provider.js';
import { findPurchase, type PurchaseRow } from './purchase-repository.js';

/**
 * What applying a PSP payment state did:
 *   succeeded / failed / canceled  the purchase reached that state now
 *   unchanged                      nothing to do: already terminal (a duplicate or stale
 *                                  event) or the payment is still in progress
 *   mismatch                       the PSP's amount or currency is not ours: not applied, reported
 *   duplicate                      a second PaymentIntent succeeded for one purchase: not applied, reported
 *   unmatched                      no purchase of ours
 */
export type SettlementEffect = 'succeeded' | 'failed' | 'canceled' | 'unchanged' | 'mismatch' | 'duplicate' | 'unmatched';

export interface Settlement {
  purchase: PurchaseRow | undefined;
  effect: SettlementEffect;
}

export interface SettlementLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** The journal legs of a captured purchase (docs/adr/0004). */
export function purchaseLegs(purchase: PurchaseRow): JournalLeg[] {
  const { amountMinor, currency } = purchase;
  const money = purchase.providerOrg
    ? [
        debit(LedgerAccount.pspClearing, currency, amountMinor),
        credit(LedgerAccount.platformFeeRevenue, currency, purchase.platformFeeMinor),
        credit(LedgerAccount.providerPayable(purchase.providerOrg), currency, amountMinor - purchase.platformFeeMinor),
      ]
    : [debit(LedgerAccount.pspClearing, currency, amountMinor), credit(LedgerAccount.platformRevenue, currency, amountMinor)];
  return [...money, debit(LedgerAccount.creditsIssued, CREDIT_UNIT, purchase.credits), credit(LedgerAccount.studentCredits(purchase.userId), CREDIT_UNIT, purchase.credits)];
}

/**
 * The transition itself: one guarded UPDATE. It moves the purchase only from
 * `created`, only when the PSP's amount and currency are ours and no other
 * payment is recorded for it; the row lock it takes serialises the webhook,
 * the synchronous path and recovery. Nothing updated: someone else moved it
 * first, or the guard refused (the caller reads why).
 */
async function transition(tx: PaymentsTx, purchaseId: string, intent: PspPaymentIntent, set: Partial<typeof purchases.$inferInsert>): Promise<PurchaseRow | undefined> {
  const [moved] = await tx
    .update(purchases)
    .set({ ...set, pspPaymentIntentId: intent.id, completedAt: sql`now()` })
    .where(
      sql`${purchases.id} = ${purchaseId} and ${purchases.status} = 'created' and ${purchases.amountMinor} = ${intent.amountMinor}
          and ${purchases.currency} = ${intent.currency} and (${purchases.pspPaymentIntentId} is null or ${purchases.pspPaymentIntentId} = ${intent.id})`,
    )
    .returning();
  return moved;
}

/** Credits granted, money posted, events enqueued: in the transaction that moved the purchase to succeeded. */
async function grant(tx: PaymentsTx, purchase: PurchaseRow): Promise<void> {
  await enqueue(
    tx,
    outbox,
    createEvent(PurchaseCompleted, {
      subject: purchase.id,
      data: { purchaseId: purchase.id, userId: purchase.userId, amountMinor: purchase.amountMinor, currency: purchase.currency, credits: purchase.credits },
    }),
  );
  if (purchase.providerOrg) {
    await enqueue(
      tx,
      outbox,
      createEvent(ProviderFeeCaptured, {
        subject: purchase.id,
        data: {
          purchaseId: purchase.id,
          providerOrgId: purchase.providerOrg,
          grossMinor: purchase.amountMinor,
          feeMinor: purchase.platformFeeMinor,
          payableMinor: purchase.amountMinor - purchase.platformFeeMinor,
          currency: purchase.currency,
        },
      }),
    );
  }
  // Last: the ledger legs lock the student's balance row until commit, so they go in just before it.
  await postJournal(tx, { sourceKey: `purchase:${purchase.id}`, kind: 'purchase', description: `credit purchase ${purchase.packageId}`, legs: purchaseLegs(purchase) });
}

/** Why a PSP state does not move `purchase` (as read now): unknown, a second payment, not our amount, or simply nothing to do. */
export function unmoved(purchase: PurchaseRow | undefined, intent: PspPaymentIntent, log: SettlementLogger): Settlement {
  if (!purchase) return { purchase, effect: 'unmatched' };
  if (intent.status === PaymentIntentStatus.succeeded && purchase.pspPaymentIntentId !== null && purchase.pspPaymentIntentId !== intent.id) {
    log.error({ purchaseId: purchase.id, recorded: purchase.pspPaymentIntentId, other: intent.id }, 'a second PSP payment succeeded for one purchase: not applied (reconciliation reports it)');
    return { purchase, effect: 'duplicate' };
  }
  if (purchase.status === 'created' && (intent.amountMinor !== purchase.amountMinor || intent.currency !== purchase.currency)) {
    log.error({ purchaseId: purchase.id, expected: [purchase.amountMinor, purchase.currency], psp: [intent.amountMinor, intent.currency] }, 'PSP amount differs from the purchase: not applied');
    return { purchase, effect: 'mismatch' };
  }
  return { purchase, effect: 'unchanged' };
}

/**
 * THE operation that moves a purchase forward from what the PSP says about
 * its payment (R-PAY-4, R-PAY-6). The synchronous confirm, the webhook and
 * the recovery worker all call it, in their own transaction, so they
 * converge: the purchase row is locked, only `created` moves (to one
 * terminal state, once), and the journal's unique source key
 * `purchase:<id>` makes a second grant of credits impossible even if this
 * code were wrong. Stale PSP states never move a purchase backwards.
 */
export async function applyPaymentIntent(tx: PaymentsTx, purchaseId: string, intent: PspPaymentIntent, log: SettlementLogger): Promise<Settlement> {
  let moved: PurchaseRow | undefined;
  let effect: SettlementEffect;
  switch (intent.status) {
    case PaymentIntentStatus.succeeded:
      moved = await transition(tx, purchaseId, intent, { status: 'succeeded' });
      if (moved) await grant(tx, moved);
      effect = 'succeeded';
      break;
    case PaymentIntentStatus.canceled:
      moved = await transition(tx, purchaseId, intent, { status: 'canceled', failureCode: intent.failureCode ?? 'canceled' });
      effect = 'canceled';
      break;
    case PaymentIntentStatus.requiresPaymentMethod:
      // Before confirmation this is the initial state; after a failed attempt it carries the decline.
      if (intent.failureCode) moved = await transition(tx, purchaseId, intent, { status: 'failed', failureCode: intent.failureCode });
      effect = 'failed';
      break;
    default:
      // Still in progress at the PSP: nothing to move.
      effect = 'unchanged';
  }
  // Nothing moved: read why (no lock needed, only `created` can ever change).
  return moved ? { purchase: moved, effect } : unmoved(await findPurchase(tx, purchaseId), intent, log);
}
