import { readFileSync } from 'node:fs';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import { loadConfig, type Env } from '@bursary/config';
import { Type } from 'typebox';
import { resolveConnectionTarget } from './database-options.js';
import { migrateService } from './migrate-service.js';

const MigrateEnv = Type.Object({
  DATABASE_ADMIN_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL of a role that owns the database (used only to migrate)' }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'the service\'s postgres:// URL; its user and password define the service role' }),
  DATABASE_TLS: Type.Union([Type.Literal('verify-full'), Type.Literal('disable')], { default: 'verify-full', description: 'one of "verify-full", "disable"' }),
  DATABASE_CA_FILE: Type.Optional(Type.String({ description: 'the path of the PEM CA bundle' })),
});

/** The body of every service's `migrate` entry point: env in, migrations applied, one line out. */
export async function runMigrateCommand(options: { schema: string; migrationsFolder: string; env: Env }): Promise<void> {
  const env = loadConfig(MigrateEnv, options.env);
  let ssl: ConnectionOptions | false = false;
  if (env.DATABASE_TLS === 'verify-full') {
    const target = resolveConnectionTarget({ url: env.DATABASE_ADMIN_URL, tls: env.DATABASE_TLS, caFile: env.DATABASE_CA_FILE, requireVerifiedTls: false });
    ssl = {
      ca: readFileSync(target.caFile as string),
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      // postgres.js leaves `servername` unset for an IP host, and Node then checks the certificate against "localhost".
      checkServerIdentity: (_name, certificate) => checkServerIdentity(target.host, certificate),
    };
  }
  await migrateService({
    adminUrl: env.DATABASE_ADMIN_URL,
    serviceUrl: env.DATABASE_URL,
    schema: options.schema,
    migrationsFolder: options.migrationsFolder,
    ssl,
    log: (message) => console.warn(`[migrate ${options.schema}] ${message}`),
  });
}
