import { createDatabase, DatabaseTlsError, TlsFailureReason, type Database, type DatabaseOptions } from '@bursary/db';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certs, issuedCertificates, type IssuedCertificates } from './support/certificates.js';
import { testDatabaseOptions } from './support/database-options.js';
import { metricValue } from './support/metrics.js';
import { startPreambleTlsServer } from './support/preamble-tls-server.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.js';
import { tlsCluster, type TlsCluster } from './support/tls-cluster.js';

function withHost(url: string, host: string, port?: number): string {
  const parsed = new URL(url);
  parsed.hostname = host;
  if (port !== undefined) parsed.port = String(port);
  return parsed.toString();
}

async function refusal(database: Database): Promise<DatabaseTlsError> {
  const error = await database.ping().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DatabaseTlsError);
  return error as DatabaseTlsError;
}

describe('TLS verify-full (R-DB-1)', () => {
  let cluster: TlsCluster;
  let wrongHost: ThrowawayPostgres;
  let plaintextOnly: ThrowawayPostgres;
  let issued: IssuedCertificates;
  const opened: Database[] = [];
  const open = (options: DatabaseOptions) => {
    const database = createDatabase(options);
    opened.push(database);
    return database;
  };

  beforeAll(async () => {
    [cluster, wrongHost, plaintextOnly, issued] = await Promise.all([
      tlsCluster(),
      startThrowawayPostgres({ tls: certs.wrongHost }),
      startThrowawayPostgres(),
      issuedCertificates(),
    ]);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });
  afterAll(async () => {
    await Promise.all([wrongHost?.destroy(), plaintextOnly?.destroy(), issued?.remove()]);
  });

  it('R-DB-1: verify-full connects to the TLS server over TLS ≥ 1.2', async () => {
    const database = open(testDatabaseOptions({ url: cluster.adminUrl, tls: 'verify-full', caFile: cluster.caFile, requireVerifiedTls: true }));
    const [row] = await database.sql<{ ssl: boolean; version: string }[]>`select ssl, version from pg_stat_ssl where pid = pg_backend_pid()`;
    expect(row?.ssl).toBe(true);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(row?.version);
  });

  it('R-DB-1: verify-full also works by IP address, against the certificate\'s IP SAN', async () => {
    const database = open(testDatabaseOptions({ url: withHost(cluster.adminUrl, '127.0.0.1'), tls: 'verify-full', caFile: cluster.caFile }));
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it('R-DB-1: the TLS cluster itself refuses a plaintext login (hostssl only)', async () => {
    const database = open(testDatabaseOptions({ url: cluster.adminUrl, tls: 'disable' }));
    await expect(database.ping()).rejects.toMatchObject({ code: '28000', message: expect.stringMatching(/no encryption/) });
  });

  it('R-DB-1: a server certificate from an unknown CA is refused', async () => {
    const registry = new Registry();
    const database = open(testDatabaseOptions({ url: cluster.adminUrl, tls: 'verify-full', caFile: certs.otherCa, metrics: registry }));
    const error = await refusal(database);
    expect(error.reason).toBe(TlsFailureReason.UNKNOWN_CA);
    expect(error.message).toMatch(/^TLS verification failed: certificate signed by an unknown CA/);
    expect(await metricValue(registry, 'db_tls_handshake_failures_total', { reason: 'unknown_ca' })).toBeGreaterThanOrEqual(1);
  });

  it('R-DB-1: a certificate for another hostname is refused (real Postgres serving DNS:wrong.invalid)', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const database = open(testDatabaseOptions({ url: withHost(wrongHost.url(), host), tls: 'verify-full', caFile: certs.ca }));
      const error = await refusal(database);
      expect(error.reason).toBe(TlsFailureReason.HOSTNAME_MISMATCH);
      expect(error.message).toMatch(/^TLS verification failed: hostname mismatch/);
      expect(error.message).toContain(`"${host}"`);
    }
  });

  it('R-DB-1: an IP host is checked against IP SANs, not against "localhost"', async () => {
    // Node checks a bare socket's certificate against "localhost" when no host is named;
    // a DNS:localhost-only certificate must therefore not pass for 127.0.0.1.
    const localhostOnly = await issued.issue('localhost-only', 'DNS:localhost', 30);
    const server = await startPreambleTlsServer(localhostOnly, { legacyOnly: false });
    try {
      const database = open(testDatabaseOptions({ url: `postgres://postgres@127.0.0.1:${server.port}/postgres`, tls: 'verify-full', caFile: certs.ca }));
      const error = await refusal(database);
      expect(error.reason).toBe(TlsFailureReason.HOSTNAME_MISMATCH);
    } finally {
      await server.close();
    }
  });

  it('R-DB-1: a server offering only TLS ≤ 1.1 is refused', async () => {
    const server = await startPreambleTlsServer(certs.server, { legacyOnly: true });
    try {
      const database = open(testDatabaseOptions({ url: `postgres://postgres@localhost:${server.port}/postgres`, tls: 'verify-full', caFile: certs.ca }));
      const error = await refusal(database);
      expect(error.reason).toBe(TlsFailureReason.PROTOCOL_VERSION);
      expect(error.message).toMatch(/protocol version/);
    } finally {
      await server.close();
    }
  });

  it('R-DB-1: a plaintext-only server is refused, never used without TLS', async () => {
    const refused = open(testDatabaseOptions({ url: plaintextOnly.url(), tls: 'verify-full', caFile: certs.ca }));
    const error = await refusal(refused);
    expect(error.reason).toBe(TlsFailureReason.NO_TLS);
    expect(error.message).toMatch(/server 127\.0\.0\.1:\d+ does not support TLS/);
    // The same server answers when TLS is explicitly disabled: the refusal was about TLS alone.
    const plain = open(testDatabaseOptions({ url: plaintextOnly.url(), tls: 'disable' }));
    await expect(plain.ping()).resolves.toBeUndefined();
  });
});
