import { buildService, registerDataPlatform, type ServiceInstance } from '@bursary/service-kit';
import type { CatalogConfig } from './config.js';
import * as schema from './db/schema.js';

/** The catalog composition root: plugins in lifecycle order, then route modules. */
export async function buildApp(config: CatalogConfig): Promise<ServiceInstance> {
  const app = await buildService({
    name: 'catalog',
    description: 'Scholarships, search, eligibility, recommendations, shortlist, applications, provider listings, SEO pages.',
    logLevel: config.LOG_LEVEL,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  await registerDataPlatform(app, { config, service: 'catalog', schema, outbox: schema.outbox });
  return app;
}
