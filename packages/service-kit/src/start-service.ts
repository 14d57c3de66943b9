import { ConfigError, type Env } from '@bursary/config';
import type { ServiceInstance } from './build-service.js';
import { runService } from './run-service.js';

/** The fields of commonEnv() that running a service needs. */
export interface RunnableConfig {
  HOST: string;
  PORT: number;
  METRICS_HOST: string;
  METRICS_PORT: number;
  SHUTDOWN_GRACE_MS: number;
}

export interface StartServiceOptions<C extends RunnableConfig> {
  env: Env;
  loadConfig: (env: Env) => C;
  buildApp: (config: C) => Promise<ServiceInstance>;
  /**
   * Whether this process serves METRICS_PORT itself (default true). A cluster
   * worker does not: its primary serves the aggregate of all workers there.
   */
  serveMetrics?: boolean;
}

/**
 * The body of every server.ts: load config, build the app, run it. A bad
 * configuration prints one line naming the variable and exits 1 (no stack
 * trace to scroll through at 3 a.m.).
 */
export async function startService<C extends RunnableConfig>(options: StartServiceOptions<C>): Promise<void> {
  try {
    const config = options.loadConfig(options.env);
    const app = await options.buildApp(config);
    await runService(app, {
      host: config.HOST,
      port: config.PORT,
      metricsHost: config.METRICS_HOST,
      metricsPort: config.METRICS_PORT,
      shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      serveMetrics: options.serveMetrics ?? true,
    });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `fatal: service failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
