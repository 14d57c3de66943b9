import type { PspPaymentIntent, PspRefund } from '../psp/payment-provider.js';

/**
 * How one of our records compares with the PSP's (R-PAY-6, R-PAY-7):
 *   matched         both sides agree (money moved on both, or on neither)
 *   missing_here    the PSP moved money we have not recorded
 *   missing_at_psp  we recorded money the PSP never moved
 *   amount_mismatch both sides have it, with different amounts or currencies
 *   duplicate       the PSP moved money twice for one of our records
 *   in_flight       not decided yet on our side (recovery will finish it); not counted
 */
export const MatchKind = {
  matched: 'matched',
  missingHere: 'missing_here',
  missingAtPsp: 'missing_at_psp',
  amountMismatch: 'amount_mismatch',
  duplicate: 'duplicate',
  inFlight: 'in_flight',
} as const;
export type MatchKind = (typeof MatchKind)[keyof typeof MatchKind];

export interface OurPurchase {
  id: string;
  status: string;
  amountMinor: number;
  currency: string;
  pspPaymentIntentId: string | null;
  /** The ledger's capture transaction exists (it must exactly when status is succeeded). */
  posted: boolean;
}

export interface OurRefund {
  id: string;
  status: string;
  amountMinor: number;
  currency: string;
  pspRefundId: string | null;
  posted: boolean;
}

export interface MatchIssue {
  kind: Exclude<MatchKind, 'matched' | 'in_flight'>;
  object: 'purchase' | 'refund';
  id: string | null;
  pspIds: string[];
  detail: string;
}

export interface MatchCounts {
  matched: number;
  missingHere: number;
  missingAtPsp: number;
  amountMismatch: number;
  duplicates: number;
  inFlight: number;
}

export interface MatchResult {
  counts: MatchCounts;
  /** matched / everything decided (1 when there is nothing to compare). */
  matchRatio: number;
  issues: MatchIssue[];
}

function emptyCounts(): MatchCounts {
  return { matched: 0, missingHere: 0, missingAtPsp: 0, amountMismatch: 0, duplicates: 0, inFlight: 0 };
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    if (name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

/**
 * Compares our purchases and refunds with the PSP's PaymentIntents and
 * refunds of the same period. Pure: the reconciler fetches both sides and
 * stores the result. PSP objects are matched to ours by the id we put in their
 * metadata (our id is also their Idempotency-Key), never by amount or time.
 */
export function matchRecords(input: { purchases: OurPurchase[]; intents: PspPaymentIntent[]; refunds: OurRefund[]; pspRefunds: PspRefund[] }): MatchResult {
  const counts = emptyCounts();
  const issues: MatchIssue[] = [];
  const issue = (entry: MatchIssue) => {
    issues.push(entry);
    if (entry.kind === 'missing_here') counts.missingHere++;
    else if (entry.kind === 'missing_at_psp') counts.missingAtPsp++;
    else if (entry.kind === 'amount_mismatch') counts.amountMismatch++;
    else counts.duplicates++;
  };

  const succeededIntents = groupBy(
    input.intents.filter((intent) => intent.status === 'succeeded'),
    (intent) => intent.purchaseId,
  );
  const ourPurchaseIds = new Set(input.purchases.map((purchase) => purchase.id));
  for (const purchase of input.purchases) {
    const paid = succeededIntents.get(purchase.id) ?? [];
    const pspIds = paid.map((intent) => intent.id);
    if (paid.length > 1) issue({ kind: 'duplicate', object: 'purchase', id: purchase.id, pspIds, detail: `${paid.length} PaymentIntents succeeded for one purchase` });
    const charged = paid.find((intent) => intent.id === purchase.pspPaymentIntentId) ?? paid[0];
    if (purchase.status === 'created') {
      if (charged) issue({ kind: 'missing_here', object: 'purchase', id: purchase.id, pspIds, detail: 'charged at the PSP, still in flight here' });
      else counts.inFlight++;
    } else if (purchase.status === 'succeeded') {
      if (!charged) issue({ kind: 'missing_at_psp', object: 'purchase', id: purchase.id, pspIds, detail: 'succeeded here, no successful payment at the PSP' });
      else if (charged.amountMinor !== purchase.amountMinor || charged.currency !== purchase.currency) {
        issue({ kind: 'amount_mismatch', object: 'purchase', id: purchase.id, pspIds, detail: `${purchase.amountMinor} ${purchase.currency} here, ${charged.amountMinor} ${charged.currency} at the PSP` });
      } else if (!purchase.posted) issue({ kind: 'missing_here', object: 'purchase', id: purchase.id, pspIds, detail: 'succeeded, but no capture in the ledger' });
      else counts.matched++;
    } else if (charged) {
      issue({ kind: 'missing_here', object: 'purchase', id: purchase.id, pspIds, detail: `${purchase.status} here, but charged at the PSP` });
    } else counts.matched++;
  }
  for (const [purchaseId, paid] of succeededIntents) {
    if (!ourPurchaseIds.has(purchaseId)) issue({ kind: 'missing_here', object: 'purchase', id: purchaseId, pspIds: paid.map((intent) => intent.id), detail: 'a PSP payment for no purchase of ours' });
  }
  for (const intent of input.intents) {
    if (intent.status === 'succeeded' && intent.purchaseId === undefined) issue({ kind: 'missing_here', object: 'purchase', id: null, pspIds: [intent.id], detail: 'a PSP payment without our purchase id' });
  }

  const succeededRefunds = groupBy(
    input.pspRefunds.filter((refund) => refund.status === 'succeeded'),
    (refund) => refund.refundId,
  );
  const ourRefundIds = new Set(input.refunds.map((refund) => refund.id));
  for (const refund of input.refunds) {
    const paid = succeededRefunds.get(refund.id) ?? [];
    const pspIds = paid.map((pspRefund) => pspRefund.id);
    if (paid.length > 1) issue({ kind: 'duplicate', object: 'refund', id: refund.id, pspIds, detail: `${paid.length} PSP refunds for one refund` });
    const done = paid[0];
    if (refund.status === 'pending') {
      if (done) issue({ kind: 'missing_here', object: 'refund', id: refund.id, pspIds, detail: 'refunded at the PSP, still pending here' });
      else counts.inFlight++;
    } else if (refund.status === 'succeeded') {
      if (!done) issue({ kind: 'missing_at_psp', object: 'refund', id: refund.id, pspIds, detail: 'succeeded here, not refunded at the PSP' });
      else if (done.amountMinor !== refund.amountMinor || done.currency !== refund.currency) {
        issue({ kind: 'amount_mismatch', object: 'refund', id: refund.id, pspIds, detail: `${refund.amountMinor} here, ${done.amountMinor} at the PSP` });
      } else if (!refund.posted) issue({ kind: 'missing_here', object: 'refund', id: refund.id, pspIds, detail: 'succeeded, but no reversal in the ledger' });
      else counts.matched++;
    } else if (done) issue({ kind: 'missing_here', object: 'refund', id: refund.id, pspIds, detail: 'failed here, but refunded at the PSP' });
    else counts.matched++;
  }
  for (const [refundId, paid] of succeededRefunds) {
    if (!ourRefundIds.has(refundId)) issue({ kind: 'missing_here', object: 'refund', id: refundId, pspIds: paid.map((refund) => refund.id), detail: 'a PSP refund for no refund of ours' });
  }

  const decided = counts.matched + counts.missingHere + counts.missingAtPsp + counts.amountMismatch + counts.duplicates;
  return { counts, matchRatio: decided === 0 ? 1 : counts.matched / decided, issues };
}
