import { outboxTable } from '@bursary/events';
import { boolean, integer, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

/** Everything payments stores lives in its own schema, reachable only by its own role. */
export const paymentsSchema = pgSchema('payments');

export const creditPackages = paymentsSchema.table('credit_packages', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  credits: integer('credits').notNull(),
  /** Price in integer minor units (DESIGN.md §3.8). */
  priceMinor: integer('price_minor').notNull(),
  currency: text('currency').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(paymentsSchema);
