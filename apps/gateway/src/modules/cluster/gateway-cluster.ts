import cluster, { type Worker } from 'node:cluster';
import { startMetricsServer } from '@bursary/observability';
import { AggregatorRegistry, type PrometheusContentType, type Registry } from 'prom-client';

/** METRICS_PORT of a cluster: every worker's registry, merged on each scrape (counters and histograms summed). */
class ClusterMetricsRegistry extends AggregatorRegistry<PrometheusContentType> {
  override metrics(): Promise<string> {
    return this.clusterMetrics();
  }
}

interface ClusterOptions {
  workers: number;
  metricsHost: string;
  metricsPort: number;
}

/** A worker that dies this soon after its start is failing to start, not crashing under load: restarting it would only loop. */
const STARTUP_FAILURE_MS = 10_000;

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  // One JSON line like the workers' pino output; the primary has no Fastify logger.
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'gateway', role: 'cluster-primary', ...fields, msg })}\n`);
}

/**
 * The primary of GATEWAY_WORKERS > 1: forks the workers (they share PORT
 * through node:cluster), serves their merged metrics on METRICS_PORT,
 * replaces a worker that crashes, and on SIGTERM/SIGINT passes the signal on
 * so every worker drains as a single process would, then exits.
 */
export async function runClusterPrimary(options: ClusterOptions): Promise<void> {
  const metrics = await startMetricsServer(new ClusterMetricsRegistry(), options.metricsHost, options.metricsPort);
  const startedAt = new Map<Worker, number>();
  let stopping = false;
  let failed = false;

  const fork = () => startedAt.set(cluster.fork(), Date.now());
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down: signalling the workers', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (code !== 0) failed = true;
    if (!stopping) {
      log('error', 'worker exited', { pid: worker.process.pid, code, signal });
      if (lived < STARTUP_FAILURE_MS) {
        // e.g. the port is taken or Redis config is refused: the same for every worker.
        stop('SIGTERM');
      } else {
        failed = false;
        fork();
      }
    }
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) {
      void metrics.close().then(() => process.exit(failed ? 1 : 0));
    }
  });
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  for (let i = 0; i < options.workers; i++) fork();
  log('info', 'cluster started', { workers: options.workers, metricsPort: metrics.port });
}

/** In a worker: answer the primary's metrics requests with this worker's registry. */
export function reportMetricsToPrimary(registry: Registry): void {
  // prom-client installs the worker's reply listener in the constructor only.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}
