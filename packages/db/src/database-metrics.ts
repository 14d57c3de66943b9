import { Counter, Gauge, Registry } from 'prom-client';
import type { PoolStats } from './pool-tracker.js';

/** The `kind` label of db_query_errors_total. */
export const QueryErrorKind = {
  /** SQLSTATE 57014: statement_timeout (or a cancel) stopped the statement. */
  TIMEOUT: 'timeout',
  /** No usable connection: connect/TLS failures, class 08, 57P0x shutdowns, 53300 too many connections, lost mid-query. */
  CONNECTION: 'connection',
  /** SQLSTATE class 28: wrong password or role. */
  AUTH: 'auth',
  /** Everything else the server rejected: constraints, syntax, serialization… */
  STATEMENT: 'statement',
} as const;
export type QueryErrorKind = (typeof QueryErrorKind)[keyof typeof QueryErrorKind];

export function queryErrorKind(sqlstate: string): QueryErrorKind {
  if (sqlstate === '57014') return QueryErrorKind.TIMEOUT;
  if (sqlstate.startsWith('08') || sqlstate.startsWith('57P') || sqlstate === '53300') return QueryErrorKind.CONNECTION;
  if (sqlstate.startsWith('28')) return QueryErrorKind.AUTH;
  return QueryErrorKind.STATEMENT;
}

export interface DatabaseMetrics {
  connectRetries: Counter;
  queryErrors: Counter<'kind'>;
  tlsHandshakeFailures: Counter<'reason'>;
  certificateExpiryDays: Gauge<'server'>;
  /** Adds a pool to the db_pool_* gauges; the returned function removes it (on close). */
  addPool(stats: () => PoolStats): () => void;
}

const perRegistry = new WeakMap<Registry, DatabaseMetrics>();

/**
 * The database metrics of one registry (R-DB-3, R-OPS-1). prom-client refuses
 * a second metric of the same name, and a service may open more than one pool
 * (tests open many), so the metrics exist once per registry and every pool
 * adds itself as a source of the pool gauges, which sum over the sources on
 * each scrape.
 */
export function databaseMetrics(registry: Registry = new Registry()): DatabaseMetrics {
  const existing = perRegistry.get(registry);
  if (existing) return existing;

  const pools = new Set<() => PoolStats>();
  const registers = [registry];
  const sum = (pick: (stats: PoolStats) => number) => [...pools].reduce((total, stats) => total + pick(stats()), 0);

  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state: in_use (busy, in a transaction or logging in), idle, and waiting (queries queued for a connection)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const all = [...pools].map((stats) => stats());
      const total = (pick: (stats: PoolStats) => number) => all.reduce((acc, stats) => acc + pick(stats), 0);
      this.set({ state: 'in_use' }, total((stats) => stats.inUse));
      this.set({ state: 'idle' }, total((stats) => stats.idle));
      this.set({ state: 'waiting' }, total((stats) => stats.waiting));
    },
  });
  new Gauge({
    name: 'db_pool_max_connections',
    help: 'Configured pool size (DATABASE_POOL_MAX); saturation = db_pool_connections{state="in_use"} / this',
    registers,
    collect() {
      this.set(sum((stats) => stats.max));
    },
  });

  const metrics: DatabaseMetrics = {
    connectRetries: new Counter({
      name: 'db_connect_retries_total',
      help: 'Database connection attempts retried after a failure (backoff with full jitter, R-DB-2)',
      registers,
    }),
    queryErrors: new Counter({
      name: 'db_query_errors_total',
      help: 'Database errors by kind: timeout (statement_timeout), connection, auth, statement',
      labelNames: ['kind'] as const,
      registers,
    }),
    tlsHandshakeFailures: new Counter({
      name: 'db_tls_handshake_failures_total',
      help: 'TLS sessions with the database refused, by reason (unknown_ca, hostname_mismatch, certificate_expired, protocol_version, no_tls, handshake)',
      labelNames: ['reason'] as const,
      registers,
    }),
    // Labelled by server on purpose: an unlabelled gauge reads 0 before the first check, which an "≤ 30 days" alert would take for an expired certificate.
    certificateExpiryDays: new Gauge({
      name: 'db_tls_certificate_expiry_days',
      help: 'Days until the earliest-expiring certificate in the database server chain expires (R-DB-4: alert at ≤ 30)',
      labelNames: ['server'] as const,
      registers,
    }),
    addPool(stats) {
      pools.add(stats);
      return () => void pools.delete(stats);
    },
  };
  perRegistry.set(registry, metrics);
  return metrics;
}
