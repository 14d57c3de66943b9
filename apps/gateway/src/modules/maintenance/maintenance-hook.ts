import type { RuntimeConfig } from '@bursary/runtime-config';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayErrors } from '../proxy/gateway-errors.js';

export interface MaintenanceOptions {
  runtimeConfig: RuntimeConfig;
  /** Seconds clients are told to wait (Retry-After). */
  retryAfterSeconds: number;
}

/** The public API; health, docs and SEO pages stay up during maintenance. */
function isApiPath(url: string): boolean {
  return url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?');
}

/**
 * The `maintenance` kill switch (R-OPS-3): read from the live runtime config
 * on every request, so flipping it reaches every gateway instance within a
 * second, without a redeploy.
 */
async function maintenance(app: FastifyInstance, options: MaintenanceOptions): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (!options.runtimeConfig.get('maintenance') || !isApiPath(request.url)) return;
    throw GatewayErrors.MAINTENANCE({
      detail: 'Bursary is down for maintenance; please retry shortly.',
      headers: { 'retry-after': String(options.retryAfterSeconds) },
    });
  });
}

export const maintenancePlugin = fp(maintenance, { name: '@bursary/gateway-maintenance', fastify: '5.x', dependencies: ['@bursary/errors'] });
