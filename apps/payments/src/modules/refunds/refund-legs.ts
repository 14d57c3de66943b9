import { credit, debit, type JournalLeg } from '../ledger/journal.js';
import { CREDIT_UNIT, LedgerAccount } from '../ledger/ledger-accounts.js';
import { reversalShare } from '../ledger/money-split.js';
import type { PurchaseRow } from '../purchases/purchase-repository.js';

export interface RefundReversal {
  creditsReversed: number;
  feeReversedMinor: number;
  payableReversedMinor: number;
  legs: JournalLeg[];
}

/**
 * The reversing legs of a refund of `amountMinor` after `settledBeforeMinor`
 * was already refunded (docs/adr/0004): every leg of the purchase is taken
 * back in proportion, by the cumulative rule, so that the refunds of a
 * purchase, however split, reverse its legs exactly once it is fully refunded.
 */
export function refundReversal(purchase: PurchaseRow, settledBeforeMinor: number, amountMinor: number): RefundReversal {
  const share = (total: number) => reversalShare(total, settledBeforeMinor, amountMinor, purchase.amountMinor);
  const creditsReversed = share(purchase.credits);
  const feeReversedMinor = purchase.providerOrg ? share(purchase.platformFeeMinor) : 0;
  const payableReversedMinor = purchase.providerOrg ? amountMinor - feeReversedMinor : 0;
  const { currency } = purchase;
  const money = purchase.providerOrg
    ? [
        debit(LedgerAccount.platformFeeRevenue, currency, feeReversedMinor),
        debit(LedgerAccount.providerPayable(purchase.providerOrg), currency, payableReversedMinor),
        credit(LedgerAccount.pspClearing, currency, amountMinor),
      ]
    : [debit(LedgerAccount.platformRevenue, currency, amountMinor), credit(LedgerAccount.pspClearing, currency, amountMinor)];
  return {
    creditsReversed,
    feeReversedMinor,
    payableReversedMinor,
    legs: [...money, debit(LedgerAccount.studentCredits(purchase.userId), CREDIT_UNIT, creditsReversed), credit(LedgerAccount.creditsIssued, CREDIT_UNIT, creditsReversed)],
  };
}
