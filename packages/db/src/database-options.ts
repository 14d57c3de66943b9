import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { ConfigError } from '@bursary/config';
import type { Registry } from 'prom-client';
import type { BackoffPolicy } from './retry-with-backoff.js';

export const DatabaseTlsMode = { VERIFY_FULL: 'verify-full', DISABLE: 'disable' } as const;
export type DatabaseTlsMode = (typeof DatabaseTlsMode)[keyof typeof DatabaseTlsMode];

/** The part of a pino logger the database uses; a Fastify `app.log` fits. */
export interface DatabaseLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  debug?(object: object, message?: string): void;
}

export interface DatabaseOptions<TSchema extends Record<string, unknown> = Record<string, never>> {
  /** DATABASE_URL: postgres://user:password@host:port/database, one TCP host. */
  url: string;
  /** DATABASE_TLS. */
  tls: DatabaseTlsMode;
  /** DATABASE_CA_FILE: PEM bundle; read again for every new connection, so a rotated CA needs no restart (R-DB-4). */
  caFile?: string | undefined;
  /** Production passes true: anything but verify-full with a readable CA is refused at startup (R-DB-1). */
  requireVerifiedTls: boolean;
  /** DATABASE_POOL_MAX. */
  poolMax: number;
  /** DATABASE_IDLE_TIMEOUT_S; 0 keeps idle connections. */
  idleTimeoutS: number;
  /** DATABASE_MAX_LIFETIME_S: connections are recycled after this, so rotated server certificates and DNS changes reach every connection. */
  maxLifetimeS: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS: sent as the statement_timeout startup parameter of every connection. */
  statementTimeoutMs: number;
  /** DATABASE_CONNECT_TIMEOUT_S: bounds TCP + TLS (with retries) and, separately, the login. */
  connectTimeoutS: number;
  /** application_name, visible in pg_stat_activity. */
  applicationName: string;
  logger: DatabaseLogger;
  /** Registry for the db_* metrics (the service's); a private one when absent. */
  metrics?: Registry | undefined;
  /** The drizzle schema (tables and relations) for `db.query.*`. */
  schema?: TSchema | undefined;
  /** Backoff of the background reconnect loop; default 250 ms doubling up to 30 s. */
  reconnectBackoff?: BackoffPolicy | undefined;
  /** How often the server certificate's expiry is checked; default one hour, 0 turns the timer off. */
  certificateCheckIntervalMs?: number | undefined;
  /** Days to expiry at or below which each check logs a warning; default 30 (R-DB-4). */
  certificateExpiryWarningDays?: number | undefined;
}

export interface ConnectionTarget {
  host: string;
  port: number;
  /** The CA file when TLS is verify-full. */
  caFile: string | undefined;
  server: string;
}

/** The URL without its password, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function readCa(caFile: string): void {
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new ConfigError('DATABASE_CA_FILE', `a readable PEM CA bundle (cannot read it: ${code})`, caFile);
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new ConfigError('DATABASE_CA_FILE', 'a PEM file holding the CA certificate(s) that sign the database server certificate (this file holds none)', caFile);
  }
}

/**
 * Startup checks (R-DB-1, DESIGN.md §3.2): a configuration that would connect
 * unverified in production, or that cannot work at all, fails at boot with a
 * message naming the variable, never at the first query.
 */
export function resolveConnectionTarget(options: Pick<DatabaseOptions, 'url' | 'tls' | 'caFile' | 'requireVerifiedTls'>): ConnectionTarget {
  if (options.tls !== DatabaseTlsMode.VERIFY_FULL && options.tls !== DatabaseTlsMode.DISABLE) {
    throw new ConfigError('DATABASE_TLS', 'one of "verify-full", "disable"', String(options.tls));
  }
  if (options.requireVerifiedTls && options.tls !== DatabaseTlsMode.VERIFY_FULL) {
    throw new ConfigError('DATABASE_TLS', '"verify-full" in production (R-DB-1: the database connection must be TLS with certificate and hostname verification)', options.tls);
  }

  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ConfigError('DATABASE_URL', 'a postgres://user:password@host:port/database URL', redactUrl(options.url));
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', 'a postgres:// or postgresql:// URL', redactUrl(options.url));
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host || host.includes(',') || options.url.slice(options.url.indexOf('://') + 3).split(/[/?]/)[0]?.includes(',')) {
    throw new ConfigError('DATABASE_URL', 'a URL naming exactly one TCP host (multi-host and Unix-socket URLs are not supported)', redactUrl(options.url));
  }
  // TLS is configured by DATABASE_TLS alone, so a URL cannot quietly weaken it.
  for (const parameter of ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey']) {
    if (url.searchParams.has(parameter)) {
      throw new ConfigError('DATABASE_URL', `a URL without "${parameter}" (TLS is set by DATABASE_TLS and DATABASE_CA_FILE)`, redactUrl(options.url));
    }
  }
  const port = url.port ? Number(url.port) : 5432;

  let caFile: string | undefined;
  if (options.tls === DatabaseTlsMode.VERIFY_FULL) {
    if (!options.caFile) {
      throw new ConfigError('DATABASE_CA_FILE', 'the path of the PEM CA bundle (required when DATABASE_TLS is verify-full)', undefined);
    }
    readCa(options.caFile);
    caFile = options.caFile;
  }
  return { host, port, caFile, server: `${host}:${port}` };
}
