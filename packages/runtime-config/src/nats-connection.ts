import { connect, type NatsConnection } from '@nats-io/transport-node';
import { errorMessage, silentLogger, type RuntimeConfigLogger } from './logger.js';

export interface ConnectOptions {
  servers: string;
  name: string;
  signal?: AbortSignal;
  log?: RuntimeConfigLogger;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * First connection retried with capped, jittered backoff until `signal`
 * aborts; afterwards nats.js reconnects forever (`maxReconnectAttempts: -1`;
 * its default of 10 gives up after ~20 s of outage and closes the connection).
 */
export async function connectWithRetry(options: ConnectOptions): Promise<NatsConnection> {
  const log = options.log ?? silentLogger;
  const servers = options.servers.split(',').map((s) => s.trim()).filter(Boolean);
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({ servers, name: options.name, maxReconnectAttempts: -1, reconnectTimeWait: 250, reconnectJitter: 250, pingInterval: 10_000, maxPingOut: 2, timeout: 5_000 });
    } catch (error) {
      if (options.signal?.aborted) throw new Error('NATS connection abandoned: closing');
      const wait = Math.min(5_000, 250 * 2 ** Math.min(attempt - 1, 10));
      if (attempt === 1 || attempt % 10 === 0) log.warn({ servers: options.servers, attempt, err: errorMessage(error) }, 'runtime config: NATS unreachable; retrying');
      await delay(wait / 2 + Math.random() * (wait / 2), options.signal);
      if (options.signal?.aborted) throw new Error('NATS connection abandoned: closing');
    }
  }
}
