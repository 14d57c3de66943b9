import { databasePlugin, databasePluginOptions, type DatabaseEnvConfig } from '@bursary/db';
import { eventStreamConfig, outboxRelayPlugin, type OutboxTable } from '@bursary/events';
import { runtimeConfigPlugin } from '@bursary/runtime-config';
import type { ServiceInstance } from './build-service.js';

/** The NATS part of a service config (packages/config `natsEnv`). */
export interface NatsEnvConfig {
  NATS_URL: string;
  RUNTIME_BUCKET: string;
  EVENTS_STREAM: string;
  EVENTS_SUBJECT_PREFIX: string;
}

export interface DataPlatformOptions<TSchema extends Record<string, unknown>> {
  config: DatabaseEnvConfig & NatsEnvConfig;
  /** The service name: application_name in Postgres, relay name in NATS. */
  service: string;
  /** The service's drizzle schema module. */
  schema: TSchema;
  /** The service's outbox table, relayed to JetStream (R-EVT-1). */
  outbox: OutboxTable;
}

/**
 * The data plumbing every service with a database registers after
 * buildService, in this order: its Postgres (R-DB), the live runtime config
 * (R-OPS-3), and the relay that publishes its outbox (R-EVT-1). Each is a
 * named plugin with its own readiness probe and cleanup on close.
 */
export async function registerDataPlatform<TSchema extends Record<string, unknown>>(app: ServiceInstance, options: DataPlatformOptions<TSchema>): Promise<void> {
  const { config } = options;
  await app.register(databasePlugin, databasePluginOptions(config, { applicationName: options.service, schema: options.schema }));
  await app.register(runtimeConfigPlugin, { nats: config.NATS_URL, bucket: config.RUNTIME_BUCKET });
  await app.register(outboxRelayPlugin, {
    nats: config.NATS_URL,
    sql: app.database.sql,
    table: options.outbox,
    registry: app.serviceMetrics.registry,
    stream: eventStreamConfig({ name: config.EVENTS_STREAM, subjectPrefix: config.EVENTS_SUBJECT_PREFIX }),
  });
}
