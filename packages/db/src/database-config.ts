import type { DatabasePluginOptions } from './database-plugin.js';

/** The DATABASE_* part of a service config (packages/config `databaseEnv`). */
export interface DatabaseEnvConfig {
  APP_ENV: 'development' | 'test' | 'production';
  DATABASE_URL: string;
  DATABASE_TLS: 'verify-full' | 'disable';
  DATABASE_CA_FILE?: string | undefined;
  DATABASE_POOL_MAX: number;
  DATABASE_IDLE_TIMEOUT_S: number;
  DATABASE_MAX_LIFETIME_S: number;
  DATABASE_STATEMENT_TIMEOUT_MS: number;
  DATABASE_CONNECT_TIMEOUT_S: number;
}

/**
 * Maps a service's validated environment to database plugin options. The one
 * place where the environment decides policy: production requires verified
 * TLS (R-DB-1), so a weaker setting stops the boot there.
 */
export function databasePluginOptions<TSchema extends Record<string, unknown>>(
  config: DatabaseEnvConfig,
  service: { applicationName: string; schema?: TSchema },
): DatabasePluginOptions<TSchema> {
  return {
    url: config.DATABASE_URL,
    tls: config.DATABASE_TLS,
    caFile: config.DATABASE_CA_FILE,
    requireVerifiedTls: config.APP_ENV === 'production',
    poolMax: config.DATABASE_POOL_MAX,
    idleTimeoutS: config.DATABASE_IDLE_TIMEOUT_S,
    maxLifetimeS: config.DATABASE_MAX_LIFETIME_S,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
    applicationName: service.applicationName,
    schema: service.schema,
  };
}
