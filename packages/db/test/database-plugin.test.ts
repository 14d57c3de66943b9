import { ConfigError } from '@bursary/config';
import { databasePlugin, type DatabasePluginOptions } from '@bursary/db';
import { errorBoundaryPlugin } from '@bursary/errors';
import { healthPlugin } from '@bursary/observability';
import { waitFor } from '@bursary/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from './support/recording-logger.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.js';
import { tlsCluster, type TlsCluster } from './support/tls-cluster.js';

const pluginOptions = (overrides: Partial<DatabasePluginOptions> & Pick<DatabasePluginOptions, 'url' | 'tls'>): DatabasePluginOptions => ({
  requireVerifiedTls: false,
  poolMax: 2,
  idleTimeoutS: 30,
  maxLifetimeS: 600,
  statementTimeoutMs: 5000,
  connectTimeoutS: 1,
  applicationName: 'bursary-db-plugin-test',
  logger: recordingLogger(),
  certificateCheckIntervalMs: 0,
  reconnectBackoff: { baseMs: 20, maxMs: 200 },
  ...overrides,
});

/** The slice of buildService() the plugin depends on: error boundary, health, the service registry. */
async function buildApp(options: DatabasePluginOptions, registry = new Registry()): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.decorate('serviceMetrics', { registry });
  await app.register(errorBoundaryPlugin);
  await app.register(healthPlugin);
  await app.register(databasePlugin, options);
  return app;
}

describe('databasePlugin', () => {
  let cluster: TlsCluster;
  let stopped: ThrowawayPostgres;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    [cluster, stopped] = await Promise.all([tlsCluster(), startThrowawayPostgres({ start: false })]);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await stopped?.destroy();
  });

  it('R-DB-1: decorates app.database and /readyz reports postgres with pool and certificate details', async () => {
    const registry = new Registry();
    const app = await buildApp(pluginOptions({ url: cluster.adminUrl, tls: 'verify-full', caFile: cluster.caFile, requireVerifiedTls: true, certificateCheckIntervalMs: 60_000 }), registry);
    apps.push(app);
    await app.ready();
    await app.database.ping();
    const body = await waitFor(async () => {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      const json = response.json() as { checks?: { postgres?: { details?: Record<string, unknown> } } };
      return response.statusCode === 200 && json.checks?.postgres?.details?.['certificateDaysToExpiry'] !== undefined && json;
    }, { timeoutMs: 5000, what: 'ready with certificate details' });
    expect(body.checks?.postgres).toMatchObject({
      ok: true,
      details: { tls: 'verify-full', pool: { max: 2 }, certificateDaysToExpiry: expect.any(Number) },
    });
    // The service registry carries the db_* metrics.
    const exposition = await registry.metrics();
    expect(exposition).toMatch(/db_pool_connections\{state="idle"\} \d/);
    expect(exposition).toMatch(/db_tls_certificate_expiry_days\{server="localhost:5433"\} \d/);
  });

  it('R-DB-1: production configuration without verify-full fails the boot, naming the variable', async () => {
    const app = Fastify({ logger: false });
    apps.push(app);
    await app.register(errorBoundaryPlugin);
    await app.register(healthPlugin);
    const boot = app.register(databasePlugin, pluginOptions({ url: cluster.adminUrl, tls: 'disable', requireVerifiedTls: true }));
    await expect(boot).rejects.toThrow(ConfigError);
    await expect(boot).rejects.toThrow(/^Invalid environment variable DATABASE_TLS: expected "verify-full" in production/);
  });

  it('R-DB-2: boots while Postgres is down, /readyz says so, and it recovers when Postgres comes up', async () => {
    const logger = recordingLogger();
    const app = await buildApp(pluginOptions({ url: stopped.url(), tls: 'disable', logger }));
    apps.push(app);
    await app.ready();

    const down = await app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({
      dependencies: ['postgres'],
      checks: { postgres: { ok: false, error: expect.stringMatching(/^database unavailable: .*ECONNREFUSED/) } },
    });

    await stopped.start();
    await waitFor(async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200, { timeoutMs: 15_000, what: '/readyz to turn ready' });
    await waitFor(() => logger.entries.some((entry) => entry.message === 'database connected'), { timeoutMs: 5000, what: 'the background connect loop to finish' });
    await stopped.stop();
  });
});
