import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Latency buckets in seconds. 0.12 and 0.3 are the P95/P99 gates of
 * REQUIREMENTS.md, so SLO burn can be computed from bucket counts exactly.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.08, 0.1, 0.12, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'route' | 'method' | 'status'>;
}

/** One registry per app instance (tests build many apps in one process). */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  return { registry, httpDuration };
}
