import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startThrowawayNats, type ThrowawayNats, waitFor } from '@bursary/testing';
import { jetstream } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  enqueue,
  ensureEventStream,
  eventStreamConfig,
  InvalidEventError,
  OutboxRelay,
  publishEvent,
  purgePublishedOutbox,
  PurchaseCompleted,
  UserSignedUp,
  type EventEnvelope,
  type EventStreamConfig,
  type OutboxRelayOptions,
} from '../src/index.js';
import { createOutboxDatabase, type OutboxDatabase } from './support/outbox-database.js';
import { isolatedStream, storedEvents, streamCount } from './support/stream.js';

let nats: ThrowawayNats;
let pg: OutboxDatabase;
let nc: NatsConnection;
const relays: OutboxRelay[] = [];
const connections: NatsConnection[] = [];

beforeAll(async () => {
  [nats, pg] = await Promise.all([startThrowawayNats(), createOutboxDatabase()]);
  nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await Promise.all(connections.splice(0).map((c) => c.close()));
  await pg.sql.unsafe(`truncate "${pg.schema}".outbox, "${pg.schema}".inbox`);
});

afterAll(async () => {
  await Promise.allSettled([nc?.close(), pg?.close(), nats?.destroy()]);
});

function signedUp(): EventEnvelope {
  return createEvent(UserSignedUp, { subject: randomUUID(), data: { userId: randomUUID() } });
}

async function relayConnection(): Promise<NatsConnection> {
  const connection = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100, reconnectJitter: 50 });
  connections.push(connection);
  return connection;
}

async function startRelay(stream: Partial<EventStreamConfig>, options: Partial<OutboxRelayOptions> = {}): Promise<OutboxRelay> {
  const relay = new OutboxRelay({
    sql: pg.sql,
    table: pg.outbox,
    nats: await relayConnection(),
    stream,
    publishTimeoutMs: 1_000,
    backoff: { baseMs: 50, capMs: 500 },
    pollIntervalMs: 5_000, // long: the tests prove NOTIFY wakes the relay
    ...options,
  });
  relays.push(relay);
  relay.start();
  return relay;
}

async function unpublished(): Promise<number> {
  const [row] = await pg.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from "${pg.schema}".outbox where published_at is null`);
  return row!.n;
}

describe('transactional outbox', () => {
  it('R-EVT-1: an event enqueued in a committed transaction is published once, on events.<type>, with Nats-Msg-Id = event id', async () => {
    const stream = isolatedStream();
    await startRelay(stream);
    const event = signedUp();
    await pg.db.transaction(async (tx) => {
      await tx.execute(`select 1`); // the business change would be here
      await enqueue(tx, pg.outbox, event);
    });
    const [stored] = await waitFor(async () => {
      const events = await storedEvents(nc, stream.name!);
      return events.length > 0 && events;
    }, { what: 'the event on the stream' });
    expect(stored).toMatchObject({ id: event.id, msgId: event.id, type: 'accounts.user.signed_up.v1', subject: `${stream.subjectPrefix}.accounts.user.signed_up.v1` });
    await waitFor(async () => (await unpublished()) === 0, { what: 'the row marked published' });
  });

  it('R-EVT-1: a rolled-back transaction leaves no row and no event', async () => {
    const stream = isolatedStream();
    await startRelay(stream);
    const rolledBack = signedUp();
    await expect(
      pg.db.transaction(async (tx) => {
        await enqueue(tx, pg.outbox, rolledBack);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const committed = signedUp();
    await pg.db.transaction((tx) => enqueue(tx, pg.outbox, committed));
    await waitFor(async () => (await streamCount(nc, stream.name!)) === 1, { what: 'the committed event' });
    const events = await storedEvents(nc, stream.name!);
    expect(events.map((e) => e.id)).toEqual([committed.id]);
    const rows = await pg.sql.unsafe(`select id from "${pg.schema}".outbox`);
    expect(rows.map((r) => r['id'])).toEqual([committed.id]);
  });

  it('R-EVT-1: an event that breaks its contract fails the transaction', async () => {
    const bad = { ...signedUp(), data: { userId: 'not-a-uuid', email: 'a@b.c' } };
    await expect(pg.db.transaction((tx) => enqueue(tx, pg.outbox, bad))).rejects.toBeInstanceOf(InvalidEventError);
    expect(() => createEvent(PurchaseCompleted, { subject: 'p', data: { purchaseId: randomUUID(), userId: randomUUID(), amountMinor: 1.5, currency: 'usd', credits: 1 } })).toThrow(InvalidEventError);
    expect(await unpublished()).toBe(0);
  });

  it('R-EVT-1: NATS stopped mid-stream → rows wait, the relay backs off, nothing is lost after restart', async () => {
    const stream = isolatedStream();
    const registry = new Registry();
    const relay = await startRelay(stream, { registry, backoff: { baseMs: 50, capMs: 400 } });
    const ids: string[] = [];
    const enqueueOne = async () => {
      const event = signedUp();
      await pg.db.transaction((tx) => enqueue(tx, pg.outbox, event));
      ids.push(event.id);
    };
    for (let i = 0; i < 20; i++) await enqueueOne();
    await waitFor(async () => (await streamCount(nc, stream.name!)) === 20, { what: 'the first 20 events' });

    await waitFor(async () => (await unpublished()) === 0, { what: 'the first 20 rows marked published' });
    await nats.stop();
    try {
    for (let i = 0; i < 30; i++) await enqueueOne();
    await waitFor(() => relay.status().consecutiveFailures >= 2, { what: 'the relay to notice the outage' });
    expect(await unpublished()).toBe(30);
    const metrics = await registry.getMetricsAsJSON();
    const errors = metrics.find((m) => m.name === 'outbox_publish_errors_total')!;
    expect(errors.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThan(0);
    await waitFor(async () => {
      const backlog = (await registry.getMetricsAsJSON()).find((m) => m.name === 'outbox_backlog');
      return backlog?.values[0]?.value === 30;
    }, { what: 'the backlog gauge to show 30', timeoutMs: 5_000 });
    } finally {
      await nats.start();
    }
    await waitFor(async () => (await unpublished()) === 0, { what: 'the backlog to drain after the restart', timeoutMs: 15_000 });
    const events = await storedEvents(nc, stream.name!);
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(ids));
    expect(relay.status().consecutiveFailures).toBe(0);
    const lag = (await registry.getMetricsAsJSON()).find((m) => m.name === 'outbox_publish_lag_seconds')!;
    expect(lag.values.find((v) => (v as { metricName?: string }).metricName === 'outbox_publish_lag_seconds_count')?.value).toBe(50);
  });

  it('R-EVT-1: a repeated Nats-Msg-Id is dropped by the stream (relay crash after publish, before commit)', async () => {
    const stream = eventStreamConfig(isolatedStream());
    const js = jetstream(nc);
    await ensureEventStream(await js.jetstreamManager(), stream);
    const event = signedUp();
    // The previous relay published, then died before marking the row.
    const first = await publishEvent(js, event, { subjectPrefix: stream.subjectPrefix });
    expect(first.duplicate).toBe(false);
    await pg.db.transaction((tx) => enqueue(tx, pg.outbox, event));
    await startRelay(stream);
    await waitFor(async () => (await unpublished()) === 0, { what: 'the row marked published' });
    const again = await publishEvent(js, event, { subjectPrefix: stream.subjectPrefix });
    expect(again.duplicate).toBe(true);
    expect(await streamCount(nc, stream.name)).toBe(1);
  });

  it('R-EVT-1: two relays on one table publish each event exactly once', async () => {
    const stream = isolatedStream();
    const total = 300;
    const events = Array.from({ length: total }, signedUp);
    await pg.db.transaction(async (tx) => {
      for (const event of events) await enqueue(tx, pg.outbox, event);
    });
    const [a, b] = await Promise.all([startRelay(stream, { batchSize: 10 }), startRelay(stream, { batchSize: 10 })]);
    await waitFor(async () => (await unpublished()) === 0, { what: 'both relays to drain the outbox', timeoutMs: 15_000 });
    // Each relay counts the rows it marked published: a row published by both would count twice.
    expect(a!.status().published + b!.status().published).toBe(total);
    const stored = await storedEvents(nc, stream.name!);
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((e) => e.id)).size).toBe(total);
    expect(stored.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('R-EVT-1: published rows older than the retention are purged; unpublished ones are kept', async () => {
    const old = signedUp();
    const waiting = signedUp();
    await pg.db.transaction(async (tx) => {
      await enqueue(tx, pg.outbox, old);
      await enqueue(tx, pg.outbox, waiting);
    });
    await pg.sql.unsafe(`update "${pg.schema}".outbox set published_at = now() - interval '8 days' where id = $1`, [old.id]);
    await pg.sql.unsafe(`update "${pg.schema}".outbox set created_at = now() - interval '30 days' where id = $1`, [waiting.id]);
    expect(await purgePublishedOutbox(pg.sql, pg.outbox, { olderThanDays: 7 })).toBe(1);
    const rows = await pg.sql.unsafe(`select id from "${pg.schema}".outbox`);
    expect(rows.map((r) => r['id'])).toEqual([waiting.id]);
  });
});
