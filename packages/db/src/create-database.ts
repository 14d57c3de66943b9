import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Options, type Sql } from 'postgres';
import { checkServerCertificate, reportFromSocket, type CertificateReport } from './certificate-check.js';
import { databaseMetrics, QueryErrorKind, queryErrorKind } from './database-metrics.js';
import { resolveConnectionTarget, type DatabaseOptions, type DatabaseTlsMode } from './database-options.js';
import { DatabaseTlsError } from './database-tls-error.js';
import { failedSocket } from './failed-socket.js';
import { PoolTracker, type PoolStats } from './pool-tracker.js';
import { backoffDelay, retryWithBackoff, type BackoffPolicy } from './retry-with-backoff.js';
import { isTransientConnectError, openServerSocket } from './server-socket.js';

export interface DatabaseReadiness extends Record<string, unknown> {
  latencyMs: number;
  tls: DatabaseTlsMode;
  /** Every connection busy with queries waiting: answered from the pool state instead of a ping that would queue. */
  saturated: boolean;
  pool: PoolStats;
  certificateDaysToExpiry?: number;
  certificateExpiresAt?: string;
}

export interface Database<TSchema extends Record<string, unknown> = Record<string, never>> {
  /**
   * The postgres.js pool. drizzle shares it and switches the date/time
   * parsers to pass-through, so timestamps read through `sql` arrive as strings.
   */
  readonly sql: Sql;
  readonly db: PostgresJsDatabase<TSchema>;
  /** `select 1` through the pool; rejects with the connection error (TLS errors name the failed check). */
  ping(): Promise<void>;
  /**
   * Retries ping() with full-jitter backoff until it succeeds (R-DB-2): the
   * boot-time wait, run in the background by the plugin. Rejects only when
   * aborted or the database is closed.
   */
  connect(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * For /readyz: ping, then pool statistics and the certificate's days to expiry. Throws when the
   * database does not answer. A saturated pool answers without a ping (see `saturated`).
   */
  readinessProbe(): Promise<DatabaseReadiness>;
  /** Opens a TLS session to read the server certificate chain now (R-DB-4); undefined when TLS is disabled. */
  checkCertificate(): Promise<CertificateReport | undefined>;
  /** The last certificate report, from the periodic check or the newest pool connection. */
  lastCertificate(): CertificateReport | undefined;
  poolStats(): PoolStats;
  /** Stops the timers and the reconnect loop and ends the pool (in-flight queries may finish for 5 s). */
  close(): Promise<void>;
}

/** Retries inside one connection attempt: a restarting server refuses for a moment; the attempt is bounded by the connect timeout. */
const CONNECT_ATTEMPT_BACKOFF: BackoffPolicy = { baseMs: 25, maxMs: 1000 };
/** postgres.js waits this long before reopening a pool slot whose last attempt failed (its `backoff` option). */
const SLOT_BACKOFF: BackoffPolicy = { baseMs: 50, maxMs: 2000 };
const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000 };
const DEFAULT_CERTIFICATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** Below the health plugin's 2 s probe limit, so /readyz shows our reason rather than its timeout. */
const READINESS_TIMEOUT_MS = 1500;
const END_TIMEOUT_S = 5;
const IDLE_END_TIMEOUT_S = 0.25;

function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message())), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The database of a service (R-DB-1..4): a postgres.js pool whose every
 * connection is opened by our socket factory (SSLRequest + TLS ≥ 1.2 with
 * verify-full, the CA file read per connection, retries with full jitter),
 * a drizzle instance on it, pool/error/retry metrics and a periodic
 * certificate-expiry check. Throws a ConfigError at once on a configuration
 * that must not run; connects lazily otherwise.
 */
export function createDatabase<TSchema extends Record<string, unknown> = Record<string, never>>(options: DatabaseOptions<TSchema>): Database<TSchema> {
  const target = resolveConnectionTarget(options);
  const { logger } = options;
  const { server } = target;
  const connectTimeoutMs = options.connectTimeoutS * 1000;
  const warningDays = options.certificateExpiryWarningDays ?? 30;
  const metrics = databaseMetrics(options.metrics);
  const tracker = new PoolTracker(options.poolMax, {
    onServerError: (sqlstate) => metrics.queryErrors.inc({ kind: queryErrorKind(sqlstate) }),
    onConnectionLost: () => metrics.queryErrors.inc({ kind: QueryErrorKind.CONNECTION }),
  });
  const removePool = metrics.addPool(() => tracker.stats());
  const lifetime = new AbortController();
  let certificate: CertificateReport | undefined;
  let lastConnectError: Error | undefined;
  let closed = false;

  // Read on every connection, never cached: replacing the file is the whole CA rotation (R-DB-4).
  const readCa = async (): Promise<Buffer | undefined> => {
    if (!target.caFile) return undefined;
    try {
      return await readFile(target.caFile);
    } catch (error) {
      throw new Error(`cannot read DATABASE_CA_FILE ${target.caFile}: ${(error as { code?: string }).code ?? asError(error).message}`, { cause: error });
    }
  };

  const recordCertificate = (report: CertificateReport) => {
    certificate = report;
    metrics.certificateExpiryDays.set({ server }, report.daysToExpiry);
  };

  const noteConnectFailure = (error: Error) => {
    if (error instanceof DatabaseTlsError) metrics.tlsHandshakeFailures.inc({ reason: error.reason });
    metrics.queryErrors.inc({ kind: QueryErrorKind.CONNECTION });
    // One line per change of cause, not one per query, while the database is away.
    if (!closed && lastConnectError?.message !== error.message) logger.warn({ err: error, server }, 'database connection failed');
    lastConnectError = error;
  };

  // postgres.js names the server in its own errors (CONNECT_TIMEOUT, CONNECTION_CLOSED) from these two fields.
  const named = <S extends Socket | Duplex>(socket: S): S => Object.assign(socket, { host: target.host, port: target.port });

  const socketFactory = async (): Promise<Socket | Duplex> => {
    stopFetchingTypesOnceKnown();
    const deadline = Date.now() + connectTimeoutMs;
    try {
      const socket = await retryWithBackoff(
        async () => openServerSocket({ host: target.host, port: target.port, ca: await readCa(), timeoutMs: Math.max(1, deadline - Date.now()) }),
        {
          ...CONNECT_ATTEMPT_BACKOFF,
          deadline,
          // Retrying inside one attempt rides out a restart. Once an outage is established (the last
          // attempt already failed), each query gets one try: a backlog then fails fast instead of every
          // queued query waiting a full connect timeout in turn. connect() and readiness keep probing.
          ...(lastConnectError ? { maxAttempts: 1 } : {}),
          signal: lifetime.signal,
          shouldRetry: isTransientConnectError,
          onRetry: () => metrics.connectRetries.inc(),
        },
      );
      if (lastConnectError) {
        logger.info({ server }, 'database connection restored');
        lastConnectError = undefined;
      }
      if (socket instanceof TLSSocket) {
        const report = reportFromSocket(socket, server);
        if (report) recordCertificate(report);
      }
      tracker.trackSocket(socket);
      return named(socket);
    } catch (error) {
      const failure = asError(error);
      noteConnectFailure(failure);
      return named(failedSocket(failure));
    }
  };

  const poolOptions = {
    max: options.poolMax,
    idle_timeout: options.idleTimeoutS,
    // Per pool slot, between 90% and 100% of the setting, so connections opened together are not all recycled together.
    max_lifetime: (() => options.maxLifetimeS * (0.9 + Math.random() * 0.1)) as unknown as number,
    connect_timeout: options.connectTimeoutS,
    // TLS is done by socketFactory: postgres.js must neither send its own SSLRequest nor fall back.
    ssl: false,
    socket: socketFactory,
    backoff: (retries: number) => backoffDelay(retries - 1, SLOT_BACKOFF) / 1000,
    connection: { application_name: options.applicationName, statement_timeout: options.statementTimeoutMs },
    onnotice: (notice: postgres.Notice) => logger.debug?.({ notice: { severity: notice['severity'], code: notice['code'], message: notice['message'] } }, 'database notice'),
  } satisfies Options<Record<string, never>> & { socket: () => Promise<Socket | Duplex> };
  // `socket` is documented in the postgres.js README ("Custom socket") but missing from its typings.
  const sql = tracker.instrumentSql(postgres(options.url, poolOptions as Options<Record<string, never>>));

  /**
   * postgres.js runs an array-type catalog query on every new connection and
   * drops its promise: if the connection dies or statement_timeout cancels
   * it meanwhile, the rejection is unhandled and runService stops the process
   * (porsager/postgres#1192, #1205, #1223) — on exactly the restarts R-DB-2
   * says we survive. The types are the same for the whole pool
   * (sql.options is shared), so once the first connection has loaded them,
   * later connections skip the query. `fetch_types: false` from the start
   * would close the window completely but breaks array parameters and results.
   */
  const internals = sql.options as unknown as { fetch_types: boolean; shared?: { typeArrayMap?: Record<string, unknown> } };
  function stopFetchingTypesOnceKnown() {
    if (internals.fetch_types && Object.keys(internals.shared?.typeArrayMap ?? {}).length > 0) internals.fetch_types = false;
  }
  const db = drizzle<TSchema>(sql, options.schema ? { schema: options.schema } : {});

  const ping = async () => {
    await sql`select 1`;
  };

  let pendingCheck: Promise<unknown> | undefined;
  const checkCertificate = async (): Promise<CertificateReport | undefined> => {
    const ca = await readCa();
    if (!ca) return undefined;
    const report = await checkServerCertificate({ host: target.host, port: target.port, ca, timeoutMs: connectTimeoutMs });
    if (closed) return report;
    recordCertificate(report);
    if (report.daysToExpiry <= warningDays) {
      logger.warn({ server, daysToExpiry: report.daysToExpiry, expiresAt: report.expiresAt, subject: report.expiringSubject }, 'database TLS certificate expires soon: rotate it (R-DB-4)');
    }
    if (!report.authorized) {
      logger.warn({ server, authorizationError: report.authorizationError }, 'database TLS certificate does not verify');
    }
    return report;
  };
  const runCheck = () => {
    if (closed || pendingCheck) return;
    pendingCheck = checkCertificate()
      .catch((error: unknown) => {
        if (!closed) logger.warn({ err: asError(error), server }, 'database certificate check failed');
      })
      .finally(() => {
        pendingCheck = undefined;
      });
  };
  const intervalMs = options.certificateCheckIntervalMs ?? DEFAULT_CERTIFICATE_CHECK_INTERVAL_MS;
  let certificateTimer: NodeJS.Timeout | undefined;
  if (target.caFile && intervalMs > 0) {
    certificateTimer = setInterval(runCheck, intervalMs).unref();
    setImmediate(runCheck).unref();
  }

  return {
    sql,
    db,
    ping,
    async connect(connectOptions = {}) {
      const signal = connectOptions.signal ? AbortSignal.any([lifetime.signal, connectOptions.signal]) : lifetime.signal;
      await retryWithBackoff(ping, {
        ...(options.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF),
        signal,
        onRetry: (error, attempt, delayMs) => {
          metrics.connectRetries.inc();
          logger.warn({ err: asError(error), server, attempt, retryInMs: delayMs }, 'database not reachable; retrying');
        },
      });
      logger.info({ server, tls: options.tls }, 'database connected');
    },
    async readinessProbe() {
      const certificateDetails = certificate ? { certificateDaysToExpiry: certificate.daysToExpiry, certificateExpiresAt: certificate.expiresAt } : {};
      const before = tracker.stats();
      // At full load a ping would queue behind the workload and time out exactly when the service is
      // busiest, taking it out of rotation; every connection open and busy is proof enough of a live database.
      if (!lastConnectError && before.open >= options.poolMax && before.idle === 0 && before.waiting > 0) {
        return { latencyMs: 0, tls: options.tls, saturated: true, pool: before, ...certificateDetails };
      }
      const started = performance.now();
      try {
        await withTimeout(ping(), READINESS_TIMEOUT_MS, () => `no answer within ${READINESS_TIMEOUT_MS} ms`);
      } catch (error) {
        const reason = lastConnectError?.message ?? asError(error).message;
        throw new Error(`database unavailable: ${reason}`, { cause: error });
      }
      return {
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        tls: options.tls,
        saturated: false,
        pool: tracker.stats(),
        ...certificateDetails,
      };
    },
    checkCertificate,
    lastCertificate: () => certificate,
    poolStats: () => tracker.stats(),
    async close() {
      if (closed) return;
      closed = true;
      lifetime.abort(new Error('database closed'));
      clearInterval(certificateTimer);
      removePool();
      metrics.certificateExpiryDays.remove({ server });
      await pendingCheck;
      // postgres.js 3.4's end() also waits, until the timeout, for a slot whose connection the server closed
      // mid-query (it never clears that query). With nothing in flight there is nothing to drain, so it gets
      // a short timeout; otherwise in-flight queries get END_TIMEOUT_S to finish.
      const { inUse, waiting } = tracker.stats();
      await sql.end({ timeout: inUse === 0 && waiting === 0 ? IDLE_END_TIMEOUT_S : END_TIMEOUT_S });
    },
  };
}
