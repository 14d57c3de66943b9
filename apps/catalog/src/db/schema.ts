import { outboxTable } from '@bursary/events';
import { date, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Everything catalog stores lives in its own schema, reachable only by its own role. */
export const catalogSchema = pgSchema('catalog');

export const scholarships = catalogSchema.table('scholarships', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  providerOrgId: uuid('provider_org_id').notNull(),
  /** Award amount in integer minor units (DESIGN.md §3.8). */
  amountMinor: integer('amount_minor').notNull(),
  currency: text('currency').notNull(),
  deadline: date('deadline'),
  status: text('status', { enum: ['draft', 'published', 'archived'] }).notNull().default('draft'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(catalogSchema);
