import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startThrowawayNats, type ThrowawayNats, waitFor } from '@bursary/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createEvent,
  ensureEventStream,
  eventStreamConfig,
  on,
  processOnce,
  publishEvent,
  PurchaseCompleted,
  startEventConsumer,
  UserSignedUp,
  type EventConsumer,
  type EventOf,
} from '../src/index.js';
import { createOutboxDatabase, type OutboxDatabase } from './support/outbox-database.js';
import { isolatedStream } from './support/stream.js';

let nats: ThrowawayNats;
let pg: OutboxDatabase;
let nc: NatsConnection;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  [nats, pg] = await Promise.all([startThrowawayNats(), createOutboxDatabase()]);
  nc = await connect({ servers: nats.url });
  await pg.sql.unsafe(`create table "${pg.schema}".credits (user_id uuid primary key, credits int not null)`);
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

afterAll(async () => {
  await Promise.allSettled([nc?.close(), pg?.close(), nats?.destroy()]);
});

function purchase(userId = randomUUID()): EventOf<typeof PurchaseCompleted> {
  const purchaseId = randomUUID();
  return createEvent(PurchaseCompleted, { subject: purchaseId, data: { purchaseId, userId, amountMinor: 1999, currency: 'EUR', credits: 10 } });
}

/** The side effect under test: grant credits, once per event. */
function grantCredits(event: EventOf<typeof PurchaseCompleted>, consumer = 'catalog.credits') {
  return pg.db.transaction((tx) =>
    processOnce(tx, pg.inbox, { eventId: event.id, consumer }, async () => {
      await tx.execute(`insert into "${pg.schema}".credits (user_id, credits) values ('${event.data.userId}', ${event.data.credits})
        on conflict (user_id) do update set credits = credits.credits + excluded.credits`);
    }),
  );
}

async function creditsOf(userId: string): Promise<number> {
  const [row] = await pg.sql.unsafe<{ credits: number }[]>(`select credits from "${pg.schema}".credits where user_id = $1`, [userId]);
  return row?.credits ?? 0;
}

describe('inbox and consumers', () => {
  it('R-EVT-1: the inbox runs a side effect once per event id, also under concurrent deliveries', async () => {
    const event = purchase();
    const results = await Promise.all([grantCredits(event), grantCredits(event), grantCredits(event)]);
    expect(results.filter((r) => r.processed)).toHaveLength(1);
    expect(await grantCredits(event)).toEqual({ processed: false });
    expect(await creditsOf(event.data.userId)).toBe(10);
    // Another consumer of the same event has its own inbox row.
    expect((await grantCredits(event, 'analytics.funnel')).processed).toBe(true);
  });

  it('R-EVT-1: a side effect that fails rolls its inbox row back, so the redelivery applies it', async () => {
    const event = purchase();
    await expect(
      pg.db.transaction((tx) =>
        processOnce(tx, pg.inbox, { eventId: event.id, consumer: 'catalog.credits' }, async () => {
          throw new Error('downstream failed');
        }),
      ),
    ).rejects.toThrow('downstream failed');
    expect((await grantCredits(event)).processed).toBe(true);
    expect(await creditsOf(event.data.userId)).toBe(10);
  });

  it('R-EVT-1: a durable consumer with the inbox applies an event redelivered or republished under a new msg id once', async () => {
    const stream = eventStreamConfig(isolatedStream());
    const js = jetstream(nc);
    await ensureEventStream(await js.jetstreamManager(), stream);
    const event = purchase();
    let calls = 0;
    let failOnce = true;
    consumers.push(
      await startEventConsumer({
        nats: nc,
        durable: 'credits',
        stream,
        backoffMs: [50],
        handlers: [
          on(PurchaseCompleted, async (received, delivery) => {
            calls++;
            expect(received.data.credits).toBe(10); // typed payload
            await grantCredits(received);
            if (failOnce && delivery.attempt === 1) {
              failOnce = false;
              throw new Error('ack lost'); // the effect committed but the ack did not happen
            }
          }),
          on(UserSignedUp, async () => undefined),
        ],
      }),
    );
    await publishEvent(js, event, { subjectPrefix: stream.subjectPrefix });
    // The same event again past the duplicate window (simulated: another msg id).
    await js.publish(`${stream.subjectPrefix}.${event.type}`, JSON.stringify(event), { msgID: randomUUID() });
    await waitFor(() => calls >= 3, { what: 'first delivery, redelivery and the republished copy' });
    expect(await creditsOf(event.data.userId)).toBe(10);
  });

  it('R-EVT-1: redelivery is bounded by maxDeliver, and malformed events are terminated, not retried', async () => {
    const stream = eventStreamConfig(isolatedStream());
    const js = jetstream(nc);
    await ensureEventStream(await js.jetstreamManager(), stream);
    const attempts: number[] = [];
    const errors: string[] = [];
    consumers.push(
      await startEventConsumer({
        nats: nc,
        durable: 'always-fails',
        stream,
        maxDeliver: 3,
        backoffMs: [20, 40],
        log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (_obj, msg) => void errors.push(msg ?? '') },
        handlers: [
          on(PurchaseCompleted, async (_event, delivery) => {
            attempts.push(delivery.attempt);
            throw new Error('always');
          }),
        ],
      }),
    );
    await js.publish(`${stream.subjectPrefix}.${PurchaseCompleted.type}`, JSON.stringify({ ...purchase(), data: { purchaseId: 'x' } }));
    await publishEvent(js, purchase(), { subjectPrefix: stream.subjectPrefix });
    await waitFor(() => attempts.length === 3 && errors.length === 2, { what: 'three attempts and two errors' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(errors).toEqual(['event breaks its contract; terminated', 'event handler failed for the last time; giving up']);
    const info = await (await js.jetstreamManager()).consumers.info(stream.name, 'always-fails');
    await waitFor(async () => (await (await js.jetstreamManager()).consumers.info(stream.name, 'always-fails')).num_ack_pending === 0, { what: 'nothing pending' });
    expect(info.config.max_deliver).toBe(3);
  });
});
