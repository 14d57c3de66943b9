import { optionalBoolean } from '../api/params.js';
import { StripeError } from '../api/stripe-error.js';
import type { StripeRequest } from '../api/stripe-route.js';
import type { EventBus } from '../events/event-bus.js';
import type { PaymentIntent, PaymentMethod } from '../state/objects.js';
import { createCharge } from './charges.js';
import { cardOutcome } from './payment-methods.js';

/** One confirmation attempt with the card's test outcome; a decline throws Stripe's 402 after recording it. */
export function attemptPayment(bus: EventBus, request: StripeRequest, intent: PaymentIntent, method: PaymentMethod): void {
  const { account, cause, params } = request;
  let outcome = cardOutcome(account, method);
  // Newer API versions also take off_session=one_off|recurring.
  const offSession = params['off_session'] === 'one_off' || params['off_session'] === 'recurring' || (optionalBoolean(params, 'off_session') ?? false);
  if (outcome.kind === 'requires_action' && (offSession || optionalBoolean(params, 'error_on_requires_action'))) {
    outcome = { kind: 'decline', code: 'authentication_required', declineCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' };
  }
  intent.last_payment_error = null;
  if (outcome.kind === 'requires_action') {
    intent.status = 'requires_action';
    intent.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', source: method.id } };
    bus.emit(account, 'payment_intent.requires_action', intent, cause);
    return;
  }
  const charge = createCharge(request, intent, method, outcome);
  intent.latest_charge = charge.id;
  if (outcome.kind === 'success') {
    if (intent.capture_method === 'manual') {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
      bus.emit(account, 'charge.succeeded', charge, cause);
      bus.emit(account, 'payment_intent.amount_capturable_updated', intent, cause);
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      bus.emit(account, 'charge.succeeded', charge, cause);
      bus.emit(account, 'payment_intent.succeeded', intent, cause);
    }
    return;
  }
  const docUrl = `https://stripe.com/docs/error-codes/${outcome.code.replace(/_/g, '-')}`;
  intent.status = 'requires_payment_method';
  intent.payment_method = null;
  intent.last_payment_error = {
    type: 'card_error',
    code: outcome.code,
    ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}),
    message: outcome.message,
    charge: charge.id,
    doc_url: docUrl,
    payment_method: structuredClone(method),
  };
  bus.emit(account, 'charge.failed', charge, cause);
  bus.emit(account, 'payment_intent.payment_failed', intent, cause);
  throw new StripeError(402, 'card_error', outcome.message, {
    code: outcome.code,
    ...(outcome.declineCode ? { decline_code: outcome.declineCode } : {}),
    doc_url: docUrl,
    charge: charge.id,
    payment_intent: structuredClone(intent),
    payment_method: structuredClone(method),
    request_log_url: `https://dashboard.stripe.com/test/logs/${cause.requestId ?? ''}`,
  });
}
