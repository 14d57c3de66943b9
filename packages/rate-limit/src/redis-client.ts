import { Redis } from 'ioredis';

export interface RateLimitRedisOptions {
  url: string;
  /** A command not answered within this many ms fails (the request then degrades). */
  commandTimeoutMs?: number;
  /** A TCP/TLS connect attempt is abandoned after this many ms. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnect attempts. */
  maxReconnectDelayMs?: number;
  /** Shown in CLIENT LIST, e.g. "gateway-ratelimit". */
  connectionName?: string;
}

/**
 * An ioredis client that fails fast, so that a Redis outage can never hang a
 * request (R-RL-2): no offline queue (a command while disconnected is
 * rejected at once instead of waiting for a reconnect), a short command
 * timeout (a Redis that accepts connections but does not answer), one retry
 * at most, and reconnection in the background with capped, jittered backoff
 * so that recovery is automatic when Redis returns. Not connected until
 * `connect()` is called (nothing connects at import or construction time).
 */
export function createRateLimitRedis(options: RateLimitRedisOptions): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  return new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: options.connectTimeoutMs ?? 1_000,
    connectionName: options.connectionName ?? 'bursary-ratelimit',
    // Jitter spreads the reconnects of many gateway instances after a Redis restart.
    retryStrategy: (attempt) => Math.min(maxDelay, 50 * 2 ** Math.min(attempt, 10)) * (0.5 + Math.random() / 2),
    // Never resend a rate-limit decision after a reconnect: the request it was for has moved on.
    autoResendUnfulfilledCommands: false,
  });
}
