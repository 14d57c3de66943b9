import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../../db/database.js';
import { purchases } from '../../db/schema.js';
import type { Outcome } from '../idempotency/idempotent-request.js';
import { RECOVERY_STARTED, type ClaimedKey, type IdempotencyStore } from '../idempotency/idempotency-store.js';
import { splitProviderPayment } from '../ledger/money-split.js';
import { PaymentIntentStatus, PspRejectedError, PspUnavailableError, type ChargeInput, type PaymentProvider, type PspPaymentIntent } from '../psp/payment-provider.js';
import { PurchaseErrors } from './purchase-errors.js';
import { createPackageCache } from '../packages/package-cache.js';
import { findPurchase, insertPurchaseForKey, renewLease, type PurchaseRow } from './purchase-repository.js';
import { applyPaymentIntent, type SettlementLogger } from './purchase-settlement.js';
import { purchaseView } from './purchase-view.js';

export const PURCHASE_OPERATION = 'purchase.create';

/**
 * Stripe keeps Idempotency-Keys for 24 hours. Within that window, asking the
 * PSP again with the purchase id returns the original payment if there was
 * one; after it, the same call could charge a second time, so recovery stops
 * and leaves the purchase to reconciliation and an operator.
 */
const PSP_KEY_WINDOW_MS = 23 * 3600_000;

export interface PurchaseServiceOptions {
  db: PaymentsDb;
  psp: PaymentProvider;
  store: IdempotencyStore;
  log: SettlementLogger;
  leaseMs: number;
  feeBps: number;
  defaultPaymentMethod: string;
}

export interface PurchaseRequest {
  packageId: string;
  paymentMethod?: string | undefined;
}

export type PurchaseService = ReturnType<typeof createPurchaseService>;

export function createPurchaseService(options: PurchaseServiceOptions) {
  const { db, psp, log } = options;
  const packages = createPackageCache(db);

  /** A PSP refusal of the charge request itself (say an unknown payment method): no payment exists, the purchase fails. */
  async function failWithoutPayment(purchase: PurchaseRow, code: string): Promise<PurchaseRow> {
    const [updated] = await db
      .update(purchases)
      .set({ status: 'failed', failureCode: code, completedAt: sql`now()` })
      .where(sql`${purchases.id} = ${purchase.id} and ${purchases.status} = 'created'`)
      .returning();
    return updated ?? (await findPurchase(db, purchase.id)) ?? purchase;
  }

  /**
   * Phases 2 and 3: asks the PSP to charge with Idempotency-Key = purchase id
   * (the first call charges, every later one, from any process, returns the
   * same payment) and applies the answer through the one converging operation.
   */
  async function charge(purchase: PurchaseRow): Promise<{ purchase: PurchaseRow; intent?: PspPaymentIntent }> {
    let intent: PspPaymentIntent;
    try {
      intent = await psp.chargePurchase(chargeInputOf(purchase));
    } catch (error) {
      if (error instanceof PspRejectedError) return { purchase: await failWithoutPayment(purchase, error.code ?? 'psp_rejected') };
      throw error;
    }
    const settled = await db.transaction((tx) => applyPaymentIntent(tx, purchase.id, intent, log));
    return { purchase: settled.purchase ?? purchase, intent };
  }

  function outcomeOf(purchase: PurchaseRow): Outcome {
    switch (purchase.status) {
      case 'succeeded':
        return { status: 201, body: purchaseView(purchase), headers: { location: `/v1/purchases/${purchase.id}` } };
      case 'failed':
        throw PurchaseErrors.PAYMENT_DECLINED({ detail: 'The payment was declined; nothing was charged.', extensions: { purchaseId: purchase.id, declineCode: purchase.failureCode } });
      case 'canceled':
        throw PurchaseErrors.PAYMENT_CANCELED({ detail: 'The payment could not be completed and was voided; nothing was charged.', extensions: { purchaseId: purchase.id } });
      default:
        // Still in progress at the PSP (e.g. a 3-D Secure step): the webhook or recovery finishes it.
        return { status: 202, body: purchaseView(purchase), headers: { location: `/v1/purchases/${purchase.id}` } };
    }
  }

  return {
    /**
     * POST /v1/purchases under its claimed Idempotency-Key, resumable from
     * any recovery point: `started` (nothing written yet) or
     * `purchase_created` (the purchase row and its id exist; the charge may or
     * may not have reached the PSP).
     */
    async purchase(claimed: ClaimedKey, userId: string, request: PurchaseRequest): Promise<Outcome> {
      let purchaseId = claimed.resourceId;
      let purchase: PurchaseRow | undefined;
      if (claimed.recoveryPoint === RECOVERY_STARTED || purchaseId === null) {
        const pkg = await packages.find(request.packageId);
        if (!pkg) throw PurchaseErrors.CREDIT_PACKAGE_NOT_FOUND({ detail: `No active credit package "${request.packageId}".` });
        const id = uuidv7();
        const platformFeeMinor = pkg.providerOrg ? splitProviderPayment(pkg.priceMinor, options.feeBps).feeMinor : 0;
        purchase = await insertPurchaseForKey(db, claimed.scope, {
          id,
          userId,
          package: pkg,
          platformFeeMinor,
          paymentMethod: request.paymentMethod ?? options.defaultPaymentMethod,
          leaseMs: options.leaseMs,
        });
        // Not inserted: a concurrent request on this key created the purchase first; continue with it.
        purchaseId = purchase ? id : await options.store.resourceOf(claimed.scope);
        if (!purchaseId) throw new Error(`idempotency key of ${userId} lost its purchase`);
      } else {
        await renewLease(db, purchaseId, options.leaseMs);
      }
      purchase ??= await findPurchase(db, purchaseId);
      if (!purchase) throw new Error(`purchase ${purchaseId} named by an idempotency key does not exist`);
      if (purchase.status === 'created') {
        try {
          purchase = (await charge(purchase)).purchase;
        } catch (error) {
          if (error instanceof PspUnavailableError) {
            log.warn({ purchaseId, err: error.message }, 'PSP unavailable: purchase left at its recovery point');
            throw PurchaseErrors.PSP_UNAVAILABLE({ headers: { 'retry-after': '2' }, extensions: { purchaseId } });
          }
          throw error;
        }
      }
      return outcomeOf(purchase);
    },

    /**
     * Recovery of a purchase abandoned in flight (R-PAY-6): ask the PSP by our
     * key (the same charge call returns the payment it already has, or makes
     * the one the buyer asked for), then finish it, or void it when it cannot
     * complete. Exactly once: the converging operation moves `created` once.
     */
    async recover(purchase: PurchaseRow): Promise<PurchaseRow> {
      if (Date.now() - purchase.createdAt.getTime() > PSP_KEY_WINDOW_MS) {
        log.error({ purchaseId: purchase.id }, 'in-flight purchase older than the PSP idempotency window: left for reconciliation and an operator');
        return purchase;
      }
      const { purchase: charged, intent } = await charge(purchase);
      // Still not final (e.g. waiting for 3-D Secure nobody will complete): void it, so it can never complete behind our back.
      if (charged.status !== 'created' || !intent || intent.status === PaymentIntentStatus.processing) return charged;
      const voided = await psp.cancelPaymentIntent(intent.id, charged.id);
      const settled = await db.transaction((tx) => applyPaymentIntent(tx, charged.id, voided, log));
      return settled.purchase ?? charged;
    },
  };
}

function chargeInputOf(purchase: PurchaseRow): ChargeInput {
  return {
    purchaseId: purchase.id,
    amountMinor: purchase.amountMinor,
    currency: purchase.currency,
    paymentMethod: purchase.paymentMethod,
    userId: purchase.userId,
    description: `Bursary credits: ${purchase.packageId}`,
  };
}
