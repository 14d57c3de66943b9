import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsTx } from '../../db/database.js';
import { journalEntries, journalTransactions } from '../../db/schema.js';

export type JournalKind = 'purchase' | 'refund' | 'payout' | 'correction';

export interface JournalLeg {
  account: string;
  currency: string;
  direction: 'debit' | 'credit';
  amountMinor: number;
}

export interface JournalPosting {
  /** The business fact this posts, e.g. `purchase:<id>`: unique, so a fact posts at most once. */
  sourceKey: string;
  kind: JournalKind;
  /** The transaction this one (partly) reverses. */
  reversesId?: string;
  description: string;
  legs: JournalLeg[];
}

export function debit(account: string, currency: string, amountMinor: number): JournalLeg {
  return { account, currency, direction: 'debit', amountMinor };
}

export function credit(account: string, currency: string, amountMinor: number): JournalLeg {
  return { account, currency, direction: 'credit', amountMinor };
}

/** Legs in one global order, so that concurrent postings lock balance rows in the same order (no deadlock). */
function byAccount(a: JournalLeg, b: JournalLeg): number {
  return a.account < b.account ? -1 : a.account > b.account ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
}

/**
 * Appends one journal transaction with its legs, in the caller's database
 * transaction (R-PAY-3). Zero legs are dropped (a 0-cent fee posts nothing).
 * The database checks the rest at commit: legs balance per currency, no
 * balance goes negative, nothing is ever edited. A source key that was
 * already posted posts nothing and returns the existing transaction.
 */
export async function postJournal(tx: PaymentsTx, posting: JournalPosting): Promise<{ id: string; posted: boolean }> {
  const legs = posting.legs.filter((leg) => leg.amountMinor !== 0).sort(byAccount);
  const id = uuidv7();
  const inserted = await tx
    .insert(journalTransactions)
    .values({ id, sourceKey: posting.sourceKey, kind: posting.kind, reversesId: posting.reversesId ?? null, description: posting.description })
    .onConflictDoNothing({ target: journalTransactions.sourceKey })
    .returning({ id: journalTransactions.id });
  if (inserted.length === 0) {
    const [existing] = await tx.select({ id: journalTransactions.id }).from(journalTransactions).where(eq(journalTransactions.sourceKey, posting.sourceKey));
    return { id: existing!.id, posted: false };
  }
  await tx.insert(journalEntries).values(legs.map((leg) => ({ transactionId: id, ...leg })));
  return { id, posted: true };
}
