import { primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { OutboxTransaction } from './outbox-writer.js';

/**
 * The inbox of one consuming service, in its own schema: one row per
 * (event id, consumer) whose side effect has happened. Add
 * `export const inbox = inboxTable(webhooksSchema);` to its src/db/schema.ts.
 */
export function inboxTable<S extends string>(schema: PgSchema<S>) {
  return schema.table(
    'inbox',
    {
      eventId: uuid('event_id').notNull(),
      consumer: text('consumer').notNull(),
      processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ name: 'inbox_pkey', columns: [table.eventId, table.consumer] })],
  );
}

export type InboxTable = ReturnType<typeof inboxTable<string>>;

export type ProcessOnceResult<T> = { processed: true; result: T } | { processed: false };

/**
 * Runs `sideEffect` at most once per (event id, consumer) (R-EVT-1: "deduplicated
 * downstream"). The inbox row is inserted in the caller's transaction, before
 * the side effect: a redelivered event finds the row and is skipped; a
 * concurrent delivery of the same event waits on the row lock and is skipped
 * when the first commits; a rollback removes the row with the side effect, so
 * the next delivery tries again.
 *
 *   await db.transaction((tx) => processOnce(tx, inbox, { eventId: event.id, consumer: 'webhooks.fanout' }, () => fanOut(tx, event)));
 */
export async function processOnce<T>(
  tx: OutboxTransaction,
  inbox: InboxTable,
  key: { eventId: string; consumer: string },
  sideEffect: () => Promise<T>,
): Promise<ProcessOnceResult<T>> {
  const inserted = await tx
    .insert(inbox)
    .values({ eventId: key.eventId, consumer: key.consumer })
    .onConflictDoNothing()
    .returning({ eventId: inbox.eventId });
  if (inserted.length === 0) return { processed: false };
  return { processed: true, result: await sideEffect() };
}
