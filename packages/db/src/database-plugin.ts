import type {} from '@bursary/observability';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { createDatabase, type Database } from './create-database.js';
import type { DatabaseLogger, DatabaseOptions } from './database-options.js';

export interface DatabasePluginOptions<TSchema extends Record<string, unknown> = Record<string, unknown>>
  extends Omit<DatabaseOptions<TSchema>, 'logger' | 'metrics'> {
  /** Defaults to app.log. */
  logger?: DatabaseLogger;
  /** Defaults to the service registry (`app.serviceMetrics.registry` from buildService). */
  metrics?: Registry;
}

/** service-kit decorates `serviceMetrics`; read structurally so this package does not depend on service-kit. */
function serviceRegistry(app: FastifyInstance): Registry | undefined {
  const decorated = (app as unknown as { serviceMetrics?: { registry?: Registry } }).serviceMetrics;
  return decorated?.registry;
}

/**
 * The database of a service as shared infrastructure (DESIGN.md §3.4):
 * decorates `app.database`, registers the "postgres" readiness probe and ends
 * the pool on close. A configuration error (say DATABASE_TLS=disable in
 * production) fails the boot; an unreachable database does not: the service
 * starts, /readyz reports postgres down, and a background loop with
 * full-jitter backoff connects when the database comes up (R-DB-2).
 */
async function database(app: FastifyInstance, options: DatabasePluginOptions): Promise<void> {
  const instance = createDatabase({ ...options, logger: options.logger ?? app.log, metrics: options.metrics ?? serviceRegistry(app) });
  app.decorate('database', instance);
  app.readiness.add('postgres', () => instance.readinessProbe());

  // Not awaited: readiness reports the outage meanwhile. close() aborts it.
  const connecting = instance.connect().catch(() => undefined);
  app.addHook('onClose', async () => {
    await instance.close();
    await connecting;
  });
}

export const databasePlugin = fp(database, { name: '@bursary/db', fastify: '5.x', dependencies: ['@bursary/health'] });

declare module 'fastify' {
  interface FastifyInstance {
    /** Typed per service with `app.database as Database<typeof schema>`. */
    database: Database<Record<string, unknown>>;
  }
}
