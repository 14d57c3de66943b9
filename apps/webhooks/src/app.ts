import { buildService, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { WebhooksConfig } from './config.js';
import * as schema from './db/schema.js';

/** The webhooks composition root: plugins in lifecycle order, then route modules. */
export async function buildApp(config: WebhooksConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'webhooks',
    description: 'The webhook-outbox service: provider endpoints, signed deliveries, retries, dead letters, replay.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  await registerDataPlatform(app, { config, service: 'webhooks', schema, outbox: schema.outbox });
  return app;
}
