import { sql } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../../db/database.js';
import { journalTransactions, purchases, reconciliationRuns, refunds } from '../../db/schema.js';
import { journalTotals } from '../ledger/ledger-queries.js';
import type { PaymentProvider, PspPaymentIntent, PspRefund } from '../psp/payment-provider.js';
import { matchRecords, type MatchCounts, type MatchIssue, type OurPurchase, type OurRefund } from './reconciliation-match.js';
import type { ReconciliationMetrics } from './reconciliation-metrics.js';

/** The one advisory lock of reconciliation: one run at a time, across every worker instance. */
const RECONCILIATION_LOCK = 'payments:reconciliation';
const MAX_REPORTED_ISSUES = 200;

export interface ReconciliationReport {
  runId: string;
  trigger: string;
  startedAt: string;
  finishedAt: string;
  windowStart: string;
  counts: MatchCounts;
  matchRatio: number;
  duplicates: number;
  /** Σ debits = Σ credits per currency over the whole journal. */
  ledgerBalanced: boolean;
  ledger: Array<{ currency: string; debitsMinor: number; creditsMinor: number }>;
  pspObjects: { paymentIntents: number; refunds: number };
  issues: MatchIssue[];
}

export type ReconciliationOutcome = { ran: true; report: ReconciliationReport } | { ran: false; reason: 'already_running' };

export interface ReconcilerOptions {
  db: PaymentsDb;
  /** The pool itself: the advisory lock needs one connection for the whole run. */
  sql: Sql;
  psp: PaymentProvider;
  windowMs: number;
  metrics: ReconciliationMetrics;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * Reconciliation (R-PAY-6, R-PAY-7, R-EVT-3): our purchases and refunds of
 * the window against the PSP's PaymentIntents and refunds, plus the ledger's
 * own balance, into a stored report and the metrics
 * `reconciliation_match_ratio` and `payments_duplicates_total`.
 */
export function createReconciler(options: ReconcilerOptions) {
  const { db } = options;

  async function ourPurchases(since: Date, referenced: string[]): Promise<OurPurchase[]> {
    const rows = await db
      .select({
        id: purchases.id,
        status: purchases.status,
        amountMinor: purchases.amountMinor,
        currency: purchases.currency,
        pspPaymentIntentId: purchases.pspPaymentIntentId,
        // Spelled out: drizzle leaves single-table columns unqualified, and inside the subquery "id" would be the journal's.
        posted: sql<boolean>`exists (select 1 from ${journalTransactions} j where j.source_key = 'purchase:' || "payments"."purchases"."id")`,
      })
      .from(purchases)
      .where(sql`${purchases.createdAt} >= ${since.toISOString()} or ${purchases.id}::text in (select jsonb_array_elements_text(${JSON.stringify(referenced)}::jsonb))`);
    return rows;
  }

  async function ourRefunds(since: Date, referenced: string[]): Promise<OurRefund[]> {
    return db
      .select({
        id: refunds.id,
        status: refunds.status,
        amountMinor: refunds.amountMinor,
        currency: refunds.currency,
        pspRefundId: refunds.pspRefundId,
        posted: sql<boolean>`exists (select 1 from ${journalTransactions} j where j.source_key = 'refund:' || "payments"."refunds"."id")`,
      })
      .from(refunds)
      .where(sql`${refunds.createdAt} >= ${since.toISOString()} or ${refunds.id}::text in (select jsonb_array_elements_text(${JSON.stringify(referenced)}::jsonb))`);
  }

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ids = (values: Array<string | undefined>) => [...new Set(values.filter((value): value is string => value !== undefined && UUID.test(value)))];

  async function compare(trigger: string): Promise<ReconciliationReport> {
    const startedAt = new Date();
    const since = new Date(startedAt.getTime() - options.windowMs);
    const sinceSeconds = Math.floor(since.getTime() / 1000);
    const intents: PspPaymentIntent[] = await collect(options.psp.listPaymentIntents(sinceSeconds));
    const pspRefunds: PspRefund[] = await collect(options.psp.listRefunds(sinceSeconds));
    // Our side is read after the PSP's: anything the PSP shows may be recorded here by now.
    const [ours, ourRefundRows, ledger] = await Promise.all([
      ourPurchases(since, ids(intents.map((intent) => intent.purchaseId))),
      ourRefunds(since, ids(pspRefunds.map((refund) => refund.refundId))),
      journalTotals(db),
    ]);
    const result = matchRecords({ purchases: ours, intents, refunds: ourRefundRows, pspRefunds });
    const finishedAt = new Date();
    const report: ReconciliationReport = {
      runId: uuidv7(),
      trigger,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      windowStart: since.toISOString(),
      counts: result.counts,
      matchRatio: result.matchRatio,
      duplicates: result.counts.duplicates,
      ledgerBalanced: ledger.every((total) => total.debitsMinor === total.creditsMinor),
      ledger,
      pspObjects: { paymentIntents: intents.length, refunds: pspRefunds.length },
      issues: result.issues.slice(0, MAX_REPORTED_ISSUES),
    };
    await db.insert(reconciliationRuns).values({
      id: report.runId,
      trigger,
      startedAt,
      finishedAt,
      matched: result.counts.matched,
      missingHere: result.counts.missingHere,
      missingAtPsp: result.counts.missingAtPsp,
      amountMismatch: result.counts.amountMismatch,
      duplicates: result.counts.duplicates,
      matchRatio: result.matchRatio,
      report,
    });
    options.metrics.record(report);
    return report;
  }

  return {
    async run(trigger: string): Promise<ReconciliationOutcome> {
      const connection = await options.sql.reserve();
      try {
        const [lock] = await connection`select pg_try_advisory_lock(hashtext(${RECONCILIATION_LOCK})) as locked`;
        if (!lock?.['locked']) return { ran: false, reason: 'already_running' };
        try {
          return { ran: true, report: await compare(trigger) };
        } finally {
          await connection`select pg_advisory_unlock(hashtext(${RECONCILIATION_LOCK}))`;
        }
      } finally {
        connection.release();
      }
    },
  };
}

