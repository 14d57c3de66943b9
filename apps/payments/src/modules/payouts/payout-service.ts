import { createEvent, enqueue, PayoutRecorded } from '@bursary/events';
import { desc, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import type { PaymentsDb } from '../../db/database.js';
import { outbox, payouts } from '../../db/schema.js';
import type { Outcome } from '../idempotency/idempotent-request.js';
import { RECOVERY_STARTED, type ClaimedKey, type IdempotencyStore } from '../idempotency/idempotency-store.js';
import { credit, debit, postJournal } from '../ledger/journal.js';
import { LedgerAccount } from '../ledger/ledger-accounts.js';
import { creditSideBalance } from '../ledger/ledger-queries.js';
import { PayoutErrors } from './payout-errors.js';

export const PAYOUT_OPERATION = 'payout.create';
const PAYOUT_CREATED = 'payout_created';

export type PayoutRow = typeof payouts.$inferSelect;

export interface PayoutRequest {
  providerOrg: string;
  amountMinor: number;
  currency: string;
  reference?: string | undefined;
}

export function payoutView(row: PayoutRow) {
  return {
    id: row.id,
    providerOrg: row.providerOrg,
    amountMinor: row.amountMinor,
    currency: row.currency,
    reference: row.reference,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A leg that would take a balance below zero fails its transaction on this CHECK (migration 0003). */
function isNegativeBalance(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { constraint_name?: string }).constraint_name === 'ledger_balances_never_negative') return true;
  }
  return false;
}

/**
 * Payouts (R-PAY-5): money owed to a provider leaves the platform (a bank
 * transfer made outside the PSP API), posted as one journal transaction
 * against the provider's payable, which can never go negative.
 */
export function createPayoutService(options: { db: PaymentsDb; store: IdempotencyStore }) {
  const { db } = options;
  return {
    async payout(claimed: ClaimedKey, requestedBy: string, request: PayoutRequest): Promise<Outcome> {
      let payoutId = claimed.resourceId;
      if (claimed.recoveryPoint === RECOVERY_STARTED || payoutId === null) {
        const id = uuidv7();
        const account = LedgerAccount.providerPayable(request.providerOrg);
        const exceeds = (payableMinor: number) =>
          PayoutErrors.PAYOUT_EXCEEDS_PAYABLE({ detail: `The provider is owed ${payableMinor} ${request.currency}.`, extensions: { payableMinor } });
        try {
          payoutId = await db.transaction(async (tx) => {
            const payable = await creditSideBalance(tx, account, request.currency);
            if (payable < request.amountMinor) throw exceeds(payable);
            if (!(await options.store.advance(tx, claimed.scope, RECOVERY_STARTED, PAYOUT_CREATED, id))) return null;
            await tx.insert(payouts).values({ id, providerOrg: request.providerOrg, amountMinor: request.amountMinor, currency: request.currency, requestedBy, reference: request.reference ?? null });
            await postJournal(tx, {
              sourceKey: `payout:${id}`,
              kind: 'payout',
              description: `payout to ${request.providerOrg}`,
              legs: [debit(account, request.currency, request.amountMinor), credit(LedgerAccount.pspClearing, request.currency, request.amountMinor)],
            });
            await enqueue(tx, outbox, createEvent(PayoutRecorded, { subject: id, data: { payoutId: id, providerOrgId: request.providerOrg, amountMinor: request.amountMinor, currency: request.currency } }));
            return id;
          });
        } catch (error) {
          // A concurrent payout took the payable first: the database refused the negative balance.
          if (isNegativeBalance(error)) throw exceeds(await creditSideBalance(db, account, request.currency));
          throw error;
        }
        payoutId ??= await options.store.resourceOf(claimed.scope);
      }
      const [row] = await db.select().from(payouts).where(eq(payouts.id, payoutId!));
      return { status: 201, body: payoutView(row!), headers: { location: `/v1/payouts/${row!.id}` } };
    },

    async list(providerOrg: string, limit: number) {
      const rows = await db.select().from(payouts).where(eq(payouts.providerOrg, providerOrg)).orderBy(desc(payouts.id)).limit(limit);
      return rows.map(payoutView);
    },
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
