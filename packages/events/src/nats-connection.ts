import { connect, type NatsConnection } from '@nats-io/transport-node';
import { backoffDelay, sleep } from './backoff.js';
import { errorMessage, silentLogger, type EventsLogger } from './logger.js';

export interface ConnectNatsOptions {
  /** `nats://host:port`, several separated by commas. */
  servers: string;
  /** Shown by the server's monitoring, e.g. "accounts-outbox". */
  name: string;
  /** Stops the first-connection retries (service shutting down). */
  signal?: AbortSignal;
  log?: EventsLogger;
}

/**
 * Connects, retrying the first connection with backoff until `signal` aborts,
 * then lets nats.js reconnect forever. nats.js' own `waitOnFirstConnect`
 * retries too, but offers no way to give up (a closing service would leak the
 * dial loop), and its default `maxReconnectAttempts` of 10 closes the
 * connection for good after a ~20 s outage.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const log = options.log ?? silentLogger;
  const servers = options.servers.split(',').map((s) => s.trim()).filter(Boolean);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({
        servers,
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        reconnectJitter: 250,
        pingInterval: 10_000,
        maxPingOut: 2,
        timeout: 5_000,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new Error(`NATS connection to ${options.servers} abandoned: shutting down`);
      const delay = backoffDelay(attempt, { baseMs: 250, capMs: 5_000 });
      if (attempt === 1 || attempt % 10 === 0) {
        log.warn({ servers: options.servers, attempt, retryInMs: delay, err: errorMessage(error) }, 'NATS unreachable; retrying');
      }
      await sleep(delay, options.signal);
      if (options.signal?.aborted) throw new Error(`NATS connection to ${options.servers} abandoned: shutting down`);
    }
  }
}
