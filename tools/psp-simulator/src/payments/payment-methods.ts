import { noSuchObject } from '../api/stripe-error.js';
import type { Account } from '../state/account.js';
import { newId, unixNow } from '../state/ids.js';
import type { PaymentMethod } from '../state/objects.js';
import { testCard, type CardOutcome } from './test-payment-methods.js';

/**
 * A `payment_method` parameter: a test token such as pm_card_visa makes a
 * new PaymentMethod each time (as in Stripe, where the PaymentIntent then
 * holds a pm_… id), an existing pm_… id is reused.
 */
export function resolvePaymentMethod(account: Account, value: string, param = 'payment_method'): PaymentMethod {
  const existing = account.paymentMethods.get(value);
  if (existing) return existing;
  const card = testCard(value);
  if (!card) throw noSuchObject('PaymentMethod', value, param, 400);
  const method: PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    card: { ...card.card },
    created: unixNow(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  account.paymentMethods.put(method);
  account.paymentMethodTokens.set(method.id, value);
  return method;
}

export function cardOutcome(account: Account, method: PaymentMethod): CardOutcome {
  const token = account.paymentMethodTokens.get(method.id);
  return (token ? testCard(token)?.outcome : undefined) ?? { kind: 'success' };
}
