import { CommonErrors, sendProblem } from '@bursary/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A dependency probe: resolves (optionally with details) when healthy, throws when not. */
export type ReadinessProbe = () => Promise<Record<string, unknown> | void>;

export interface Readiness {
  /** Registers a dependency checked by /readyz (e.g. "postgres", "redis", "nats"). */
  add(name: string, probe: ReadinessProbe): void;
  /** Called on SIGTERM: /readyz turns 503 so load balancers stop sending traffic. */
  startDraining(): void;
  isDraining(): boolean;
  check(): Promise<ReadinessReport>;
}

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  checks: Record<string, { ok: boolean; error?: string; details?: Record<string, unknown> }>;
}

const PROBE_TIMEOUT_MS = 2000;

async function runProbe(probe: ReadinessProbe): Promise<{ ok: boolean; error?: string; details?: Record<string, unknown> }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return details ? { ok: true, details } : { ok: true };
  } catch (error) {
    // The message names the failure class (refused, timeout, auth), never credentials.
    return { ok: false, error: error instanceof Error ? error.message : 'failed' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /healthz is liveness: the process answers. /readyz is readiness: every
 * dependency this service uses answers; otherwise 503 problem+json naming the
 * failing ones in `dependencies`.
 */
async function health(app: FastifyInstance): Promise<void> {
  const probes = new Map<string, ReadinessProbe>();
  let draining = false;

  const readiness: Readiness = {
    add: (name, probe) => void probes.set(name, probe),
    startDraining: () => void (draining = true),
    isDraining: () => draining,
    async check() {
      const entries = await Promise.all([...probes].map(async ([name, probe]) => [name, await runProbe(probe)] as const));
      const checks = Object.fromEntries(entries);
      const ready = !draining && entries.every(([, result]) => result.ok);
      return { ready, draining, checks };
    },
  };
  app.decorate('readiness', readiness);

  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
    const report = await readiness.check();
    if (report.ready) return reply.header('cache-control', 'no-store').send({ status: 'ready', checks: report.checks });
    const failing = Object.entries(report.checks).filter(([, r]) => !r.ok).map(([name]) => name);
    const detail = report.draining ? 'The service is shutting down.' : `Unavailable: ${failing.join(', ')}.`;
    return sendProblem(request, reply.header('cache-control', 'no-store'), CommonErrors.NOT_READY({
      detail,
      extensions: { dependencies: failing, checks: report.checks },
      headers: { 'retry-after': '5' },
    }));
  });
}

export const healthPlugin = fp(health, { name: '@bursary/health', fastify: '5.x', dependencies: ['@bursary/errors'] });

declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}
