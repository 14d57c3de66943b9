import { buildService, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { PaymentsConfig } from './config.js';
import type { PaymentsDb } from './db/database.js';
import * as schema from './db/schema.js';
import { creditRoutes } from './modules/credits/credit-routes.js';
import { createIdempotencyStore } from './modules/idempotency/idempotency-store.js';
import { packageRoutes } from './modules/packages/package-routes.js';
import { payoutRoutes } from './modules/payouts/payout-routes.js';
import { createPayoutService } from './modules/payouts/payout-service.js';
import { pspFromConfig } from './modules/psp/psp-client.js';
import { purchaseRoutes } from './modules/purchases/purchase-routes.js';
import { createPurchaseService } from './modules/purchases/purchase-service.js';
import { refundRoutes } from './modules/refunds/refund-routes.js';
import { createRefundService } from './modules/refunds/refund-service.js';
import { pspWebhookRoutes } from './modules/webhooks/psp-webhook-routes.js';

/** The payments composition root: plugins in lifecycle order, then the services, then the route modules. */
export async function buildApp(config: PaymentsConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'payments',
    description: 'Credit purchases, idempotency, the ledger, PSP adapter and webhooks, refunds, provider fees.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  await registerDataPlatform(app, { config, service: 'payments', schema, outbox: schema.outbox });

  const db = app.database.db as PaymentsDb;
  const psp = pspFromConfig(config);
  app.addHook('onClose', async () => psp.close());
  const log = app.log.child({ component: 'payments' });
  const store = createIdempotencyStore(db, { leaseMs: config.IDEMPOTENCY_LEASE_MS, retentionMs: config.IDEMPOTENCY_RETENTION_MS });
  const retryAfterSeconds = config.IDEMPOTENCY_RETRY_AFTER_S;
  const purchases = createPurchaseService({
    db,
    psp,
    store,
    log,
    leaseMs: config.PURCHASE_LEASE_MS,
    feeBps: config.PLATFORM_FEE_BPS,
    defaultPaymentMethod: config.PSP_DEFAULT_PAYMENT_METHOD,
  });
  const refunds = createRefundService({ db, psp, store, log, leaseMs: config.PURCHASE_LEASE_MS });
  const payouts = createPayoutService({ db, store });

  await app.register(packageRoutes, { db });
  await app.register(purchaseRoutes, { db, purchases, store, runtimeConfig: app.runtimeConfig, retryAfterSeconds });
  await app.register(creditRoutes, { db });
  await app.register(refundRoutes, { db, refunds, store, retryAfterSeconds });
  await app.register(payoutRoutes, { db, payouts, store, retryAfterSeconds });
  await app.register(pspWebhookRoutes, { db, secrets: config.PSP_WEBHOOK_SECRETS, toleranceSeconds: config.PSP_WEBHOOK_TOLERANCE_S });
  return app;
}
