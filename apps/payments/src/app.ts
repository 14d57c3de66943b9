import { buildService, loadSheddingOptions, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { PaymentsConfig } from './config.js';
import type { PaymentsDb } from './db/database.js';
import * as schema from './db/schema.js';
import { creditRoutes } from './modules/credits/credit-routes.js';
import { packageRoutes } from './modules/packages/package-routes.js';
import { payoutRoutes } from './modules/payouts/payout-routes.js';
import { pspFromConfig } from './modules/psp/psp-client.js';
import { purchaseRoutes } from './modules/purchases/purchase-routes.js';
import { refundRoutes } from './modules/refunds/refund-routes.js';
import { pspWebhookRoutes } from './modules/webhooks/psp-webhook-routes.js';
import { createPaymentsCore } from './payments-core.js';

/** The payments composition root: plugins in lifecycle order, then the services, then the route modules. */
export async function buildApp(config: PaymentsConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'payments',
    description: 'Credit purchases, idempotency, the ledger, PSP adapter and webhooks, refunds, provider fees.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    loadShedding: loadSheddingOptions(config),
  });
  await registerDataPlatform(app, { config, service: 'payments', schema, outbox: schema.outbox });

  const db = app.database.db as PaymentsDb;
  const psp = pspFromConfig(config);
  app.addHook('onClose', async () => psp.close());
  const { store, purchases, refunds, payouts } = createPaymentsCore(config, db, psp, app.log.child({ component: 'payments' }));
  const retryAfterSeconds = config.IDEMPOTENCY_RETRY_AFTER_S;

  await app.register(packageRoutes, { db });
  await app.register(purchaseRoutes, { db, purchases, store, runtimeConfig: app.runtimeConfig, retryAfterSeconds });
  await app.register(creditRoutes, { db });
  await app.register(refundRoutes, { db, refunds, store, retryAfterSeconds });
  await app.register(payoutRoutes, { db, payouts, store, retryAfterSeconds });
  await app.register(pspWebhookRoutes, { db, secrets: config.PSP_WEBHOOK_SECRETS, toleranceSeconds: config.PSP_WEBHOOK_TOLERANCE_S });
  return app;
}
