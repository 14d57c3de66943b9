import { and, eq, sql } from 'drizzle-orm';
import type { PaymentsDb, PaymentsTx } from '../../db/database.js';
import { journalEntries, ledgerBalances } from '../../db/schema.js';

/**
 * The balance of an account on its normal side (credits − debits for a
 * liability or income account): what a student holds, what a provider is owed.
 */
export async function creditSideBalance(db: PaymentsDb | PaymentsTx, account: string, currency: string): Promise<number> {
  const [row] = await db
    .select({ debits: ledgerBalances.debitsMinor, credits: ledgerBalances.creditsMinor })
    .from(ledgerBalances)
    .where(and(eq(ledgerBalances.account, account), eq(ledgerBalances.currency, currency)));
  return row ? row.credits - row.debits : 0;
}

/** Balances of every account below a prefix (e.g. one provider's payables in each currency). */
export async function creditSideBalances(db: PaymentsDb, account: string): Promise<Array<{ currency: string; balanceMinor: number }>> {
  const rows = await db
    .select({ currency: ledgerBalances.currency, debits: ledgerBalances.debitsMinor, credits: ledgerBalances.creditsMinor })
    .from(ledgerBalances)
    .where(eq(ledgerBalances.account, account))
    .orderBy(ledgerBalances.currency);
  return rows.map((row) => ({ currency: row.currency, balanceMinor: row.credits - row.debits }));
}

/** Σ debits and Σ credits of the whole journal per currency: equal in a sound ledger (R-PAY-7). */
export async function journalTotals(db: PaymentsDb): Promise<Array<{ currency: string; debitsMinor: number; creditsMinor: number }>> {
  return db
    .select({
      currency: journalEntries.currency,
      debitsMinor: sql<number>`coalesce(sum(${journalEntries.amountMinor}) filter (where ${journalEntries.direction} = 'debit'), 0)::float8`,
      creditsMinor: sql<number>`coalesce(sum(${journalEntries.amountMinor}) filter (where ${journalEntries.direction} = 'credit'), 0)::float8`,
    })
    .from(journalEntries)
    .groupBy(journalEntries.currency)
    .orderBy(journalEntries.currency);
}
