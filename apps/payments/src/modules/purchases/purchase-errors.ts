import { defineErrors } from '@bursary/errors';

export const PurchaseErrors = defineErrors('purchases', {
  PURCHASES_DISABLED: {
    status: 503,
    title: 'Purchases disabled',
    description: 'Credit purchases are switched off (runtime setting `purchases.enabled`); nothing was charged. Retry later.',
  },
  CREDIT_PACKAGE_NOT_FOUND: { status: 404, title: 'Credit package not found', description: 'No active credit package has this id.' },
  PURCHASE_NOT_FOUND: { status: 404, title: 'Purchase not found', description: 'No purchase of yours has this id.' },
  PAYMENT_DECLINED: { status: 402, title: 'Payment declined', description: 'The payment service provider declined the payment; `declineCode` says why. Nothing was charged.' },
  PAYMENT_CANCELED: { status: 409, title: 'Payment canceled', description: 'The payment could not be completed and was voided; nothing was charged.' },
  PSP_UNAVAILABLE: {
    status: 503,
    title: 'Payment provider unavailable',
    description: 'The payment service provider did not answer in time. Retry with the same Idempotency-Key: the payment is resumed, never duplicated.',
  },
});
