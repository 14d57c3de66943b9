import type { StripeRequest } from '../api/stripe-route.js';
import { newId, unixNow } from '../state/ids.js';
import type { Charge, PaymentIntent, PaymentMethod } from '../state/objects.js';
import type { CardOutcome } from './test-payment-methods.js';

/** The Charge a confirmation makes: succeeded (captured or not) or failed with the card's decline. */
export function createCharge(request: StripeRequest, intent: PaymentIntent, method: PaymentMethod, outcome: CardOutcome): Charge {
  const succeeded = outcome.kind === 'success';
  const captured = succeeded && intent.capture_method !== 'manual';
  const decline = outcome.kind === 'decline' ? outcome : undefined;
  const charge: Charge = {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    balance_transaction: captured ? newId('txn') : null,
    captured,
    created: unixNow(),
    currency: intent.currency,
    description: intent.description,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    livemode: false,
    metadata: { ...intent.metadata },
    outcome: succeeded
      ? { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' }
      : { network_status: 'declined_by_network', reason: decline?.declineCode ?? null, risk_level: 'normal', seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: method.id,
    payment_method_details: { type: 'card', card: { ...method.card } },
    refunded: false,
    status: succeeded ? 'succeeded' : 'failed',
  };
  request.account.charges.put(charge);
  request.account.chargeOrigins.set(charge.id, { idempotencyKey: request.cause.idempotencyKey, requestId: request.cause.requestId ?? '' });
  if (succeeded) request.effects.charged = true;
  return charge;
}
