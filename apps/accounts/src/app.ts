import { buildService, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { AccountsConfig } from './config.js';
import * as schema from './db/schema.js';

/** The accounts composition root: plugins in lifecycle order, then route modules. */
export async function buildApp(config: AccountsConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'accounts',
    description: 'Identity: signup, login, token refresh, password reset, provider login.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  await registerDataPlatform(app, { config, service: 'accounts', schema, outbox: schema.outbox });
  return app;
}
