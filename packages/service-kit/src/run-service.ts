import { startMetricsServer } from '@bursary/observability';
import type { ServiceInstance } from './build-service.js';

export interface RunOptions {
  host: string;
  port: number;
  metricsHost: string;
  metricsPort: number;
  /** How long in-flight requests may take to finish after SIGTERM before a forced exit. */
  shutdownGraceMs: number;
  /** False in a cluster worker, whose primary serves the workers' aggregate on metricsPort. */
  serveMetrics?: boolean;
  /** Work to stop after the HTTP server closed (workers, relays); pools close in onClose hooks. */
  onShutdown?: () => Promise<void>;
}

/**
 * Listens, starts the internal metrics listener and owns graceful shutdown:
 * on SIGTERM or SIGINT, /readyz turns 503, the listener stops accepting,
 * in-flight requests drain, onClose hooks close pools, and the process exits 0.
 * Called only from a service's server.ts.
 */
export async function runService(app: ServiceInstance, options: RunOptions): Promise<void> {
  await app.listen({ host: options.host, port: options.port });
  const metrics = options.serveMetrics === false ? undefined : await startMetricsServer(app.serviceMetrics.registry, options.metricsHost, options.metricsPort);
  if (metrics !== undefined) app.log.info({ metricsPort: metrics.port }, 'metrics listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    app.readiness.startDraining();
    const forced = setTimeout(() => {
      app.log.error({ graceMs: options.shutdownGraceMs }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, options.shutdownGraceMs);
    forced.unref();
    try {
      await app.close();
      await options.onShutdown?.();
      await metrics?.close();
      app.log.info('shutdown complete');
      clearTimeout(forced);
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    app.log.fatal({ err: reason }, 'unhandled rejection');
    void stop('unhandledRejection');
  });
}
