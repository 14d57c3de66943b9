import { buildService, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { PaymentsConfig } from './config.js';
import * as schema from './db/schema.js';

/** The payments composition root: plugins in lifecycle order, then route modules. */
export async function buildApp(config: PaymentsConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'payments',
    description: 'Credit purchases, idempotency, the ledger, PSP adapter and webhooks, refunds, provider fees.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  await registerDataPlatform(app, { config, service: 'payments', schema, outbox: schema.outbox });
  return app;
}
