import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface OutboxMetrics {
  backlog: Gauge<'outbox'>;
  publishLag: Histogram<'outbox'>;
  publishErrors: Counter<'outbox'>;
}

/** Commit→publish lag buckets in seconds: sub-10 ms when healthy, minutes during a NATS outage. */
export const OUTBOX_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

/**
 * The outbox metrics on `registry` (R-OPS-1), labelled by outbox schema.
 * Idempotent per registry, so several relays of one process share them.
 */
export function outboxMetrics(registry: Registry): OutboxMetrics {
  const existing = registry.getSingleMetric('outbox_backlog');
  if (existing) {
    return {
      backlog: existing as Gauge<'outbox'>,
      publishLag: registry.getSingleMetric('outbox_publish_lag_seconds') as Histogram<'outbox'>,
      publishErrors: registry.getSingleMetric('outbox_publish_errors_total') as Counter<'outbox'>,
    };
  }
  return {
    backlog: new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows committed but not yet published to JetStream',
      labelNames: ['outbox'] as const,
      registers: [registry],
    }),
    publishLag: new Histogram({
      name: 'outbox_publish_lag_seconds',
      help: 'Time from the outbox insert to the JetStream publish acknowledgement',
      labelNames: ['outbox'] as const,
      buckets: OUTBOX_LAG_BUCKETS,
      registers: [registry],
    }),
    publishErrors: new Counter({
      name: 'outbox_publish_errors_total',
      help: 'Outbox events whose publish attempt failed (they are retried)',
      labelNames: ['outbox'] as const,
      registers: [registry],
    }),
  };
}
