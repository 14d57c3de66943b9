import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerCertificate, createDatabase, DatabaseTlsError, TlsFailureReason, type Database, type DatabaseOptions } from '@bursary/db';
import { waitFor } from '@bursary/testing';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certs, issuedCertificates, type IssuedCertificates } from './support/certificates.js';
import { testDatabaseOptions } from './support/database-options.js';
import { metricValue } from './support/metrics.js';
import { recordingLogger } from './support/recording-logger.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.js';
import { tlsCluster, type TlsCluster } from './support/tls-cluster.js';

const SAN = 'DNS:localhost,IP:127.0.0.1';

describe('certificate expiry and rotation (R-DB-4)', () => {
  let cluster: TlsCluster;
  let rotating: ThrowawayPostgres;
  let issued: IssuedCertificates;
  let renewed: { certFile: string; keyFile: string };
  let scratch: string;
  const opened: Database[] = [];
  const open = (options: DatabaseOptions) => {
    const database = createDatabase(options);
    opened.push(database);
    return database;
  };

  beforeAll(async () => {
    [cluster, issued, scratch] = await Promise.all([tlsCluster(), issuedCertificates(), mkdtemp(join(tmpdir(), 'bursary-ca-'))]);
    const [shortLived, longLived] = await Promise.all([issued.issue('short-lived', SAN, 10), issued.issue('renewed', SAN, 400)]);
    renewed = longLived;
    rotating = await startThrowawayPostgres({ tls: shortLived });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });
  afterAll(async () => {
    await Promise.all([rotating?.destroy(), issued?.remove(), scratch ? rm(scratch, { recursive: true, force: true }) : undefined]);
  });

  it('R-DB-4: days to expiry of the TLS cluster certificate are reported and exported', async () => {
    const registry = new Registry();
    const database = open(testDatabaseOptions({ url: cluster.adminUrl, tls: 'verify-full', caFile: cluster.caFile, metrics: registry }));
    const report = await database.checkCertificate();
    expect(report).toMatchObject({ server: 'localhost:5433', authorized: true, leafSubject: 'localhost', expiringSubject: 'localhost' });
    expect(report?.protocol).toMatch(/^TLSv1\.[23]$/);
    // generate.sh issues 397-day leaves and re-issues them 30 days before expiry.
    expect(report?.daysToExpiry).toBeGreaterThan(30);
    expect(report?.daysToExpiry).toBeLessThanOrEqual(397);
    expect(await metricValue(registry, 'db_tls_certificate_expiry_days', { server: 'localhost:5433' })).toBe(report?.daysToExpiry);
  });

  it('R-DB-4: a certificate with ≤ 30 days left is reported at start and raises a warning', async () => {
    const registry = new Registry();
    const logger = recordingLogger();
    open(testDatabaseOptions({ url: rotating.url('localhost'), tls: 'verify-full', caFile: certs.ca, metrics: registry, logger, certificateCheckIntervalMs: 60_000 }));
    const days = await waitFor(() => metricValue(registry, 'db_tls_certificate_expiry_days', { server: `localhost:${rotating.port}` }), { timeoutMs: 5000, what: 'the check at start' });
    expect(days).toBeGreaterThan(8);
    expect(days).toBeLessThanOrEqual(10);
    expect(logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringMatching(/expires soon/), object: expect.objectContaining({ daysToExpiry: days }) }));
  });

  it('R-DB-4: a rotated server certificate is picked up without restarting the service', async () => {
    const database = open(testDatabaseOptions({ url: rotating.url('localhost'), tls: 'verify-full', caFile: certs.ca, applicationName: 'bursary-rotation' }));
    await database.ping();
    expect(database.lastCertificate()?.daysToExpiry).toBeLessThanOrEqual(10);

    await rotating.rotateCertificate(renewed.certFile, renewed.keyFile);
    // Postgres reloads on SIGHUP; the check sees the new certificate once it has.
    const report = await waitFor(async () => {
      const current = await database.checkCertificate();
      return current && current.daysToExpiry > 300 && current;
    }, { timeoutMs: 10_000, what: 'the renewed certificate' });
    expect(report.authorized).toBe(true);

    // New pool connections use it too: end the current ones from outside (as a restart would), and the next query reconnects.
    const admin = open(testDatabaseOptions({ url: rotating.url(), tls: 'disable' }));
    await admin.sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'bursary-rotation'`;
    await waitFor(() => database.ping().then(() => (database.lastCertificate()?.daysToExpiry ?? 0) > 300), { timeoutMs: 5000, what: 'a pool connection with the renewed certificate' });
  });

  it('R-DB-2: recovers from an induced TLS failure (a wrong server certificate) without a restart', async () => {
    const database = open(testDatabaseOptions({ url: rotating.url('localhost'), tls: 'verify-full', caFile: certs.ca, applicationName: 'bursary-induced' }));
    const admin = open(testDatabaseOptions({ url: rotating.url(), tls: 'disable' }));
    await database.ping();

    await rotating.rotateCertificate(certs.wrongHost.certFile, certs.wrongHost.keyFile);
    await admin.sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'bursary-induced'`;
    const failure = await waitFor(() => database.ping().then(() => undefined, (error: unknown) => error instanceof DatabaseTlsError && error), { timeoutMs: 5000, what: 'the TLS failure' });
    expect(failure.reason).toBe(TlsFailureReason.HOSTNAME_MISMATCH);

    await rotating.rotateCertificate(renewed.certFile, renewed.keyFile);
    await waitFor(() => database.ping().then(() => true), { timeoutMs: 5000, what: 'recovery with a valid certificate' });
  });

  it('R-DB-4: a replaced CA file is read on the next connection, without a restart', async () => {
    const caFile = join(scratch, 'ca.crt');
    await copyFile(certs.otherCa, caFile);
    const database = open(testDatabaseOptions({ url: cluster.adminUrl, tls: 'verify-full', caFile }));
    const refused = await database.ping().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseTlsError);
    expect((refused as DatabaseTlsError).reason).toBe(TlsFailureReason.UNKNOWN_CA);

    await copyFile(cluster.caFile, caFile);
    await waitFor(() => database.ping().then(() => true), { timeoutMs: 5000, what: 'a connection verified with the new CA' });
  });

  it('R-DB-4: the check reports an untrusted certificate instead of failing', async () => {
    const report = await checkServerCertificate({ host: 'localhost', port: rotating.port, ca: await readFile(certs.otherCa), timeoutMs: 3000 });
    expect(report.authorized).toBe(false);
    expect(report.authorizationError).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|ISSUER/);
    expect(report.daysToExpiry).toBeGreaterThan(0);
  });
});
