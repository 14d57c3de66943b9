import { describe, expect, it } from 'vitest';
import { matchRecords, type OurPurchase } from '../src/modules/reconciliation/reconciliation-match.js';
import type { PspPaymentIntent } from '../src/modules/psp/payment-provider.js';

const purchase = (id: string, status: string, amountMinor = 999, posted = status === 'succeeded'): OurPurchase => ({ id, status, amountMinor, currency: 'EUR', pspPaymentIntentId: `pi_${id}`, posted });
const intent = (purchaseId: string | undefined, status: PspPaymentIntent['status'] = 'succeeded', amountMinor = 999, id = `pi_${purchaseId}`): PspPaymentIntent => ({
  id,
  status,
  amountMinor,
  currency: 'EUR',
  purchaseId,
  failureCode: undefined,
  created: 0,
});

describe('reconciliation matching', () => {
  it('R-PAY-7: every kind of disagreement is counted, and only agreement counts as matched', () => {
    const result = matchRecords({
      purchases: [
        purchase('a', 'succeeded'), // matched
        purchase('b', 'succeeded'), // missing at the PSP
        purchase('c', 'succeeded', 999), // amount mismatch (PSP charged 1000)
        purchase('d', 'failed'), // matched: no money on either side
        purchase('e', 'canceled'), // missing here: the PSP charged a canceled purchase
        purchase('f', 'created'), // in flight, not counted
        purchase('g', 'succeeded'), // duplicate: charged twice
        purchase('h', 'succeeded', 999, false), // missing here: no capture in the ledger
      ],
      intents: [intent('a'), intent('c', 'succeeded', 1000), intent('d', 'requires_payment_method'), intent('e'), intent('g'), intent('g', 'succeeded', 999, 'pi_g2'), intent('h'), intent('zzz'), intent(undefined, 'succeeded', 5, 'pi_anon')],
      refunds: [],
      pspRefunds: [],
    });
    expect(result.counts).toEqual({ matched: 3, missingHere: 4, missingAtPsp: 1, amountMismatch: 1, duplicates: 1, inFlight: 1 });
    expect(result.matchRatio).toBeCloseTo(3 / 10);
  });

  it('R-PAY-7: nothing to compare is a ratio of 1', () => {
    expect(matchRecords({ purchases: [], intents: [], refunds: [], pspRefunds: [] })).toMatchObject({ matchRatio: 1, issues: [] });
  });
});
