import type { PaymentsDb } from '../../db/database.js';
import { PspUnavailableError } from '../psp/payment-provider.js';
import { claimAbandonedPurchases } from '../purchases/purchase-repository.js';
import type { PurchaseService } from '../purchases/purchase-service.js';
import type { SettlementLogger } from '../purchases/purchase-settlement.js';
import { claimAbandonedRefunds } from '../refunds/refund-repository.js';
import type { RefundService } from '../refunds/refund-service.js';

export interface RecoveryOptions {
  db: PaymentsDb;
  purchases: PurchaseService;
  refunds: RefundService;
  log: SettlementLogger;
  leaseMs: number;
  /** How many are recovered at once. */
  batchSize?: number;
  /** At most this many batches per run, so one job stays short. */
  maxBatches?: number;
}

export interface RecoveryResult {
  purchases: Record<string, number>;
  refunds: Record<string, number>;
}

function tally(counts: Record<string, number>, outcome: string): void {
  counts[outcome] = (counts[outcome] ?? 0) + 1;
}

/**
 * Recovery of in-flight work whose lease expired, e.g. after a crash
 * (R-PAY-6): each purchase or refund is taken with a fresh lease (never by
 * two workers), the PSP is asked by our key, and the converging operation
 * finishes or voids it exactly once. A PSP that does not answer leaves it for
 * a later run, with a longer lease each time.
 */
export function createRecovery(options: RecoveryOptions) {
  const batchSize = options.batchSize ?? 25;
  const maxBatches = options.maxBatches ?? 40;

  async function each<T extends { id: string }>(rows: T[], recover: (row: T) => Promise<{ status: string }>, counts: Record<string, number>, what: string) {
    await Promise.all(
      rows.map(async (row) => {
        try {
          tally(counts, (await recover(row)).status);
        } catch (error) {
          tally(counts, error instanceof PspUnavailableError ? 'psp_unavailable' : 'error');
          const log = error instanceof PspUnavailableError ? options.log.warn.bind(options.log) : options.log.error.bind(options.log);
          log({ [`${what}Id`]: row.id, err: error instanceof Error ? error.message : String(error) }, `${what} recovery deferred`);
        }
      }),
    );
  }

  return {
    async run(): Promise<RecoveryResult> {
      const result: RecoveryResult = { purchases: {}, refunds: {} };
      for (let batch = 0; batch < maxBatches; batch++) {
        const abandoned = await claimAbandonedPurchases(options.db, options.leaseMs, batchSize);
        if (abandoned.length === 0) break;
        await each(abandoned, (purchase) => options.purchases.recover(purchase), result.purchases, 'purchase');
      }
      for (let batch = 0; batch < maxBatches; batch++) {
        const abandoned = await claimAbandonedRefunds(options.db, options.leaseMs, batchSize);
        if (abandoned.length === 0) break;
        await each(abandoned, (refund) => options.refunds.recover(refund), result.refunds, 'refund');
      }
      return result;
    },
  };
}
