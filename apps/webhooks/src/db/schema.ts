import { inboxTable, outboxTable } from '@bursary/events';
import { pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Everything webhooks stores lives in its own schema, reachable only by its own role. */
export const webhooksSchema = pgSchema('webhooks');

export const webhookEndpoints = webhooksSchema.table('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  providerOrgId: uuid('provider_org_id').notNull(),
  url: text('url').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(webhooksSchema);

/** Event ids already handled by this service's consumers: a side effect happens once per event (R-EVT-1). */
export const inbox = inboxTable(webhooksSchema);
