import cluster from 'node:cluster';
import { ConfigError } from '@bursary/config';
import { startService } from '@bursary/service-kit';
import { buildApp } from './app.js';
import { loadGatewayConfig } from './config.js';
import { reportMetricsToPrimary, runClusterPrimary } from './modules/cluster/gateway-cluster.js';

/** GATEWAY_WORKERS, read before anything starts; a bad value is reported by startService like any other setting. */
function workerCount(): number {
  try {
    return loadGatewayConfig(process.env).GATEWAY_WORKERS;
  } catch (error) {
    if (error instanceof ConfigError) return 1;
    throw error;
  }
}

if (cluster.isPrimary && workerCount() > 1) {
  const config = loadGatewayConfig(process.env);
  await runClusterPrimary({ workers: config.GATEWAY_WORKERS, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT });
} else {
  await startService({
    env: process.env,
    loadConfig: loadGatewayConfig,
    buildApp: async (config) => {
      const app = await buildApp(config);
      if (cluster.isWorker) reportMetricsToPrimary(app.serviceMetrics.registry);
      return app;
    },
    serveMetrics: cluster.isPrimary,
  });
}
