import type { NatsConnection } from '@nats-io/transport-node';
import type {} from '@bursary/observability';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { connectNats } from './nats-connection.js';
import { errorMessage } from './logger.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { outboxLocation } from './outbox-table.js';

export interface OutboxRelayPluginOptions extends Omit<OutboxRelayOptions, 'nats' | 'log'> {
  /** NATS_URL (the plugin connects and closes), or a connection owned by the caller. */
  nats: string | NatsConnection;
  /** Register readiness probe `nats` (default true; needs @bursary/health). */
  readiness?: boolean;
}

/**
 * Runs this service's outbox relay (R-EVT-1): connects to NATS and starts the
 * relay once the app is ready, without blocking boot on NATS (rows wait in the
 * outbox), and stops it on close. Decorates `app.outboxRelay`.
 */
async function outboxRelayPluginImpl(app: FastifyInstance, options: OutboxRelayPluginOptions): Promise<void> {
  const abort = new AbortController();
  const owned = typeof options.nats === 'string';
  let nats: NatsConnection | undefined = typeof options.nats === 'string' ? undefined : options.nats;
  let relay: OutboxRelay | undefined;
  let starting: Promise<void> | undefined;
  const log = app.log.child({ component: 'outbox-relay' });

  app.decorate('outboxRelay', {
    status: () => relay?.status(),
    wake: () => relay?.wake(),
  });

  if (options.readiness !== false) {
    app.readiness.add('nats', async () => {
      if (!nats) throw new Error('not connected yet');
      if (nats.isClosed()) throw new Error('connection closed');
      const rttMs = await nats.rtt();
      const status = relay?.status();
      return { rttMs, relayFailures: status?.consecutiveFailures ?? 0 };
    });
  }

  app.addHook('onReady', async () => {
    starting = (async () => {
      if (typeof options.nats === 'string') {
        nats = await connectNats({ servers: options.nats, name: `outbox-relay:${outboxLocation(options.table).schema}`, signal: abort.signal, log });
      }
      relay = new OutboxRelay({ ...options, nats: nats!, log });
      relay.start();
    })().catch((error: unknown) => {
      if (!abort.signal.aborted) log.error({ err: errorMessage(error) }, 'outbox relay did not start');
    });
  });

  app.addHook('onClose', async () => {
    abort.abort();
    await starting;
    await relay?.stop();
    if (owned && nats && !nats.isClosed()) await nats.drain().catch(() => nats?.close());
  });
}

export const outboxRelayPlugin = fp(outboxRelayPluginImpl, {
  name: '@bursary/outbox-relay',
  fastify: '5.x',
  dependencies: ['@bursary/health'],
});

declare module 'fastify' {
  interface FastifyInstance {
    outboxRelay: { status(): ReturnType<OutboxRelay['status']> | undefined; wake(): void };
  }
}
