import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { errorBoundaryPlugin } from '@bursary/errors';
import { healthPlugin } from '@bursary/observability';
import { freePort, startThrowawayNats, type ThrowawayNats, waitFor } from '@bursary/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, enqueue, outboxRelayPlugin, UserSignedUp, type EventStreamConfig } from '../src/index.js';
import { createOutboxDatabase, type OutboxDatabase } from './support/outbox-database.js';
import { isolatedStream, streamCount } from './support/stream.js';

let nats: ThrowawayNats;
let pg: OutboxDatabase;
let nc: NatsConnection;

beforeAll(async () => {
  [nats, pg] = await Promise.all([startThrowawayNats(), createOutboxDatabase()]);
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  await Promise.allSettled([nc?.close(), pg?.close(), nats?.destroy()]);
});

async function buildApp(natsUrl: string, stream: Partial<EventStreamConfig>, registry: Registry): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(errorBoundaryPlugin);
  await app.register(healthPlugin);
  await app.register(outboxRelayPlugin, { nats: natsUrl, sql: pg.sql, table: pg.outbox, stream, registry });
  await app.ready();
  return app;
}

describe('outbox relay plugin', () => {
  it('R-EVT-1: starts the relay when the app is ready, reports nats in /readyz, stops on close', async () => {
    const stream = isolatedStream();
    const registry = new Registry();
    const app = await buildApp(nats.url, stream, registry);
    try {
      const ready = await waitFor(async () => {
        const response = await app.inject({ method: 'GET', url: '/readyz' });
        return response.statusCode === 200 ? response.json<{ checks: Record<string, unknown> }>() : undefined;
      }, { what: '/readyz 200' });
      expect(ready.checks.nats).toMatchObject({ ok: true });
      await pg.db.transaction((tx) => enqueue(tx, pg.outbox, createEvent(UserSignedUp, { subject: 'u', data: { userId: randomUUID() } })));
      await waitFor(async () => (await streamCount(nc, stream.name!)) === 1, { what: 'the event published by the plugin relay' });
      expect(app.outboxRelay.status()).toMatchObject({ running: true, published: 1 });
      expect(await registry.metrics()).toContain('outbox_publish_lag_seconds_count{outbox="' + pg.schema + '"} 1');
    } finally {
      await app.close();
    }
    expect(app.outboxRelay.status()).toMatchObject({ running: false });
  });

  it('R-EVT-1: boots while NATS is unreachable (rows wait) and /readyz names nats', async () => {
    const app = await buildApp(`nats://127.0.0.1:${await freePort()}`, isolatedStream(), new Registry());
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ dependencies: ['nats'] });
    } finally {
      await app.close();
    }
  });
});
