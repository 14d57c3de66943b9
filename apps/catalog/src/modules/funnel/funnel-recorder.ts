import type { Sql } from 'postgres';
import { Counter, type Registry } from 'prom-client';

/** The catalog's steps of the funnel visit → search → shortlist → application start (R-OPS-6). */
export type FunnelEventType = 'search_performed' | 'scholarship_viewed' | 'shortlist_added' | 'application_started';

export interface FunnelEvent {
  type: FunnelEventType;
  /** Whether the request was test traffic (tagged, excluded from analytics). */
  test: boolean;
  /** `api` for /v1 calls, `page` for the public landing pages. */
  source: 'api' | 'page';
  userId?: string | undefined;
  scholarshipId?: string | undefined;
  query?: string | undefined;
  resultCount?: number | undefined;
}

export interface FunnelRecorderOptions {
  sql: Sql;
  registry: Registry;
  flushIntervalMs: number;
  log: { warn(object: unknown, message: string): void; info(object: unknown, message: string): void };
}

/** Past this, the oldest events are dropped (and counted): a long outage must not grow the heap without bound. */
const MAX_BUFFERED = 20_000;
const BATCH = 1_000;
const MAX_QUERY_CHARS = 200;

/**
 * Funnel events are analytics, not domain events: losing a few in a crash is
 * acceptable, adding a write to every search is not. They are buffered in
 * memory and written in multi-row INSERTs off the request path, so a search
 * costs no extra round trip at 500 requests/s.
 */
export class FunnelRecorder {
  private buffer: FunnelEvent[] = [];
  private flushing: Promise<void> | undefined;
  private failing = false;
  private readonly timer: NodeJS.Timeout;
  private readonly recorded: Counter<'type' | 'traffic'>;
  private readonly dropped: Counter;

  constructor(private readonly options: FunnelRecorderOptions) {
    this.recorded = new Counter({
      name: 'catalog_funnel_events_total',
      help: 'Funnel analytics events recorded (R-OPS-6), by step and traffic (real or test; test is excluded from analytics)',
      labelNames: ['type', 'traffic'] as const,
      registers: [options.registry],
    });
    this.dropped = new Counter({
      name: 'catalog_funnel_events_dropped_total',
      help: 'Funnel analytics events dropped because the database refused them for too long',
      registers: [options.registry],
    });
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  record(event: FunnelEvent): void {
    this.recorded.inc({ type: event.type, traffic: event.test ? 'test' : 'real' });
    this.buffer.push(event.query === undefined ? event : { ...event, query: event.query.slice(0, MAX_QUERY_CHARS) });
    if (this.buffer.length > MAX_BUFFERED) {
      const excess = this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, excess);
      this.dropped.inc(excess);
    }
  }

  /** Writes what is buffered; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    const { sql } = this.options;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, BATCH);
      const rows = batch.map((event) => ({
        type: event.type,
        user_id: event.userId ?? null,
        scholarship_id: event.scholarshipId ?? null,
        query: event.query ?? null,
        result_count: event.resultCount ?? null,
        source: event.source,
        test: event.test,
      }));
      try {
        await sql`insert into catalog.funnel_events ${sql(rows, 'type', 'user_id', 'scholarship_id', 'query', 'result_count', 'source', 'test')}`;
        if (this.failing) this.options.log.info({}, 'funnel events are being written again');
        this.failing = false;
      } catch (error) {
        // Put the batch back for the next tick; one log line per outage, not per tick.
        this.buffer.unshift(...batch);
        if (!this.failing) this.options.log.warn({ err: error, buffered: this.buffer.length }, 'funnel events could not be written; retrying');
        this.failing = true;
        return;
      }
    }
  }
}
