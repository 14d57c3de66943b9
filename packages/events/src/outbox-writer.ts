import { sql } from 'drizzle-orm';
import type { PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { EventEnvelope } from './envelope.js';
import { outboxLocation, type OutboxTable } from './outbox-table.js';
import { eventRegistry } from './registry.js';

/**
 * A drizzle transaction (`db.transaction(async (tx) => …)`). Deliberately not
 * a database handle: an event enqueued outside the transaction of the change
 * it describes is the dual write the outbox exists to prevent.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema, any driver
export type OutboxTransaction = PgTransaction<PgQueryResultHKT, any, any>;

/**
 * Writes `event` into the service's outbox in the caller's transaction
 * (R-EVT-1), typically `enqueue(tx, outbox, createEvent(PurchaseCompleted, {...}))`:
 * it is published if and only if the transaction commits. The
 * NOTIFY in the same statement is delivered by Postgres at commit and only
 * wakes the relay; polling covers a missed one.
 */
export async function enqueue(tx: OutboxTransaction, outbox: OutboxTable, event: EventEnvelope): Promise<void> {
  // Validated again here (createEvent already did): a hand-built envelope
  // that breaks its contract must fail the transaction, not the consumers.
  eventRegistry.parse(event);
  const { channel } = outboxLocation(outbox);
  await tx.execute(sql`
    with inserted as (
      insert into ${outbox} (id, type, envelope)
      values (${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb)
      returning 1
    )
    select pg_notify(${channel}, '') from inserted`);
}
