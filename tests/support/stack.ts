import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { openRuntimeBucket, type RuntimeKey, type RuntimeValues } from '@bursary/runtime-config';
import { startThrowawayPostgres, uniqueSuffix, waitFor, type ThrowawayPostgres } from '@bursary/testing';
import { runMigrate, startServiceProcess, type ServiceProcess } from './service-process.js';

export const DATABASE_SERVICES = ['accounts', 'catalog', 'payments', 'webhooks'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

export interface Stack {
  postgres: ThrowawayPostgres;
  services: Record<DatabaseService, ServiceProcess>;
  gateway: ServiceProcess;
  /** This stack's own NATS names, so it never touches a running `npm start`. */
  nats: { url: string; bucket: string; stream: string; subjectPrefix: string };
  /** Stops every process (SIGTERM) and returns their exit codes by name. */
  stop(): Promise<Record<string, number | null>>;
}

function serviceDatabaseUrl(postgres: ThrowawayPostgres, service: string): string {
  return `postgres://bursary_${service}:e2e_${service}_pw@127.0.0.1:${postgres.port}/bursary`;
}

/**
 * The whole platform as production runs it (compiled JS, plain node), on free
 * ports, over a Postgres of its own so that tests may stop and start it.
 */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  const suffix = uniqueSuffix('e2e');
  const nats = { url: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222', bucket: `runtime_${suffix}`, stream: `EVENTS_${suffix}`, subjectPrefix: `events-${suffix}` };
  extraEnv = { NATS_URL: nats.url, RUNTIME_BUCKET: nats.bucket, EVENTS_STREAM: nats.stream, EVENTS_SUBJECT_PREFIX: nats.subjectPrefix, ...extraEnv };
  const postgres = await startThrowawayPostgres();
  const adminUrl = `postgres://postgres@127.0.0.1:${postgres.port}/bursary`;
  const started: ServiceProcess[] = [];
  try {
    for (const service of DATABASE_SERVICES) {
      await runMigrate(service, { DATABASE_ADMIN_URL: adminUrl, DATABASE_URL: serviceDatabaseUrl(postgres, service), DATABASE_TLS: 'disable' });
    }
    const services = {} as Record<DatabaseService, ServiceProcess>;
    await Promise.all(
      DATABASE_SERVICES.map(async (service) => {
        const process = await startServiceProcess(service, { DATABASE_URL: serviceDatabaseUrl(postgres, service), DATABASE_TLS: 'disable', ...extraEnv });
        started.push(process);
        services[service] = process;
      }),
    );
    const gateway = await startServiceProcess('gateway', {
      UPSTREAM_ACCOUNTS_URL: services.accounts.url,
      UPSTREAM_CATALOG_URL: services.catalog.url,
      UPSTREAM_PAYMENTS_URL: services.payments.url,
      UPSTREAM_WEBHOOKS_URL: services.webhooks.url,
      ...extraEnv,
    });
    started.push(gateway);
    return {
      postgres,
      services,
      gateway,
      nats,
      async stop() {
        const codes = await Promise.all(started.map(async (p) => [p.name, await p.stop()] as const));
        postgres.destroy();
        await removeNatsNames(nats);
        return Object.fromEntries(codes);
      },
    };
  } catch (error) {
    await Promise.all(started.map((p) => p.stop()));
    postgres.destroy();
    await removeNatsNames(nats);
    throw error;
  }
}

/** Deletes the stack's event stream and runtime bucket (a KV bucket is the stream KV_<name>). */
export async function removeNatsNames(nats: Stack['nats']): Promise<void> {
  const connection = await connect({ servers: nats.url });
  try {
    const manager = await jetstreamManager(connection);
    for (const stream of [nats.stream, `KV_${nats.bucket}`]) await manager.streams.delete(stream).catch(() => undefined);
  } finally {
    await connection.close();
  }
}

/**
 * Puts a live setting in the stack's own runtime bucket (R-OPS-3) and waits
 * until `applied` sees the running services act on it.
 */
export async function setRuntimeValue<K extends RuntimeKey>(stack: Stack, key: K, value: RuntimeValues[K], applied: () => Promise<boolean>): Promise<void> {
  const connection = await connect({ servers: stack.nats.url });
  try {
    const kv = await openRuntimeBucket(connection, stack.nats.bucket);
    await kv.put(key, JSON.stringify(value));
  } finally {
    await connection.close();
  }
  await waitFor(applied, { what: `${key}=${JSON.stringify(value)} to reach the services`, timeoutMs: 10_000, intervalMs: 50 });
}
