import { CommonErrors } from '@bursary/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { EdgeErrors } from './kit-errors.js';

/** Why a request's Host was refused (or, in monitor mode, would have been). */
export type HostRejectionReason = 'missing' | 'empty' | 'duplicate' | 'malformed' | 'unknown';

/**
 * Node's own "missing Host" answer is a bare 400 without our error body, so
 * the HTTP server is built with requireHostHeader off and this hook gives the
 * problem+json instead (R-ERR-1). An absent Host is HOST_MISSING (the client
 * named nothing); a present but empty one is HOST_NOT_ALLOWED, the code the
 * gateway's allowlist (R-HOST) gives for every Host value it refuses, so a
 * client sees one code per condition on every service. Both are counted in
 * `host_rejections_total`, which the gateway's allowlist shares.
 */
async function hostHeaderGuard(app: FastifyInstance): Promise<void> {
  const rejections = new Counter({
    name: 'host_rejections_total',
    help: 'Requests refused for their Host (mode="monitor": would have been refused, but passed)',
    labelNames: ['reason', 'mode'] as const,
    registers: [app.serviceMetrics.registry],
  });
  app.decorate('hostRejections', rejections);

  app.addHook('onRequest', async (request) => {
    const host = request.raw.headers.host;
    if (host === undefined) {
      rejections.inc({ reason: 'missing', mode: 'enforce' });
      throw CommonErrors.HOST_MISSING({ detail: 'The request has no Host header.' });
    }
    if (host.trim() === '') {
      rejections.inc({ reason: 'empty', mode: 'enforce' });
      throw EdgeErrors.HOST_NOT_ALLOWED({ detail: 'The Host header is empty.' });
    }
  });
}

export const hostHeaderGuardPlugin = fp(hostHeaderGuard, { name: '@bursary/host-header-guard', fastify: '5.x', dependencies: ['@bursary/errors'] });

declare module 'fastify' {
  interface FastifyInstance {
    /** `host_rejections_total{reason,mode}` on this service's registry (R-HOST, R-OPS-1). */
    hostRejections: Counter<'reason' | 'mode'>;
  }
}
