import { createDatabase, type Database } from '@bursary/db';
import { waitFor } from '@bursary/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseOptions } from './support/database-options.js';
import { metricValue } from './support/metrics.js';
import { recordingLogger } from './support/recording-logger.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.js';

describe('surviving a database restart (R-DB-2)', () => {
  let cluster: ThrowawayPostgres;
  let database: Database;
  const registry = new Registry();

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    database = createDatabase(testDatabaseOptions({ url: cluster.url(), tls: 'disable', metrics: registry, connectTimeoutS: 1 }));
  });
  afterAll(async () => {
    await database?.close();
    await cluster?.destroy();
  });

  it('R-DB-2: the same Database answers again after Postgres restarts, without being recreated', async () => {
    const [before] = await database.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await cluster.stop();
    // Down: queries fail fast and clearly instead of hanging, and nothing crashes.
    await expect(database.ping()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|CONNECTION_CLOSED|57P01/) });
    await cluster.start();
    await waitFor(() => database.ping().then(() => true), { timeoutMs: 15_000, what: 'the database to answer after the restart' });
    const [after] = await database.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    expect(after?.pid).not.toBe(before?.pid);
    expect(await metricValue(registry, 'db_query_errors_total', { kind: 'connection' })).toBeGreaterThanOrEqual(1);
  });

  it('R-DB-2: failed connection attempts do not use up the pool', async () => {
    const small = createDatabase(testDatabaseOptions({ url: cluster.url(), tls: 'disable', poolMax: 2, connectTimeoutS: 1 }));
    try {
      await cluster.stop();
      const failures = await Promise.allSettled(Array.from({ length: 6 }, () => small.ping()));
      expect(failures.every((result) => result.status === 'rejected')).toBe(true);
      await cluster.start();
      await waitFor(() => small.ping().then(() => true), { timeoutMs: 10_000, what: 'the first query after the outage' });
      const pids = await Promise.all(Array.from({ length: 4 }, () => small.sql<{ pid: number }[]>`select pg_backend_pid() as pid, pg_sleep(0.1)`));
      expect(new Set(pids.map(([row]) => row?.pid)).size).toBe(2);
      expect(small.poolStats()).toMatchObject({ max: 2, open: 2 });
    } finally {
      await small.close();
    }
  });

  it('R-DB-2: a query issued while Postgres restarts waits with backoff and succeeds', async () => {
    const slow = createDatabase(testDatabaseOptions({ url: cluster.url(), tls: 'disable', metrics: registry, connectTimeoutS: 20 }));
    try {
      await slow.ping();
      const retriesBefore = (await metricValue(registry, 'db_connect_retries_total')) ?? 0;
      await cluster.stop();
      // The handler is attached at once: the outcome is awaited only after the restart.
      const query = slow.sql<{ answer: number }[]>`select 7 as answer`.then(
        (rows) => ({ rows }),
        (error: { code?: string }) => ({ error }),
      );
      // The connection attempts are refused and retried until the server is back.
      await waitFor(async () => ((await metricValue(registry, 'db_connect_retries_total')) ?? 0) > retriesBefore, { timeoutMs: 5000, what: 'a connect retry' });
      await cluster.start();
      const outcome = await query;
      if ('error' in outcome) {
        // A retry that reaches the server inside its startup window is told 57P03
        // ("the database system is starting up"); that one query fails cleanly and
        // the very next one on the same pool succeeds — no restart of the service.
        expect(outcome.error.code).toBe('57P03');
        expect(await slow.sql`select 7 as answer`).toEqual([{ answer: 7 }]);
      } else {
        expect(outcome.rows).toEqual([{ answer: 7 }]);
      }
    } finally {
      await slow.close();
    }
  });

  it('R-DB-2: connect() retries with backoff until the database is reachable', async () => {
    await cluster.stop();
    const logger = recordingLogger();
    const waiting = createDatabase(testDatabaseOptions({ url: cluster.url(), tls: 'disable', logger, connectTimeoutS: 1, reconnectBackoff: { baseMs: 20, maxMs: 200 } }));
    try {
      const connected = waiting.connect();
      await waitFor(() => logger.entries.some((entry) => entry.message === 'database not reachable; retrying'), { timeoutMs: 5000, what: 'a logged retry' });
      await cluster.start();
      await expect(connected).resolves.toBeUndefined();
    } finally {
      await waiting.close();
    }
  });
});
