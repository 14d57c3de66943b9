import { defineErrors } from '@bursary/errors';

export const PayoutErrors = defineErrors('payouts', {
  PAYOUT_EXCEEDS_PAYABLE: {
    status: 409,
    title: 'Payout exceeds payable',
    description: 'The provider is owed less than this amount in this currency (`payableMinor`); a payable never goes negative.',
  },
});
