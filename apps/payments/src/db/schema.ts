import { outboxTable } from '@bursary/events';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Everything payments stores lives in its own schema, reachable only by its own role. */
export const paymentsSchema = pgSchema('payments');

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/** Money: integer minor units (DESIGN.md §3.8); bigint read as a JS number (amounts stay far below 2^53). */
const minor = (name: string) => bigint(name, { mode: 'number' });

export const creditPackages = paymentsSchema.table('credit_packages', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  credits: integer('credits').notNull(),
  /** Price in integer minor units (DESIGN.md §3.8). */
  priceMinor: integer('price_minor').notNull(),
  currency: text('currency').notNull(),
  active: boolean('active').notNull().default(true),
  /**
   * Set when a scholarship provider sells the package through the marketplace:
   * its payments are provider payments (3% platform fee, 97% provider payable, R-PAY-5).
   */
  providerOrg: text('provider_org'),
  createdAt: createdAt(),
});

/**
 * The idempotency store (R-PAY-2): one row per (principal, operation, key),
 * claimed before any work, holding the recovery point while in flight and the
 * exact response once terminal. Rows live 72 h (`expires_at`), then the worker purges them.
 */
export const idempotencyKeys = paymentsSchema.table(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    operation: text('operation').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the canonical request body: the same key with another body is 422. */
    fingerprint: text('fingerprint').notNull(),
    state: text('state').notNull().default('in_flight'),
    /** Where a retry resumes (`started`, then operation-specific points, e.g. `purchase_created`). */
    recoveryPoint: text('recovery_point').notNull().default('started'),
    /** The purchase, refund or payout the request created. */
    resourceId: uuid('resource_id'),
    /** The lease of the request working on it; a retry after it may take over. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }).notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    /** The response body exactly as first sent, replayed byte for byte. */
    responseBody: text('response_body'),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [table.principal, table.operation, table.key] }),
    index('idempotency_keys_expires_at_idx').on(table.expiresAt),
    check('idempotency_keys_state_check', sql`${table.state} in ('in_flight', 'completed')`),
    check('idempotency_keys_completed_check', sql`${table.state} = 'in_flight' or (${table.responseStatus} is not null and ${table.responseBody} is not null)`),
  ],
);

/**
 * A credit purchase. The id is generated and stored before the PSP is called
 * and is the PSP's Idempotency-Key, so every call about this purchase, from
 * any process and however late, is the same charge (R-PAY-2, R-PAY-6).
 */
export const purchases = paymentsSchema.table(
  'purchases',
  {
    id: uuid('id').primaryKey(),
    userId: text('user_id').notNull(),
    packageId: text('package_id')
      .notNull()
      .references(() => creditPackages.id),
    credits: integer('credits').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    providerOrg: text('provider_org'),
    /** The platform's fee on a provider payment, fixed when the purchase is created (0 for the platform's own packages). */
    platformFeeMinor: minor('platform_fee_minor').notNull().default(0),
    paymentMethod: text('payment_method').notNull(),
    /** created → succeeded | failed | canceled; terminal states never change (trigger). */
    status: text('status').notNull().default('created'),
    pspPaymentIntentId: text('psp_payment_intent_id').unique('purchases_psp_payment_intent_id_key'),
    failureCode: text('failure_code'),
    /** The request or worker currently driving the purchase; recovery takes over after it. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
    recoveryAttempts: integer('recovery_attempts').notNull().default(0),
    /** Refunded or being refunded (reserved when a refund starts); never above the amount. */
    refundedMinor: minor('refunded_minor').notNull().default(0),
    /** Refunds the PSP completed and the ledger reversed: the base of the cumulative rounding rule. */
    refundSettledMinor: minor('refund_settled_minor').notNull().default(0),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    index('purchases_user_idx').on(table.userId, table.id),
    index('purchases_in_flight_idx').on(table.leaseUntil).where(sql`status = 'created'`),
    check('purchases_status_check', sql`${table.status} in ('created', 'succeeded', 'failed', 'canceled')`),
    check('purchases_amount_check', sql`${table.amountMinor} > 0 and ${table.credits} > 0 and ${table.platformFeeMinor} between 0 and ${table.amountMinor}`),
    check('purchases_refunded_check', sql`${table.refundSettledMinor} >= 0 and ${table.refundSettledMinor} <= ${table.refundedMinor} and ${table.refundedMinor} <= ${table.amountMinor}`),
  ],
);

/** A refund of a purchase, full or partial; its id is the PSP's Idempotency-Key. */
export const refunds = paymentsSchema.table(
  'refunds',
  {
    id: uuid('id').primaryKey(),
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id),
    userId: text('user_id').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** Credits taken back from the student when the refund settled, by the cumulative rounding rule (docs/adr/0004). */
    creditsReversed: integer('credits_reversed').notNull().default(0),
    /** pending → succeeded | failed. */
    status: text('status').notNull().default('pending'),
    pspRefundId: text('psp_refund_id').unique('refunds_psp_refund_id_key'),
    failureCode: text('failure_code'),
    requestedBy: text('requested_by').notNull(),
    reason: text('reason'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    index('refunds_purchase_idx').on(table.purchaseId),
    index('refunds_pending_idx').on(table.leaseUntil).where(sql`status = 'pending'`),
    check('refunds_status_check', sql`${table.status} in ('pending', 'succeeded', 'failed')`),
    check('refunds_amount_check', sql`${table.amountMinor} > 0 and ${table.creditsReversed} >= 0`),
  ],
);

/** Money paid out to a provider from its payable balance (R-PAY-5). */
export const payouts = paymentsSchema.table(
  'payouts',
  {
    id: uuid('id').primaryKey(),
    providerOrg: text('provider_org').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    requestedBy: text('requested_by').notNull(),
    reference: text('reference'),
    createdAt: createdAt(),
  },
  (table) => [index('payouts_provider_idx').on(table.providerOrg, table.createdAt), check('payouts_amount_check', sql`${table.amountMinor} > 0`)],
);

/**
 * The inbox of PSP webhooks (R-PAY-4): one row per PSP event id, inserted in
 * the transaction that applies the event, so a redelivery is a no-op.
 */
export const pspEvents = paymentsSchema.table('psp_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  objectId: text('object_id'),
  pspCreatedAt: timestamp('psp_created_at', { withTimezone: true }).notNull(),
  /** applied | stale | unmatched | ignored */
  outcome: text('outcome').notNull(),
  payload: jsonb('payload').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The ledger (R-PAY-3): append-only journal transactions, each with balanced
 * entries. UPDATE, DELETE and TRUNCATE are refused by privileges and triggers
 * (migration 0003); `source_key` makes every business fact post at most once.
 */
export const journalTransactions = paymentsSchema.table(
  'journal_transactions',
  {
    id: uuid('id').primaryKey(),
    sourceKey: text('source_key').notNull().unique('journal_transactions_source_key_key'),
    kind: text('kind').notNull(),
    /** A reversal names the transaction it (partly) reverses; nothing is ever edited. */
    reversesId: uuid('reverses_id'),
    description: text('description').notNull(),
    createdAt: createdAt(),
    /** The database transaction that posted it: entries may only be added by that same transaction (migration 0003). */
    createdTxid: bigint('created_txid', { mode: 'number' })
      .notNull()
      .default(sql`txid_current()`),
  },
  (table) => [check('journal_transactions_kind_check', sql`${table.kind} in ('purchase', 'refund', 'payout', 'correction')`)],
);

export const journalEntries = paymentsSchema.table(
  'journal_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => journalTransactions.id),
    account: text('account').notNull(),
    currency: text('currency').notNull(),
    direction: text('direction').notNull(),
    amountMinor: minor('amount_minor').notNull(),
  },
  (table) => [
    index('journal_entries_transaction_idx').on(table.transactionId),
    index('journal_entries_account_idx').on(table.account, table.currency),
    check('journal_entries_direction_check', sql`${table.direction} in ('debit', 'credit')`),
    check('journal_entries_amount_check', sql`${table.amountMinor} > 0`),
  ],
);

/** Running balances, written only by the entry trigger (the service role may only read them). */
export const ledgerBalances = paymentsSchema.table(
  'ledger_balances',
  {
    account: text('account').notNull(),
    currency: text('currency').notNull(),
    debitsMinor: minor('debits_minor').notNull().default(0),
    creditsMinor: minor('credits_minor').notNull().default(0),
  },
  (table) => [primaryKey({ name: 'ledger_balances_pkey', columns: [table.account, table.currency] })],
);

/** One row per reconciliation run with its report (R-PAY-6, R-PAY-7). */
export const reconciliationRuns = paymentsSchema.table('reconciliation_runs', {
  id: uuid('id').primaryKey(),
  trigger: text('trigger').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  matched: integer('matched').notNull(),
  missingHere: integer('missing_here').notNull(),
  missingAtPsp: integer('missing_at_psp').notNull(),
  amountMismatch: integer('amount_mismatch').notNull(),
  duplicates: integer('duplicates').notNull(),
  matchRatio: doublePrecision('match_ratio').notNull(),
  report: jsonb('report').notNull(),
});

/** Domain events written in the same transaction as the change they describe (R-EVT-1). */
export const outbox = outboxTable(paymentsSchema);
