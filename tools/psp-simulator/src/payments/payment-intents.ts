import { randomBytes } from 'node:crypto';
import { metadataUpdate, optionalBoolean, optionalEnum, optionalInteger, optionalString, requiredCurrency } from '../api/params.js';
import { invalidParam, noSuchObject, unexpectedState } from '../api/stripe-error.js';
import type { StripeRequest } from '../api/stripe-route.js';
import type { EventBus } from '../events/event-bus.js';
import { newId, unixNow } from '../state/ids.js';
import { PAYMENT_INTENT_NULLS, type PaymentIntent } from '../state/objects.js';
import { attemptPayment } from './payment-attempt.js';
import { CANCELABLE, CONFIRMABLE, amountParam, checkConfirmable, explicitTypes, paymentMethodSettings } from './payment-intent-params.js';
import { resolvePaymentMethod } from './payment-methods.js';

/** The PaymentIntent state machine: create (and confirm), confirm, cancel, capture, update. */
export class PaymentIntents {
  constructor(private readonly bus: EventBus) {}

  find(request: StripeRequest, id: string, param = 'intent', status: 404 | 400 = 404): PaymentIntent {
    const intent = request.account.paymentIntents.get(id);
    if (!intent) throw noSuchObject('payment_intent', id, param, status);
    return intent;
  }

  create(request: StripeRequest): PaymentIntent {
    const { params } = request;
    const currency = requiredCurrency(params);
    const amount = amountParam(params, currency, true);
    const confirm = optionalBoolean(params, 'confirm') ?? false;
    const methods = paymentMethodSettings(params);
    const pmParam = optionalString(params, 'payment_method');
    const now = unixNow();
    const id = newId('pi');
    const intent: PaymentIntent = {
      ...PAYMENT_INTENT_NULLS,
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      ...methods,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: optionalEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async',
      client_secret: `${id}_secret_${randomBytes(12).toString('base64url')}`,
      confirmation_method: optionalEnum(params, 'confirmation_method', ['automatic', 'manual'] as const) ?? 'automatic',
      created: now,
      currency,
      customer: optionalString(params, 'customer') ?? null,
      description: optionalString(params, 'description') ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: metadataUpdate(params) ?? {},
      next_action: null,
      payment_method: null,
      receipt_email: optionalString(params, 'receipt_email') ?? null,
      status: 'requires_payment_method',
    };
    // Everything is validated before anything is created, as in Stripe.
    if (confirm) checkConfirmable(intent, params, pmParam ?? null);
    const method = pmParam ? resolvePaymentMethod(request.account, pmParam) : undefined;
    if (method) {
      intent.payment_method = method.id;
      intent.status = 'requires_confirmation';
    }
    request.account.paymentIntents.put(intent);
    this.bus.emit(request.account, 'payment_intent.created', intent, request.cause);
    if (confirm && method) attemptPayment(this.bus, request, intent, method);
    return intent;
  }

  confirm(request: StripeRequest, id: string): PaymentIntent {
    const intent = this.find(request, id);
    const { params } = request;
    const pmParam = optionalString(params, 'payment_method');
    if (!CONFIRMABLE.includes(intent.status)) {
      throw unexpectedState(
        intent.status === 'succeeded'
          ? 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.'
          : `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`,
        { payment_intent: structuredClone(intent) },
      );
    }
    checkConfirmable(intent, params, pmParam ?? intent.payment_method);
    const method = resolvePaymentMethod(request.account, pmParam ?? (intent.payment_method as string));
    const methods = explicitTypes(params);
    if (methods) {
      intent.allowed_payment_method_types = methods;
      intent.payment_method_types = methods;
      intent.automatic_payment_methods = null;
    }
    const capture = optionalEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
    if (capture) intent.capture_method = capture;
    intent.payment_method = method.id;
    attemptPayment(this.bus, request, intent, method);
    return intent;
  }

  cancel(request: StripeRequest, id: string): PaymentIntent {
    const intent = this.find(request, id);
    const reason = optionalEnum(request.params, 'cancellation_reason', ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] as const);
    if (!CANCELABLE.includes(intent.status)) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        { payment_intent: structuredClone(intent) },
      );
    }
    const charge = intent.latest_charge ? request.account.charges.get(intent.latest_charge) : undefined;
    if (intent.status === 'requires_capture' && charge) {
      // Canceling an authorisation releases the held amount.
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
      this.bus.emit(request.account, 'charge.refunded', charge, request.cause, { amount_refunded: 0, refunded: false });
    }
    intent.status = 'canceled';
    intent.canceled_at = unixNow();
    intent.cancellation_reason = reason ?? null;
    intent.amount_capturable = 0;
    intent.next_action = null;
    this.bus.emit(request.account, 'payment_intent.canceled', intent, request.cause);
    return intent;
  }

  capture(request: StripeRequest, id: string): PaymentIntent {
    const intent = this.find(request, id);
    if (intent.status !== 'requires_capture') {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        { payment_intent: structuredClone(intent) },
      );
    }
    const amount = optionalInteger(request.params, 'amount_to_capture', { min: 1 }) ?? intent.amount_capturable;
    if (amount > intent.amount_capturable) {
      throw invalidParam('amount_to_capture', `The amount_to_capture (${amount}) is greater than the amount_capturable (${intent.amount_capturable}).`, 'amount_too_large');
    }
    const charge = intent.latest_charge ? request.account.charges.get(intent.latest_charge) : undefined;
    if (charge) {
      charge.captured = true;
      charge.amount_captured = amount;
      charge.balance_transaction ??= newId('txn');
      this.bus.emit(request.account, 'charge.captured', charge, request.cause, { captured: false, amount_captured: 0 });
    }
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    intent.status = 'succeeded';
    request.effects.charged = true;
    this.bus.emit(request.account, 'payment_intent.succeeded', intent, request.cause);
    return intent;
  }

  update(request: StripeRequest, id: string): PaymentIntent {
    const intent = this.find(request, id);
    const { params } = request;
    const changesAmount = params['amount'] !== undefined || params['currency'] !== undefined;
    if (changesAmount && !CONFIRMABLE.includes(intent.status)) {
      throw unexpectedState(`You cannot update the amount of a PaymentIntent with status ${intent.status}.`, { payment_intent: structuredClone(intent) });
    }
    const currency = params['currency'] !== undefined ? requiredCurrency(params) : intent.currency;
    const amount = amountParam(params, currency, false);
    const metadata = metadataUpdate(params, intent.metadata);
    const pmParam = optionalString(params, 'payment_method');
    const capture = optionalEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const);
    if (amount !== undefined) intent.amount = amount;
    intent.currency = currency;
    if (metadata) intent.metadata = metadata;
    if (params['description'] !== undefined) intent.description = optionalString(params, 'description') ?? null;
    if (params['receipt_email'] !== undefined) intent.receipt_email = optionalString(params, 'receipt_email') ?? null;
    if (capture) intent.capture_method = capture;
    if (pmParam) {
      intent.payment_method = resolvePaymentMethod(request.account, pmParam).id;
      if (intent.status === 'requires_payment_method') intent.status = 'requires_confirmation';
    }
    return intent;
  }
}
