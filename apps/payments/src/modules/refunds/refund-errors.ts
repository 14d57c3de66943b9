import { defineErrors } from '@bursary/errors';

export const RefundErrors = defineErrors('refunds', {
  REFUND_NOT_FOUND: { status: 404, title: 'Refund not found', description: 'No refund you may see has this id.' },
  REFUND_NOT_REFUNDABLE: { status: 409, title: 'Purchase not refundable', description: 'Only a succeeded purchase can be refunded.' },
  REFUND_AMOUNT_TOO_LARGE: { status: 422, title: 'Refund amount too large', description: 'The amount exceeds what is left to refund on this purchase (`refundableMinor`).' },
  REFUND_CREDITS_SPENT: {
    status: 409,
    title: 'Credits already spent',
    description: 'The credits this refund would take back are no longer in the balance; balances never go negative.',
  },
  REFUND_PAYABLE_PAID_OUT: {
    status: 409,
    title: 'Provider share already paid out',
    description: "The provider's share of this payment was already paid out; refund it after a correction.",
  },
  REFUND_DECLINED: { status: 409, title: 'Refund declined', description: 'The payment service provider refused the refund.' },
});
