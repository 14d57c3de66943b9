import { outboxTable } from '@bursary/events';
import { pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Everything accounts stores lives in its own schema, reachable only by its own role. */
export const accountsSchema = pgSchema('accounts');

export const users = accountsSchema.table('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(accountsSchema);
