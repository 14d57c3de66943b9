import { Type } from 'typebox';

export const AppEnvironment = Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
  description: 'one of "development", "test", "production"',
  default: 'development',
});

const Port = (fallback: number, description: string) =>
  Type.Integer({ minimum: 0, maximum: 65535, default: fallback, description: `${description} (an integer from 0 to 65535)` });

/**
 * Variables every service reads. The metrics listener defaults to port + 1000
 * (R-OPS-1: never through the public port).
 */
export function commonEnv(defaultPort: number) {
  return {
    APP_ENV: AppEnvironment,
    HOST: Type.String({ default: '127.0.0.1', description: 'the address to listen on, e.g. 0.0.0.0' }),
    PORT: Port(defaultPort, 'the public HTTP port'),
    METRICS_HOST: Type.String({ default: '127.0.0.1', description: 'the address of the internal metrics listener' }),
    METRICS_PORT: Port(defaultPort + 1000, 'the internal metrics port'),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info', description: 'one of fatal, error, warn, info, debug, trace, silent' },
    ),
    SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 120000, default: 10000, description: 'milliseconds to drain in-flight requests on SIGTERM' }),
    BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 50 * 1024 * 1024, default: 1024 * 1024, description: 'the largest accepted request body in bytes' }),
  };
}

export const databaseEnv = {
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL for this service\'s role' }),
  DATABASE_TLS: Type.Union([Type.Literal('verify-full'), Type.Literal('disable')], {
    default: 'verify-full',
    description: 'one of "verify-full", "disable" (production accepts only verify-full)',
  }),
  DATABASE_CA_FILE: Type.Optional(Type.String({ description: 'the path of the PEM CA bundle that signs the server certificate' })),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10, description: 'the pool size (an integer from 1 to 200)' }),
  DATABASE_IDLE_TIMEOUT_S: Type.Integer({ minimum: 0, default: 30, description: 'seconds before an idle connection closes' }),
  DATABASE_MAX_LIFETIME_S: Type.Integer({ minimum: 60, default: 1800, description: 'seconds before a connection is recycled (≥ 60)' }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000, description: 'milliseconds before a statement is cancelled (≥ 100)' }),
  DATABASE_CONNECT_TIMEOUT_S: Type.Integer({ minimum: 1, default: 5, description: 'seconds to wait for a connection' }),
};

export const redisEnv = {
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379', description: 'a redis:// or rediss:// URL' }),
  REDIS_KEY_PREFIX: Type.String({ default: 'bursary:', description: 'the prefix of every Redis key this service writes' }),
};

export const natsEnv = {
  NATS_URL: Type.String({ pattern: '^(nats|tls)://', default: 'nats://127.0.0.1:4222', description: 'a nats:// URL (comma-separate several servers)' }),
  RUNTIME_BUCKET: Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: 'runtime', description: 'the NATS KV bucket of kill switches and live settings (letters, digits, _ and -)' }),
  EVENTS_STREAM: Type.String({ pattern: '^[A-Za-z0-9_-]+$', default: 'EVENTS', description: 'the JetStream stream that captures domain events (letters, digits, _ and -)' }),
  EVENTS_SUBJECT_PREFIX: Type.String({ pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$', default: 'events', description: 'the subject prefix of domain events, e.g. events' }),
};
