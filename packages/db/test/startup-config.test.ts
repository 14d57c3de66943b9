import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@bursary/config';
import { createDatabase } from '@bursary/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certs } from './support/certificates.js';
import { testDatabaseOptions } from './support/database-options.js';

const URL_WITH_PASSWORD = 'postgres://svc:s3cret-pw@db.internal:5432/app';

function startupError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected createDatabase to refuse the configuration');
}

describe('startup checks (R-DB-1)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bursary-db-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('R-DB-1: production refuses DATABASE_TLS=disable at startup, naming the variable', () => {
    const error = startupError(() => createDatabase(testDatabaseOptions({ url: URL_WITH_PASSWORD, tls: 'disable', requireVerifiedTls: true })));
    expect(error.variable).toBe('DATABASE_TLS');
    expect(error.message).toMatch(/^Invalid environment variable DATABASE_TLS: expected "verify-full" in production/);
  });

  it('R-DB-1: verify-full without a CA file is refused, naming DATABASE_CA_FILE', () => {
    const error = startupError(() => createDatabase(testDatabaseOptions({ url: URL_WITH_PASSWORD, tls: 'verify-full', requireVerifiedTls: true })));
    expect(error.variable).toBe('DATABASE_CA_FILE');
    expect(error.message).toMatch(/^Missing environment variable DATABASE_CA_FILE/);
  });

  it('R-DB-1: an unreadable or non-PEM CA file is refused at startup', async () => {
    const missing = startupError(() => createDatabase(testDatabaseOptions({ url: URL_WITH_PASSWORD, tls: 'verify-full', caFile: join(dir, 'nope.crt'), requireVerifiedTls: true })));
    expect(missing.variable).toBe('DATABASE_CA_FILE');
    expect(missing.message).toMatch(/ENOENT/);

    const garbage = join(dir, 'garbage.crt');
    await writeFile(garbage, 'not a certificate\n');
    const notPem = startupError(() => createDatabase(testDatabaseOptions({ url: URL_WITH_PASSWORD, tls: 'verify-full', caFile: garbage, requireVerifiedTls: true })));
    expect(notPem.variable).toBe('DATABASE_CA_FILE');
    expect(notPem.message).toMatch(/holds none/);
  });

  it('R-DB-1: a URL cannot override TLS with sslmode, and errors never echo the password', () => {
    const error = startupError(() =>
      createDatabase(testDatabaseOptions({ url: `${URL_WITH_PASSWORD}?sslmode=disable`, tls: 'verify-full', caFile: certs.ca, requireVerifiedTls: true })),
    );
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).toMatch(/sslmode/);
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('R-DB-1: a valid production configuration is accepted without connecting', async () => {
    const database = createDatabase(testDatabaseOptions({ url: URL_WITH_PASSWORD, tls: 'verify-full', caFile: certs.ca, requireVerifiedTls: true }));
    expect(database.poolStats()).toEqual({ max: 4, open: 0, inUse: 0, idle: 0, waiting: 0 });
    await database.close();
  });

  it('R-DB-1: outside production, DATABASE_TLS=disable is allowed', async () => {
    const database = createDatabase(testDatabaseOptions({ url: URL_WITH_PASSWORD, tls: 'disable', requireVerifiedTls: false }));
    await database.close();
  });
});
