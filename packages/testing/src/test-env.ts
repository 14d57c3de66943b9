import { randomBytes } from 'node:crypto';

/** A Redis key prefix / NATS name suffix no other test file shares. */
export function uniqueSuffix(label = 't'): string {
  return `${label}_${randomBytes(5).toString('hex')}`;
}

/** Environment a service config is loaded from in tests: real servers, quiet logs, free ports. */
export function serviceTestEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    APP_ENV: 'test',
    LOG_LEVEL: process.env['BURSARY_TEST_LOG_LEVEL'] ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `test:${uniqueSuffix()}:`,
    NATS_URL: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
    // Never the bucket and stream of a running `npm start`: a developer's
    // maintenance switch must not fail the suite, nor test events reach dev consumers.
    RUNTIME_BUCKET: 'runtime_test',
    EVENTS_STREAM: 'EVENTS_TEST',
    EVENTS_SUBJECT_PREFIX: 'test-events',
    DATABASE_TLS: 'disable',
    ...overrides,
  };
}
