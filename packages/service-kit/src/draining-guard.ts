import { CommonErrors } from '@bursary/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * During graceful shutdown, a new request that arrives on a kept-alive
 * connection gets 503 problem+json with `Connection: close`, so the client
 * retries on another instance. Fastify's own 503 on closing is disabled
 * because its body is not our error schema.
 */
async function drainingGuard(app: FastifyInstance): Promise<void> {
  // Responses of requests still in flight close their connection, so that a
  // drained keep-alive socket does not hold the shutdown until it times out.
  app.addHook('onSend', async (_request, reply) => {
    if (app.readiness.isDraining()) reply.header('connection', 'close');
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!app.readiness.isDraining()) return;
    reply.header('connection', 'close');
    throw CommonErrors.SERVICE_UNAVAILABLE({ detail: 'This instance is shutting down; retry.', headers: { 'retry-after': '1' } });
  });
}

export const drainingGuardPlugin = fp(drainingGuard, { name: '@bursary/draining-guard', fastify: '5.x', dependencies: ['@bursary/health'] });
