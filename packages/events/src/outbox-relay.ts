import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Sql } from 'postgres';
import type { Registry } from 'prom-client';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.js';
import { ensureEventStream, eventStreamConfig, eventSubject, type EventStreamConfig } from './event-stream.js';
import { errorMessage, silentLogger, type EventsLogger } from './logger.js';
import { outboxMetrics, type OutboxMetrics } from './outbox-metrics.js';
import { purgePublishedOutbox } from './outbox-purge.js';
import { outboxLocation, type OutboxLocation, type OutboxTable } from './outbox-table.js';

export interface OutboxRelayOptions {
  /** postgres.js pool of the service (its own role). One connection is held per batch; LISTEN takes one more. */
  sql: Sql;
  table: OutboxTable;
  /** A connected NATS client; the relay does not close it. */
  nats: NatsConnection;
  stream?: Partial<EventStreamConfig>;
  /** Rows claimed and published per transaction. */
  batchSize?: number;
  /** Fallback polling period when no NOTIFY arrives. */
  pollIntervalMs?: number;
  /** Wait for each PubAck at most this long. */
  publishTimeoutMs?: number;
  /** Delays after failures (NATS or Postgres down): exponential, jittered, capped. */
  backoff?: BackoffOptions;
  /** Published rows older than this many days are purged (hourly); 0 disables. */
  retentionDays?: number;
  /** Metrics go on this registry (e.g. `app.serviceMetrics.registry`). */
  registry?: Registry;
  log?: EventsLogger;
  /** LISTEN for the writer's NOTIFY (default true); false polls only. */
  listen?: boolean;
}

export interface OutboxRelayStatus {
  running: boolean;
  listening: boolean;
  consecutiveFailures: number;
  lastError: string | undefined;
  published: number;
}

interface ClaimedRow {
  id: string;
  type: string;
  /** jsonb as text: published as stored, with no parse/serialise round trip. */
  envelope: string;
  /** Epoch milliseconds; a Date would arrive as a string when drizzle shares the client (it replaces the timestamp parsers). */
  created_ms: number;
}

const BACKLOG_REFRESH_MS = 1_000;
const PURGE_EVERY_MS = 3_600_000;

/**
 * Publishes committed outbox rows to JetStream (R-EVT-1).
 *
 * Each pass claims a batch with FOR UPDATE SKIP LOCKED inside a transaction,
 * publishes every row with Nats-Msg-Id = event id, marks the acknowledged
 * ones published and commits. A second relay on the same table skips locked
 * rows, so no row is published by two relays; a crash after the publish but
 * before the commit republishes the same msg id, which the stream drops
 * within its duplicate window. NOTIFY wakes the relay; polling is the
 * fallback. On failure nothing is marked, rows wait, and the relay backs off.
 */
export class OutboxRelay {
  readonly #sql: Sql;
  readonly #js: JetStreamClient;
  readonly #nats: NatsConnection;
  readonly #location: OutboxLocation;
  readonly #stream: EventStreamConfig;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #publishTimeoutMs: number;
  readonly #backoff: BackoffOptions;
  readonly #retentionDays: number;
  readonly #metrics: OutboxMetrics | undefined;
  readonly #log: EventsLogger;
  readonly #listen: boolean;
  readonly #table: OutboxTable;

  #loop: Promise<void> | undefined;
  #stop = new AbortController();
  #wakeRequested = false;
  #wake: (() => void) | undefined;
  #unlisten: (() => Promise<unknown>) | undefined;
  #listening = false;
  #streamReady = false;
  #failures = 0;
  #lastError: string | undefined;
  #published = 0;
  #backlogAt = 0;
  #purgedAt = 0;

  constructor(options: OutboxRelayOptions) {
    this.#sql = options.sql;
    this.#nats = options.nats;
    this.#js = jetstream(options.nats);
    this.#table = options.table;
    this.#location = outboxLocation(options.table);
    this.#stream = eventStreamConfig(options.stream);
    this.#batchSize = options.batchSize ?? 100;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.#backoff = { baseMs: 200, capMs: 15_000, ...options.backoff };
    this.#retentionDays = options.retentionDays ?? 7;
    this.#metrics = options.registry ? outboxMetrics(options.registry) : undefined;
    this.#log = options.log ?? silentLogger;
    this.#listen = options.listen ?? true;
    if (this.#batchSize < 1) throw new Error('batchSize must be ≥ 1');
  }

  /** Starts the loop in the background; returns at once (NATS or Postgres may still be down). */
  start(): void {
    if (this.#loop) return;
    this.#stop = new AbortController();
    this.#loop = this.#run();
  }

  /** Finishes the batch in flight, stops listening and resolves. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    this.#listening = false;
    await unlisten?.().catch(() => undefined);
  }

  /** Asks for a pass now (the NOTIFY handler calls this). */
  wake(): void {
    this.#wakeRequested = true;
    this.#wake?.();
  }

  status(): OutboxRelayStatus {
    return {
      running: this.#loop !== undefined,
      listening: this.#listening,
      consecutiveFailures: this.#failures,
      lastError: this.#lastError,
      published: this.#published,
    };
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      // Cleared before the claim: a NOTIFY arriving during the pass triggers another.
      this.#wakeRequested = false;
      let claimed = 0;
      try {
        if (this.#listen && !this.#unlisten) await this.#startListening();
        if (!this.#streamReady) {
          await ensureEventStream(await this.#js.jetstreamManager(), this.#stream);
          this.#streamReady = true;
        }
        claimed = await this.#publishBatch();
        if (this.#failures > 0) this.#log.info({ outbox: this.#location.schema, after: this.#failures }, 'outbox relay recovered');
        this.#failures = 0;
        this.#lastError = undefined;
      } catch (error) {
        this.#failures++;
        this.#lastError = errorMessage(error);
        this.#streamReady = false;
        const delay = backoffDelay(this.#failures, this.#backoff);
        const level = this.#failures === 1 || this.#failures % 20 === 0 ? 'warn' : 'debug';
        this.#log[level]({ outbox: this.#location.schema, failures: this.#failures, retryInMs: delay, err: this.#lastError }, 'outbox relay pass failed; rows wait');
        await this.#housekeeping();
        // A NOTIFY does not cut a backoff short: only the delay or stop() does.
        await sleep(delay, signal);
        continue;
      }
      await this.#housekeeping();
      if (claimed === this.#batchSize || this.#wakeRequested) continue;
      await this.#idle(signal);
    }
  }

  async #startListening(): Promise<void> {
    const { unlisten } = await this.#sql.listen(
      this.#location.channel,
      () => this.wake(),
      () => {
        // Called on every (re)connection of the LISTEN connection:
        // notifications sent while it was down are lost, so look now.
        this.#listening = true;
        this.wake();
      },
    );
    this.#unlisten = unlisten;
  }

  #idle(signal: AbortSignal): Promise<void> {
    if (this.#wakeRequested || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  /** One claim → publish → mark transaction; returns the number of rows claimed. Throws if any publish failed. */
  async #publishBatch(): Promise<number> {
    const { qualified, schema } = this.#location;
    let failure: unknown;
    const claimed = await this.#sql.begin(async (tx) => {
      const rows = await tx.unsafe<ClaimedRow[]>(
        `select id, type, envelope::text as envelope, (extract(epoch from created_at) * 1000)::float8 as created_ms from ${qualified}
         where published_at is null order by seq limit $1 for update skip locked`,
        [this.#batchSize],
      );
      if (rows.length === 0) return 0;
      // Sent back to back on one connection: the stream keeps the claim order.
      const results = await Promise.allSettled(
        rows.map((row) =>
          this.#js.publish(eventSubject(row.type, this.#stream.subjectPrefix), row.envelope, {
            msgID: row.id,
            timeout: this.#publishTimeoutMs,
          }),
        ),
      );
      const done: string[] = [];
      const failed: string[] = [];
      const now = Date.now();
      results.forEach((result, index) => {
        const row = rows[index]!;
        if (result.status === 'fulfilled') {
          done.push(row.id);
          this.#metrics?.publishLag.observe({ outbox: schema }, Math.max(0, now - row.created_ms) / 1000);
        } else {
          failed.push(row.id);
          failure ??= result.reason;
        }
      });
      if (done.length > 0) {
        await tx.unsafe(`update ${qualified} set published_at = clock_timestamp(), attempts = attempts + 1 where id = any($1::uuid[])`, [done]);
      }
      if (failed.length > 0) {
        this.#metrics?.publishErrors.inc({ outbox: schema }, failed.length);
        await tx.unsafe(`update ${qualified} set attempts = attempts + 1, last_error = $2 where id = any($1::uuid[])`, [failed, errorMessage(failure).slice(0, 500)]);
      }
      this.#published += done.length;
      return rows.length;
    });
    if (failure !== undefined) throw failure;
    return claimed;
  }

  async #housekeeping(): Promise<void> {
    const now = Date.now();
    if (this.#metrics && now - this.#backlogAt >= BACKLOG_REFRESH_MS) {
      this.#backlogAt = now;
      try {
        const [row] = await this.#sql.unsafe<{ backlog: number }[]>(`select count(*)::int as backlog from ${this.#location.qualified} where published_at is null`);
        this.#metrics.backlog.set({ outbox: this.#location.schema }, row?.backlog ?? 0);
      } catch {
        // Postgres down: the gauge keeps its last value; the pass failure is already logged.
      }
    }
    if (this.#retentionDays > 0 && now - this.#purgedAt >= PURGE_EVERY_MS) {
      this.#purgedAt = now;
      try {
        const purged = await purgePublishedOutbox(this.#sql, this.#table, { olderThanDays: this.#retentionDays });
        if (purged > 0) this.#log.info({ outbox: this.#location.schema, purged }, 'purged published outbox rows');
      } catch (error) {
        this.#purgedAt = now - PURGE_EVERY_MS + 60_000; // try again in a minute
        this.#log.warn({ outbox: this.#location.schema, err: errorMessage(error) }, 'outbox purge failed');
      }
    }
  }

  /** The NATS connection this relay publishes through (readiness probes). */
  get nats(): NatsConnection {
    return this.#nats;
  }
}
