import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Options } from 'postgres';

export interface MigrateServiceOptions {
  /** An owner/superuser connection URL to the target database. Used only by this command, never by the service. */
  adminUrl: string;
  /** The service's own DATABASE_URL: its role name and password are taken from it. */
  serviceUrl: string;
  /** The schema this service owns, e.g. "accounts". */
  schema: string;
  /** drizzle-kit output folder (SQL files + meta/_journal.json). */
  migrationsFolder: string;
  /** TLS options for both connections (same server). */
  ssl?: Options<Record<string, never>>['ssl'];
  log?: (message: string) => void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function roleFrom(serviceUrl: string): { role: string; password: string; database: string } {
  const url = new URL(serviceUrl);
  const role = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!IDENTIFIER.test(role)) throw new Error(`DATABASE_URL must name the service role as its user (got "${role}")`);
  if (!IDENTIFIER.test(database)) throw new Error(`DATABASE_URL must name a database (got "${database}")`);
  if (password.length === 0) throw new Error('DATABASE_URL must carry the service role password');
  return { role, password, database };
}

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The `migrate` command of a service (R-DB-5): creates the database if it is
 * missing, the service's role with least privilege (login, no superuser, no
 * DDL: the schema and its tables belong to the admin role, so the service can
 * read and write rows but never alter or drop tables), its schema, then applies
 * the versioned drizzle migrations. Idempotent; runs serialised by an advisory
 * lock because roles are cluster-wide and services migrate in parallel.
 */
export async function migrateService(options: MigrateServiceOptions): Promise<void> {
  const log = options.log ?? (() => undefined);
  const { schema } = options;
  if (!IDENTIFIER.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  const { role, password, database } = roleFrom(options.serviceUrl);
  const connection = { ssl: options.ssl ?? false, max: 1, onnotice: () => undefined, connect_timeout: 10 } as const;

  const maintenance = postgres(withDatabase(options.adminUrl, 'postgres'), connection);
  try {
    const [exists] = await maintenance`select 1 as one from pg_database where datname = ${database}`;
    if (!exists) {
      log(`creating database ${database}`);
      await maintenance.unsafe(`create database "${database}"`).catch((error: { code?: string }) => {
        // Created concurrently by another service's migrate: 42P04 when Postgres
        // saw the other database, 23505 when both inserts raced into pg_database.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await maintenance.end();
  }

  const admin = postgres(withDatabase(options.adminUrl, database), connection);
  try {
    await admin`select pg_advisory_lock(hashtext('bursary:migrate'))`;
    const [roleExists] = await admin`select 1 as one from pg_roles where rolname = ${role}`;
    if (!roleExists) {
      log(`creating role ${role}`);
      await admin.unsafe(`create role "${role}"`).catch((error: { code?: string }) => {
        if (error.code !== '42710' && error.code !== '23505') throw error; // as above, for pg_authid
      });
    }
    const [alterRole] = await admin`
      select format('alter role %I with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password %L', ${role}::text, ${password}::text) as statement`;
    await admin.unsafe(alterRole!['statement'] as string);
    await admin.unsafe(`
      grant connect on database "${database}" to "${role}";
      revoke create on schema public from public;
      create schema if not exists "${schema}";
      revoke all on schema "${schema}" from public;
      grant usage on schema "${schema}" to "${role}";
      alter default privileges in schema "${schema}" grant select, insert, update, delete on tables to "${role}";
      alter default privileges in schema "${schema}" grant usage, select on sequences to "${role}";
      alter role "${role}" set search_path = "${schema}";
    `);
    log(`applying migrations from ${options.migrationsFolder}`);
    await migrate(drizzle(admin), {
      migrationsFolder: options.migrationsFolder,
      migrationsSchema: schema,
      migrationsTable: '__migrations',
    });
    // The service may read which migrations ran (readiness) but never rewrite history.
    await admin.unsafe(`revoke all on "${schema}"."__migrations" from "${role}"; grant select on "${schema}"."__migrations" to "${role}";`);
    await admin`select pg_advisory_unlock(hashtext('bursary:migrate'))`;
  } finally {
    await admin.end();
  }
}
