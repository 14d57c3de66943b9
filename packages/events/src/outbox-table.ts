import { sql } from 'drizzle-orm';
import { bigint, getTableConfig, index, integer, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The outbox table of one service, in that service's own schema (R-EVT-1):
 * add `export const outbox = outboxTable(accountsSchema);` to its
 * src/db/schema.ts and generate a migration.
 *
 * `seq` orders publication; `id` is the event id (Nats-Msg-Id). The partial
 * index keeps claiming cheap however many published rows await the purge.
 */
export function outboxTable<S extends string>(schema: PgSchema<S>) {
  return schema.table(
    'outbox',
    {
      id: uuid('id').primaryKey(),
      seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
      type: text('type').notNull(),
      envelope: jsonb('envelope').notNull(),
      /** Insert time (clock_timestamp(), not the transaction start): the publish-lag origin. */
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
      publishedAt: timestamp('published_at', { withTimezone: true }),
      attempts: integer('attempts').notNull().default(0),
      lastError: text('last_error'),
    },
    (table) => [
      index('outbox_unpublished_idx').on(table.seq).where(sql`published_at is null`),
      index('outbox_published_at_idx').on(table.publishedAt).where(sql`published_at is not null`),
    ],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable<string>>;

export interface OutboxLocation {
  schema: string;
  table: string;
  /** `"schema"."table"` for raw SQL. */
  qualified: string;
  /** The LISTEN/NOTIFY channel the writer notifies and the relay listens on. */
  channel: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function outboxLocation(table: OutboxTable): OutboxLocation {
  const config = getTableConfig(table);
  const schema = config.schema ?? 'public';
  if (!IDENTIFIER.test(schema) || !IDENTIFIER.test(config.name)) throw new Error(`Unexpected outbox table name ${schema}.${config.name}`);
  return { schema, table: config.name, qualified: `"${schema}"."${config.name}"`, channel: `outbox_${schema}`.slice(0, 63) };
}
