import { createTestDatabase, uniqueSuffix, type TestDatabase } from '@bursary/testing';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { pgSchema } from 'drizzle-orm/pg-core';
import postgres, { type Sql } from 'postgres';
import { inboxTable, outboxTable, type InboxTable, type OutboxTable } from '../../src/index.js';

export interface OutboxDatabase {
  database: TestDatabase;
  schema: string;
  sql: Sql;
  /** Built with a schema, as services do, so the tx types are the ones services pass. */
  db: PostgresJsDatabase<{ outbox: OutboxTable; inbox: InboxTable }>;
  outbox: OutboxTable;
  inbox: InboxTable;
  close(): Promise<void>;
}

/**
 * A throwaway database with an outbox and an inbox in a schema of the test's
 * own, created from the DDL drizzle-kit generates for the table factories
 * (the same SQL a service's migration gets).
 */
export async function createOutboxDatabase(): Promise<OutboxDatabase> {
  const database = await createTestDatabase();
  const schemaName = `evt_${uniqueSuffix('t')}`;
  const schema = pgSchema(schemaName);
  const outbox = outboxTable(schema);
  const inbox = inboxTable(schema);
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ schema, outbox, inbox }));
  const sql = postgres(database.adminUrl, { max: 6, onnotice: () => undefined });
  for (const statement of statements) await sql.unsafe(statement);
  return {
    database,
    schema: schemaName,
    sql,
    db: drizzle(sql, { schema: { outbox, inbox } }),
    outbox,
    inbox,
    async close() {
      await sql.end({ timeout: 5 });
      await database.drop();
    },
  };
}
