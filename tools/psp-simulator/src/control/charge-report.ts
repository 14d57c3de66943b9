import type { Account } from '../state/account.js';
import type { Metadata } from '../state/objects.js';

export interface ChargeFilter {
  idempotencyKey?: string;
  paymentIntent?: string;
  metadata?: Metadata;
}

export interface ChargeReportEntry {
  id: string;
  payment_intent: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  captured: boolean;
  idempotency_key: string | null;
  metadata: Metadata;
  created: number;
}

export interface ChargeReport {
  total: number;
  by_idempotency_key: Record<string, number>;
  by_payment_intent: Record<string, number>;
  data: ChargeReportEntry[];
}

/**
 * Successful charges (what a customer would see on a statement), with the
 * Idempotency-Key of the request that made each, so a chaos test can assert
 * "exactly one PSP charge per purchase" whatever retries happened.
 */
export function chargeReport(accounts: Account[], filter: ChargeFilter): ChargeReport {
  const data: ChargeReportEntry[] = [];
  for (const account of accounts) {
    for (const charge of account.charges.all()) {
      if (charge.status !== 'succeeded') continue;
      const key = account.chargeOrigins.get(charge.id)?.idempotencyKey ?? null;
      const metadata = { ...account.paymentIntents.get(charge.payment_intent)?.metadata, ...charge.metadata };
      if (filter.idempotencyKey !== undefined && key !== filter.idempotencyKey) continue;
      if (filter.paymentIntent !== undefined && charge.payment_intent !== filter.paymentIntent) continue;
      if (!Object.entries(filter.metadata ?? {}).every(([name, value]) => metadata[name] === value)) continue;
      data.push({
        id: charge.id,
        payment_intent: charge.payment_intent,
        amount: charge.amount,
        amount_refunded: charge.amount_refunded,
        currency: charge.currency,
        captured: charge.captured,
        idempotency_key: key,
        metadata,
        created: charge.created,
      });
    }
  }
  const count = (pick: (entry: ChargeReportEntry) => string | null) => {
    const counts: Record<string, number> = {};
    for (const entry of data) {
      const name = pick(entry);
      if (name !== null) counts[name] = (counts[name] ?? 0) + 1;
    }
    return counts;
  };
  return { total: data.length, by_idempotency_key: count((entry) => entry.idempotency_key), by_payment_intent: count((entry) => entry.payment_intent), data };
}
