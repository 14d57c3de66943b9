import type { DatabaseOptions } from '@bursary/db';
import { recordingLogger } from './recording-logger.js';

/** Options as a service would pass them, with test-friendly sizes; the certificate timer is off unless a test turns it on. */
export function testDatabaseOptions(overrides: Partial<DatabaseOptions> & Pick<DatabaseOptions, 'url' | 'tls'>): DatabaseOptions {
  return {
    requireVerifiedTls: false,
    poolMax: 4,
    idleTimeoutS: 30,
    maxLifetimeS: 600,
    statementTimeoutMs: 5000,
    connectTimeoutS: 3,
    applicationName: 'bursary-db-test',
    logger: recordingLogger(),
    certificateCheckIntervalMs: 0,
    ...overrides,
  };
}
