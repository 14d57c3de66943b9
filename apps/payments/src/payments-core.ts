import type { PaymentsConfig } from './config.js';
import type { PaymentsDb } from './db/database.js';
import { createIdempotencyStore } from './modules/idempotency/idempotency-store.js';
import { createPayoutService } from './modules/payouts/payout-service.js';
import type { PaymentProvider } from './modules/psp/payment-provider.js';
import { createPurchaseService } from './modules/purchases/purchase-service.js';
import type { SettlementLogger } from './modules/purchases/purchase-settlement.js';
import { createRefundService } from './modules/refunds/refund-service.js';

/** The use cases both processes share: the HTTP service and the worker drive purchases and refunds the same way. */
export function createPaymentsCore(config: PaymentsConfig, db: PaymentsDb, psp: PaymentProvider, log: SettlementLogger) {
  const store = createIdempotencyStore(db, { leaseMs: config.IDEMPOTENCY_LEASE_MS, retentionMs: config.IDEMPOTENCY_RETENTION_MS });
  return {
    store,
    purchases: createPurchaseService({
      db,
      psp,
      store,
      log,
      leaseMs: config.PURCHASE_LEASE_MS,
      feeBps: config.PLATFORM_FEE_BPS,
      defaultPaymentMethod: config.PSP_DEFAULT_PAYMENT_METHOD,
    }),
    refunds: createRefundService({ db, psp, store, log, leaseMs: config.PURCHASE_LEASE_MS }),
    payouts: createPayoutService({ db, store }),
  };
}

