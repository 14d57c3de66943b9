import type { KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection, Status } from '@nats-io/transport-node';
import { errorMessage, silentLogger, type RuntimeConfigLogger } from './logger.js';
import { connectWithRetry } from './nats-connection.js';
import { DEFAULT_RUNTIME_BUCKET, openRuntimeBucket } from './runtime-bucket.js';
import { RuntimeValueStore, type RuntimeConfig } from './runtime-config.js';

export interface NatsRuntimeConfigOptions {
  /** NATS_URL (connected and closed here), or a connection owned by the caller. */
  nats: string | NatsConnection;
  /** KV bucket; `runtime` except in tests. */
  bucket?: string;
  log?: RuntimeConfigLogger;
  /** Client name shown by the server, e.g. "gateway-runtime-config". */
  name?: string;
}

export interface NatsRuntimeConfigStatus {
  connected: boolean;
  /** The bucket's values at start have been applied. */
  loaded: boolean;
  watching: boolean;
  /** Bucket revision of the last entry applied. */
  revision: number;
}

export interface NatsRuntimeConfig extends RuntimeConfig {
  /** Resolves true once the bucket's current values are applied, false if that takes longer than `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  status(): NatsRuntimeConfigStatus;
}

/**
 * Watches the KV bucket (R-OPS-3): a put reaches every instance as a push,
 * well within a second. Starts with defaults and returns at once; values
 * arrive as soon as NATS answers. While NATS is unreachable the last-known-good
 * values stay; the watch is re-established with backoff and replays the
 * current value of every key, so nothing changed during the outage is missed.
 */
export function createNatsRuntimeConfig(options: NatsRuntimeConfigOptions): NatsRuntimeConfig {
  const log = options.log ?? silentLogger;
  const bucket = options.bucket ?? DEFAULT_RUNTIME_BUCKET;
  const store = new RuntimeValueStore(log);
  const abort = new AbortController();
  const owned = typeof options.nats === 'string';
  let nc: NatsConnection | undefined = typeof options.nats === 'string' ? undefined : options.nats;
  let watcher: { stop(): void } | undefined;
  let loaded = false;
  let connected = false;
  let revision = 0;
  let markLoaded: () => void = () => undefined;
  const loadedPromise = new Promise<void>((resolve) => {
    markLoaded = () => {
      if (!loaded) log.info({ bucket, values: store.all() }, 'runtime config loaded');
      loaded = true;
      resolve();
    };
  });

  function apply(entry: KvWatchEntry): void {
    revision = Math.max(revision, entry.revision);
    const raw = entry.operation === 'PUT' ? entry.string() : undefined;
    store.applyRaw(entry.key, raw, { revision: entry.revision, bucket });
  }

  async function watchOnce(connection: NatsConnection): Promise<void> {
    const kv = await openRuntimeBucket(connection, bucket);
    // Default include = last value per key: a (re)started watch replays the
    // current state first, then pushes updates.
    const iterator = await kv.watch({ key: '>' });
    watcher = iterator;
    try {
      if (abort.signal.aborted) return;
      if ((await kv.status()).values === 0) markLoaded();
      for await (const entry of iterator) {
        apply(entry);
        if (!loaded && entry.delta === 0) markLoaded();
      }
    } finally {
      watcher = undefined;
      iterator.stop();
    }
  }

  let tracking: Promise<void> | undefined;
  // nats.js returns a QueuedIterator; stop() detaches it from a connection the caller keeps open.
  let statusEvents: (AsyncIterable<Status> & { stop?: () => void }) | undefined;
  async function trackConnection(connection: NatsConnection): Promise<void> {
    connected = !connection.isClosed();
    statusEvents = connection.status();
    for await (const event of statusEvents) {
      if (event.type === 'disconnect') {
        connected = false;
        log.warn({ bucket }, 'runtime config: NATS disconnected; keeping last-known-good values');
      } else if (event.type === 'reconnect') {
        connected = true;
        log.info({ bucket }, 'runtime config: NATS reconnected');
      }
    }
    connected = false;
  }

  const loop = (async () => {
    for (let attempt = 1; !abort.signal.aborted; attempt++) {
      try {
        if (!nc) {
          nc = await connectWithRetry({ servers: options.nats as string, name: options.name ?? 'runtime-config', signal: abort.signal, log });
        }
        if (!tracking) tracking = trackConnection(nc);
        await watchOnce(nc);
        if (abort.signal.aborted) break;
        log.warn({ bucket }, 'runtime config watch ended; re-watching (last-known-good values kept)');
        attempt = 0;
      } catch (error) {
        if (abort.signal.aborted) break;
        if (attempt === 1 || attempt % 10 === 0) {
          log.warn({ bucket, attempt, err: errorMessage(error), values: store.all() }, 'runtime config watch failed; keeping last-known-good values');
        }
      }
      const wait = Math.min(2_000, 100 * 2 ** Math.min(attempt - 1, 10));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait / 2 + Math.random() * (wait / 2));
        abort.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  })();

  return {
    get: (key) => store.get(key),
    all: () => store.all(),
    onChange: (key, listener) => store.onChange(key, listener),
    async ready(timeoutMs) {
      if (loaded) return true;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        return await Promise.race([loadedPromise.then(() => true as const), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    status: () => ({ connected, loaded, watching: watcher !== undefined, revision }),
    async close() {
      abort.abort();
      watcher?.stop();
      statusEvents?.stop?.();
      await loop;
      if (owned && nc && !nc.isClosed()) await nc.drain().catch(() => nc?.close());
    },
  };
}
