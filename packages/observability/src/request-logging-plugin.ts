import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceMetrics } from './metrics-registry.js';

/** The route template, never the raw path: raw paths explode metric cardinality. */
function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

function tlsFields(request: FastifyRequest): Record<string, string> {
  const socket = request.raw.socket as Partial<TLSSocket> | undefined;
  if (!socket || typeof socket.getProtocol !== 'function') return {};
  const cipher = socket.getCipher?.();
  return { tlsProtocol: socket.getProtocol() ?? 'unknown', tlsCipher: cipher?.name ?? 'unknown' };
}

/**
 * One log line per request (R-OPS-5) and the request-duration histogram
 * (R-OPS-1), both written when the response is finished.
 */
async function requestLogging(app: FastifyInstance, options: { metrics: ServiceMetrics }): Promise<void> {
  // A client that hangs up before the response still gets its line, as 499
  // (the nginx convention), so aborted requests are counted, not lost.
  const logged = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    request.startedAt = performance.now();
  });
  app.addHook('onRequestAbort', async (request) => {
    logRequest(request, 499, performance.now() - request.startedAt, undefined);
  });
  app.addHook('onResponse', async (request, reply) => {
    logRequest(request, reply.statusCode, reply.elapsedTime, reply.errorCode);
  });

  function logRequest(request: FastifyRequest, status: number, durationMs: number, errorCode: string | undefined): void {
    if (logged.has(request)) return;
    logged.add(request);
    const route = routeLabel(request);
    options.metrics.httpDuration.observe({ route, method: request.method, status: String(status) }, durationMs / 1000);
    const line = {
      host: request.headers.host,
      clientIp: request.ip,
      method: request.method,
      route,
      url: request.url.split('?')[0],
      status,
      durationMs: Math.round(durationMs * 100) / 100,
      errorCode,
      ...tlsFields(request),
    };
    const level = status >= 500 ? 'error' : 'info';
    request.log[level](line, 'request');
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    startedAt: number;
  }
}

export const requestLoggingPlugin = fp(requestLogging, { name: '@bursary/request-logging', fastify: '5.x' });
