import { createDatabase, type Database, type DatabaseOptions, type PoolStats } from '@bursary/db';
import { waitFor } from '@bursary/testing';
import { Registry } from 'prom-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseOptions } from './support/database-options.js';
import { metricValue } from './support/metrics.js';
import { tlsCluster, type TlsCluster } from './support/tls-cluster.js';

describe('pool settings and saturation metrics (R-DB-3)', () => {
  let cluster: TlsCluster;
  const opened: Database[] = [];
  const open = (overrides: Partial<DatabaseOptions>, registry = new Registry()) => {
    const database = createDatabase(testDatabaseOptions({ url: cluster.adminUrl, tls: 'verify-full', caFile: cluster.caFile, metrics: registry, ...overrides }));
    opened.push(database);
    return { database, registry };
  };
  const pool = async (registry: Registry) => ({
    inUse: await metricValue(registry, 'db_pool_connections', { state: 'in_use' }),
    idle: await metricValue(registry, 'db_pool_connections', { state: 'idle' }),
    waiting: await metricValue(registry, 'db_pool_connections', { state: 'waiting' }),
  });

  beforeAll(async () => {
    cluster = await tlsCluster();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  it('R-DB-3: statement timeout and application name are set on every connection', async () => {
    const { database, registry } = open({ statementTimeoutMs: 250, applicationName: 'bursary-r-db-3' });
    const [settings] = await database.sql<{ timeout: string; name: string }[]>`select current_setting('statement_timeout') as timeout, current_setting('application_name') as name`;
    expect(settings).toEqual({ timeout: '250ms', name: 'bursary-r-db-3' });
    await expect(database.sql`select pg_sleep(2)`).rejects.toMatchObject({ code: '57014' });
    expect(await metricValue(registry, 'db_query_errors_total', { kind: 'timeout' })).toBe(1);
  });

  it('R-DB-3: the pool never opens more than poolMax connections', async () => {
    const { database } = open({ poolMax: 3 });
    const pids = await Promise.all(Array.from({ length: 12 }, () => database.sql<{ pid: number }[]>`select pg_backend_pid() as pid, pg_sleep(0.05)`));
    expect(new Set(pids.map(([row]) => row?.pid)).size).toBeLessThanOrEqual(3);
    expect(database.poolStats().open).toBeLessThanOrEqual(3);
  });

  it('R-DB-3: pool gauges report in-use, idle and waiting (pipelined) queries on scrape', async () => {
    const { database, registry } = open({ poolMax: 2 });
    await database.ping();
    const slow = Promise.all(Array.from({ length: 5 }, () => database.sql`select pg_sleep(0.3)`));
    const busy = await waitFor(async () => {
      const now = await pool(registry);
      return now.inUse === 2 && now.waiting === 3 && now;
    }, { timeoutMs: 5000, what: 'two busy connections and three queued queries' });
    expect(busy).toEqual({ inUse: 2, idle: 0, waiting: 3 });
    await slow;
    expect(await pool(registry)).toEqual({ inUse: 0, idle: 2, waiting: 0 });
    expect(await metricValue(registry, 'db_pool_max_connections')).toBe(2);
  });

  it('R-DB-3: a connection held by a transaction is in use, and queries queued behind it are waiting', async () => {
    const { database, registry } = open({ poolMax: 1 });
    await database.ping();
    let queued: Promise<unknown> | undefined;
    let during: PoolStats | undefined;
    await database.sql.begin(async (tx) => {
      await tx`select 1`;
      // Between statements the connection is idle-in-transaction: still unavailable to the pool.
      queued = database.sql`select 2`.then((rows) => rows);
      during = await waitFor(() => {
        const stats = database.poolStats();
        return stats.waiting === 1 && stats;
      }, { timeoutMs: 3000, what: 'the query queued behind the transaction' });
      expect(await pool(registry)).toEqual({ inUse: 1, idle: 0, waiting: 1 });
      // Readiness does not queue a ping behind the load it is reporting on.
      await expect(database.readinessProbe()).resolves.toMatchObject({ saturated: true, pool: { inUse: 1, waiting: 1 } });
    });
    await queued;
    expect(during).toMatchObject({ max: 1, open: 1, inUse: 1, idle: 0, waiting: 1 });
    expect(database.poolStats()).toMatchObject({ inUse: 0, idle: 1, waiting: 0 });
  });

  it('R-DB-3: drizzle runs on the same pool', async () => {
    const { database } = open({});
    const result = await database.db.execute<{ answer: number }>('select 42 as answer');
    expect([...result][0]).toEqual({ answer: 42 });
  });
});
