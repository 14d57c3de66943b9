import type { Socket } from 'node:net';
import type { Sql } from 'postgres';
import { MessageReader } from './message-reader.js';

export interface PoolStats {
  /** DATABASE_POOL_MAX. */
  max: number;
  /** Connections that exist (connecting, busy or idle). */
  open: number;
  /** Connections running a statement, holding a transaction open, or still logging in. */
  inUse: number;
  /** Connections ready for the next query. */
  idle: number;
  /** Queries not running yet: queued for a connection, or pipelined behind another query on a busy one. */
  waiting: number;
}

/** What the tracker reports to metrics: SQLSTATE of each ErrorResponse, and connections lost mid-query. */
export interface PoolEvents {
  onServerError(sqlstate: string): void;
  onConnectionLost(): void;
}

// Wire protocol message types (PostgreSQL "Message Formats").
const FRONTEND_QUERY = 0x51; // 'Q' simple query: answered by one ReadyForQuery
const FRONTEND_SYNC = 0x53; // 'S' end of an extended-protocol batch: answered by one ReadyForQuery
const FRONTEND_TERMINATE = 0x58; // 'X'
const BACKEND_READY = 0x5a; // 'Z', body: transaction status
const BACKEND_ERROR = 0x45; // 'E'
const TX_IDLE = 0x49; // 'I' (vs 'T' in a transaction, 'E' in a failed one)
const CANCEL_REQUEST_CODE = 80877102;

interface ConnectionState {
  ready: boolean;
  /** Sync/Query messages sent and not yet answered by ReadyForQuery. */
  pending: number;
  transactionStatus: number;
  terminating: boolean;
}

/** The SQLSTATE ('C' field) of an ErrorResponse body: a list of (code byte, C string), ended by a zero byte. */
function sqlstateOf(body: Buffer): string {
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const field = body[offset];
    const end = body.indexOf(0, offset + 1);
    if (end < 0) break;
    if (field === 0x43) return body.toString('utf8', offset + 1, end);
    offset = end + 1;
  }
  return '';
}

/** The pieces of a postgres.js Query (src/query.js) the waiting count relies on; checked before use. */
interface QueryInternals {
  handler: ((query: unknown) => unknown) & { debug?: unknown };
  state: unknown;
  resolve: (value: unknown) => unknown;
  reject: (error: unknown) => unknown;
}

function isQueryInternals(value: unknown): value is QueryInternals {
  if (!(value instanceof Promise)) return false;
  const query = value as unknown as Partial<QueryInternals>;
  return typeof query.handler === 'function' && typeof query.resolve === 'function' && typeof query.reject === 'function' && 'state' in query;
}

/**
 * Pool statistics for R-DB-3. postgres.js keeps its pool queues private
 * (porsager/postgres#443), so they are observed from the outside:
 *
 * - open / in use / idle come from the sockets themselves. Every connection
 *   is made by our socket factory, which watches the wire protocol: a Sync or
 *   Query sent opens a request, a ReadyForQuery closes it and carries the
 *   transaction status. A connection is in use while it logs in, has
 *   unanswered requests or sits inside a transaction (so `sql.begin` holding a
 *   connection idle-in-transaction counts as in use, as it should). This is
 *   exact; the only blind spot is `sql.reserve()` outside a transaction,
 *   which looks idle.
 * - waiting has two parts. When every connection is busy, postgres.js
 *   mostly pipelines a new query onto a busy connection rather than queueing
 *   it: those are the requests beyond the first still unanswered on a socket.
 *   The rest wait in postgres.js's private queue (all connections reserved by
 *   transactions, or still connecting): each query made through the pool's
 *   `sql` (tagged calls, `unsafe`, `file`; drizzle and `begin` go through
 *   `unsafe`) is counted from the moment the pool handler receives it until a
 *   connection takes it (postgres.js then sets `query.state`) or it settles.
 *   That second part relies on postgres.js internals; if their shape changes,
 *   queries are left uninstrumented (that part reads 0) and the pool-metrics
 *   test fails, which is the signal to revisit this file.
 */
export class PoolTracker {
  private readonly connections = new Set<ConnectionState>();
  private readonly waitingQueries = new Set<object>();

  constructor(
    private readonly max: number,
    private readonly events: PoolEvents,
  ) {}

  stats(): PoolStats {
    let inUse = 0;
    let pipelined = 0;
    for (const connection of this.connections) {
      if (!connection.ready || connection.pending > 0 || connection.transactionStatus !== TX_IDLE) inUse++;
      pipelined += Math.max(0, connection.pending - 1);
    }
    const open = this.connections.size;
    return { max: this.max, open, inUse, idle: open - inUse, waiting: this.waitingQueries.size + pipelined };
  }

  /** Called by the socket factory for every socket handed to postgres.js. */
  trackSocket(socket: Socket): void {
    const state: ConnectionState = { ready: false, pending: 0, transactionStatus: TX_IDLE, terminating: false };
    this.connections.add(state);

    const backend = new MessageReader(
      (type) => type === BACKEND_READY || type === BACKEND_ERROR,
      (type, body) => {
        if (type === BACKEND_READY) {
          // The first ReadyForQuery ends the login; later ones answer a Sync or Query.
          if (state.ready) state.pending = Math.max(0, state.pending - 1);
          state.ready = true;
          state.transactionStatus = body?.[0] ?? TX_IDLE;
        } else if (type === BACKEND_ERROR && body) {
          this.events.onServerError(sqlstateOf(body));
        }
      },
    );
    const frontend = new MessageReader(
      (type) => type === 0,
      (type, body) => {
        if (type === 0) {
          // A cancel request travels on its own short-lived connection; it is not part of the pool.
          if (body && body.length >= 4 && body.readUInt32BE(0) === CANCEL_REQUEST_CODE) this.connections.delete(state);
        } else if (type === FRONTEND_SYNC || type === FRONTEND_QUERY) {
          state.pending++;
        } else if (type === FRONTEND_TERMINATE) {
          state.terminating = true;
        }
      },
      true,
    );

    // postgres.js registers its own 'data' listener before its first write, so
    // ours is added then: it can never take the flowing stream away from it.
    let listening = false;
    const originalWrite = socket.write;
    socket.write = function observedWrite(this: Socket, chunk: unknown, ...rest: unknown[]): boolean {
      if (!listening) {
        listening = true;
        socket.on('data', (data: Buffer) => backend.push(data));
      }
      if (Buffer.isBuffer(chunk)) frontend.push(chunk);
      else if (typeof chunk === 'string') frontend.push(Buffer.from(chunk));
      return (originalWrite as (...args: unknown[]) => boolean).apply(this, [chunk, ...rest]);
    } as Socket['write'];

    socket.once('close', () => {
      const known = this.connections.delete(state);
      if (known && state.pending > 0 && !state.terminating) this.events.onConnectionLost();
    });
  }

  /**
   * Returns `sql` with the waiting count wired in: a Proxy for tagged calls,
   * and `unsafe`/`file` replaced on the instance (postgres.js's own `begin`
   * calls `sql.unsafe`, so transactions are counted too).
   */
  instrumentSql<T extends Sql>(sql: T): T {
    const instrument = (result: unknown): unknown => {
      if (isQueryInternals(result)) this.watchQuery(result);
      return result;
    };
    const mutable = sql as unknown as Record<'unsafe' | 'file', (...args: unknown[]) => unknown>;
    for (const key of ['unsafe', 'file'] as const) {
      const original = mutable[key];
      mutable[key] = (...args: unknown[]) => instrument(original(...args));
    }
    return new Proxy(sql, {
      apply: (target, thisArg, args) => instrument(Reflect.apply(target, thisArg, args)),
    });
  }

  private watchQuery(query: QueryInternals): void {
    const waiting = this.waitingQueries;
    const handler = query.handler;
    query.handler = Object.assign((self: unknown) => {
      waiting.add(query);
      return handler(self);
    }, { debug: handler.debug });

    // A connection taking the query sets `state` (the backend's pid/secret).
    let state = query.state;
    Object.defineProperty(query, 'state', {
      configurable: true,
      enumerable: true,
      get: () => state,
      set: (value: unknown) => {
        state = value;
        if (value) waiting.delete(query);
      },
    });
    // Settling (errors before any connection took it, e.g. the pool is ending) also ends the wait;
    // cursors reassign resolve/reject, hence accessors rather than one-time wrappers.
    for (const key of ['resolve', 'reject'] as const) {
      const wrap = (settle: (value: unknown) => unknown) => (value: unknown) => {
        waiting.delete(query);
        return settle(value);
      };
      let current = wrap(query[key]);
      Object.defineProperty(query, key, {
        configurable: true,
        enumerable: true,
        get: () => current,
        set: (next: (value: unknown) => unknown) => {
          current = wrap(next);
        },
      });
    }
  }
}
