import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * How each request left the limiter, one outcome per policy checked:
 * - `allowed`: the shared limiter let it through;
 * - `limited`: answered 429 (by the shared limiter, or by the local one while degraded);
 * - `degraded_open`: the shared limiter was unavailable and the local one let it through;
 * - `degraded_closed`: the shared limiter was unavailable and the route fails closed (503).
 */
export type RateLimitOutcome = 'allowed' | 'limited' | 'degraded_open' | 'degraded_closed';

export interface RateLimitMetrics {
  decisions: Counter<'policy' | 'outcome'>;
}

export function createRateLimitMetrics(registry: Registry, backendUp?: () => boolean): RateLimitMetrics {
  const decisions = new Counter({
    name: 'ratelimit_decisions_total',
    help: 'Rate-limit decisions by policy and outcome (allowed, limited, degraded_open, degraded_closed)',
    labelNames: ['policy', 'outcome'] as const,
    registers: [registry],
  });
  if (backendUp) {
    new Gauge({
      name: 'ratelimit_backend_up',
      help: '1 while the shared rate-limit backend (Redis) is connected, 0 while requests are decided locally or refused',
      registers: [registry],
      collect() {
        this.set(backendUp() ? 1 : 0);
      },
    });
  }
  return { decisions };
}
