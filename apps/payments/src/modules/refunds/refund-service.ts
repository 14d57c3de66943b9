import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../../db/database.js';
import { purchases, refunds } from '../../db/schema.js';
import type { Outcome } from '../idempotency/idempotent-request.js';
import { RECOVERY_STARTED, type ClaimedKey, type IdempotencyStore } from '../idempotency/idempotency-store.js';
import { CREDIT_UNIT, LedgerAccount } from '../ledger/ledger-accounts.js';
import { creditSideBalance } from '../ledger/ledger-queries.js';
import { isAdmin, type Caller } from '../principal/principal.js';
import { PspRejectedError, PspUnavailableError, type PaymentProvider } from '../psp/payment-provider.js';
import { PurchaseErrors } from '../purchases/purchase-errors.js';
import { lockPurchase } from '../purchases/purchase-repository.js';
import type { SettlementLogger } from '../purchases/purchase-settlement.js';
import { RefundErrors } from './refund-errors.js';
import { refundReversal } from './refund-legs.js';
import { findRefund, REFUND_CREATED, renewRefundLease, type RefundRow } from './refund-repository.js';
import { applyRefund, failRefund } from './refund-settlement.js';
import { refundView } from './refund-view.js';

export const REFUND_OPERATION = 'refund.create';

export interface RefundRequest {
  purchaseId: string;
  /** Default: all that is left to refund. */
  amountMinor?: number | undefined;
  reason?: string | undefined;
}

export interface RefundServiceOptions {
  db: PaymentsDb;
  psp: PaymentProvider;
  store: IdempotencyStore;
  log: SettlementLogger;
  leaseMs: number;
}

/** Thrown inside the phase-1 transaction when another request on the same key got there first: roll back, continue with its refund. */
class LostKeyRace extends Error {}

export type RefundService = ReturnType<typeof createRefundService>;

export function createRefundService(options: RefundServiceOptions) {
  const { db, psp, log } = options;

  /**
   * Phase 1, one transaction: checks the purchase (the caller's own, or any
   * for an admin), reserves the amount on it (never more than is left),
   * checks that the credits and the provider's share to take back are still
   * there, inserts the refund (its id is the PSP Idempotency-Key) and moves
   * the key to `refund_created`.
   */
  async function reserve(claimed: ClaimedKey, caller: Caller, request: RefundRequest): Promise<string> {
    const id = uuidv7();
    try {
      await db.transaction(async (tx) => {
        const purchase = await lockPurchase(tx, request.purchaseId);
        if (!purchase || (purchase.userId !== caller.userId && !isAdmin(caller))) throw PurchaseErrors.PURCHASE_NOT_FOUND();
        if (purchase.status !== 'succeeded') throw RefundErrors.REFUND_NOT_REFUNDABLE({ detail: `The purchase is ${purchase.status}; only a succeeded purchase can be refunded.` });
        const refundableMinor = purchase.amountMinor - purchase.refundedMinor;
        const amountMinor = request.amountMinor ?? refundableMinor;
        if (amountMinor <= 0 || amountMinor > refundableMinor) {
          throw RefundErrors.REFUND_AMOUNT_TOO_LARGE({ detail: `At most ${refundableMinor} can still be refunded.`, extensions: { refundableMinor } });
        }
        const reversal = refundReversal(purchase, purchase.refundSettledMinor, amountMinor);
        const credits = await creditSideBalance(tx, LedgerAccount.studentCredits(purchase.userId), CREDIT_UNIT);
        if (credits < reversal.creditsReversed) throw RefundErrors.REFUND_CREDITS_SPENT({ extensions: { creditsHeld: credits, creditsToReverse: reversal.creditsReversed } });
        if (purchase.providerOrg) {
          const payable = await creditSideBalance(tx, LedgerAccount.providerPayable(purchase.providerOrg), purchase.currency);
          if (payable < reversal.payableReversedMinor) throw RefundErrors.REFUND_PAYABLE_PAID_OUT();
        }
        await tx.update(purchases).set({ refundedMinor: sql`${purchases.refundedMinor} + ${amountMinor}` }).where(sql`${purchases.id} = ${purchase.id}`);
        await tx.insert(refunds).values({
          id,
          purchaseId: purchase.id,
          userId: purchase.userId,
          amountMinor,
          currency: purchase.currency,
          requestedBy: caller.userId,
          reason: request.reason ?? null,
          leaseUntil: sql`now() + ${options.leaseMs} * interval '1 millisecond'`,
        });
        if (!(await options.store.advance(tx, claimed.scope, RECOVERY_STARTED, REFUND_CREATED, id))) throw new LostKeyRace();
      });
      return id;
    } catch (error) {
      if (!(error instanceof LostKeyRace)) throw error;
      const winner = await options.store.resourceOf(claimed.scope);
      if (!winner) throw new Error('idempotency key lost its refund', { cause: error });
      return winner;
    }
  }

  /** Phases 2 and 3: the PSP refund with Idempotency-Key = refund id, applied through the converging operation. */
  async function execute(refund: RefundRow): Promise<RefundRow> {
    const [purchase] = await db.select({ intent: purchases.pspPaymentIntentId }).from(purchases).where(sql`${purchases.id} = ${refund.purchaseId}`);
    let pspRefund;
    try {
      pspRefund = await psp.refund({ refundId: refund.id, purchaseId: refund.purchaseId, paymentIntentId: purchase!.intent!, amountMinor: refund.amountMinor });
    } catch (error) {
      if (error instanceof PspRejectedError) return (await db.transaction((tx) => failRefund(tx, refund.id, error.code ?? 'psp_rejected'))) ?? refund;
      throw error;
    }
    const applied = await db.transaction((tx) => applyRefund(tx, refund.id, pspRefund, log));
    return applied.refund ?? refund;
  }

  function outcomeOf(refund: RefundRow): Outcome {
    if (refund.status === 'failed') throw RefundErrors.REFUND_DECLINED({ detail: 'The PSP refused the refund; nothing was refunded.', extensions: { refundId: refund.id, failureCode: refund.failureCode } });
    return { status: refund.status === 'succeeded' ? 201 : 202, body: refundView(refund), headers: { location: `/v1/refunds/${refund.id}` } };
  }

  return {
    /** POST /v1/refunds under its claimed Idempotency-Key, resumable like a purchase. */
    async refund(claimed: ClaimedKey, caller: Caller, request: RefundRequest): Promise<Outcome> {
      let refundId = claimed.resourceId;
      if (claimed.recoveryPoint === RECOVERY_STARTED || refundId === null) refundId = await reserve(claimed, caller, request);
      else await renewRefundLease(db, refundId, options.leaseMs);
      let refund = (await findRefund(db, refundId))!;
      if (refund.status === 'pending') {
        try {
          refund = await execute(refund);
        } catch (error) {
          if (error instanceof PspUnavailableError) throw PurchaseErrors.PSP_UNAVAILABLE({ headers: { 'retry-after': '2' }, extensions: { refundId } });
          throw error;
        }
      }
      return outcomeOf(refund);
    },

    /** Recovery of a refund abandoned in flight (R-PAY-6): the same PSP call with the same key, then applied once. */
    recover: execute,
  };
}
