import { randomBytes } from 'node:crypto';
import {
  currencyDigits,
  metadataUpdate,
  optionalBoolean,
  optionalEnum,
  optionalHash,
  optionalInteger,
  optionalString,
  optionalStringList,
  requiredCurrency,
  requiredInteger,
  type Params,
} from '../api/params.js';
import { StripeError, invalidParam, noSuchObject, unexpectedState } from '../api/stripe-error.js';
import type { StripeRequest } from '../api/stripe-route.js';
import type { EventBus } from '../events/event-bus.js';
import { newId, unixNow } from '../state/ids.js';
import { PAYMENT_INTENT_NULLS, type PaymentIntent, type PaymentIntentStatus, type PaymentMethod } from '../state/objects.js';
import { createCharge } from './charges.js';
import { cardOutcome, resolvePaymentMethod } from './payment-methods.js';

const MAX_AMOUNT = 99_999_999;
/** Stripe's minimum charge is about 0.50 USD; the simulator uses 50 minor units (0.30 for GBP). */
const MIN_AMOUNT: Record<string, number> = { gbp: 30 };
const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

export const CONFIRM_PARAMS = [
  'payment_method',
  'allowed_payment_method_types',
  'excluded_payment_method_types',
  'return_url',
  'off_session',
  'error_on_requires_action',
  'expand',
  'mandate_data',
  'payment_method_options',
  'payment_method_types',
  'receipt_email',
  'setup_future_usage',
  'use_stripe_sdk',
  'capture_method',
] as const;

export const CREATE_PARAMS = [
  ...CONFIRM_PARAMS,
  'amount',
  'currency',
  'automatic_payment_methods',
  'confirm',
  'confirmation_method',
  'customer',
  'description',
  'metadata',
  'statement_descriptor',
  'statement_descriptor_suffix',
] as const;

export const UPDATE_PARAMS = ['allowed_payment_method_types', 'excluded_payment_method_types', 'amount', 'currency', 'description', 'metadata', 'payment_method', 'receipt_email', 'expand', 'capture_method'] as const;

function amountParam(params: Params, currency: string, required: true): number;
function amountParam(params: Params, currency: string, required: false): number | undefined;
function amountParam(params: Params, currency: string, required: boolean): number | undefined {
  const amount = required ? requiredInteger(params, 'amount', { min: 1 }) : optionalInteger(params, 'amount', { min: 1 });
  if (amount === undefined) return undefined;
  const minimum = MIN_AMOUNT[currency] ?? 50;
  const digits = currencyDigits(currency);
  const format = (value: number) => `${(value / 10 ** digits).toFixed(digits)} ${currency}`;
  if (amount < minimum) throw invalidParam('amount', `Amount must be at least ${format(minimum)}`, 'amount_too_small');
  if (amount > MAX_AMOUNT) throw invalidParam('amount', `Amount must be no more than ${format(MAX_AMOUNT)}`, 'amount_too_large');
  return amount;
}

/**
 * Since API version 2023-08-16 a PaymentIntent without payment_method_types
 * has automatic payment methods on, and confirming one that may redirect
 * needs a return_url: integrations that forget it fail against Stripe, so
 * they fail here too.
 */
function paymentMethodSettings(params: Params): Pick<PaymentIntent, 'allowed_payment_method_types' | 'automatic_payment_methods' | 'payment_method_types'> {
  const types = explicitTypes(params);
  const automatic = optionalHash(params, 'automatic_payment_methods');
  const enabled = automatic ? optionalBoolean(automatic, 'enabled') : undefined;
  if (types && enabled) throw invalidParam('automatic_payment_methods', 'You may only specify one of these parameters: automatic_payment_methods, payment_method_types.');
  if (types) return { allowed_payment_method_types: types, automatic_payment_methods: null, payment_method_types: types };
  if (enabled === false) return { allowed_payment_method_types: null, automatic_payment_methods: { enabled: false }, payment_method_types: ['card'] };
  const allowRedirects = automatic ? optionalEnum(automatic, 'allow_redirects', ['always', 'never'] as const) : undefined;
  return { allowed_payment_method_types: null, automatic_payment_methods: { enabled: true, allow_redirects: allowRedirects ?? 'always' }, payment_method_types: ['card'] };
}

/** `allowed_payment_method_types` (API 2026+) or its older name `payment_method_types`. */
function explicitTypes(params: Params): string[] | undefined {
  return optionalStringList(params, 'allowed_payment_method_types') ?? optionalStringList(params, 'payment_method_types');
}

function checkConfirmable(intent: PaymentIntent, params: Params, method: string | null): void {
  if (!method) {
    throw unexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, provide a payment_method.",
      { param: 'payment_method', payment_intent: structuredClone(intent) },
    );
  }
  const redirects = intent.automatic_payment_methods?.enabled === true && intent.automatic_payment_methods.allow_redirects !== 'never';
  if (redirects && !optionalString(params, 'return_url')) {
    throw invalidParam(
      'return_url',
      "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      'parameter_missing',
    );
  }
}

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
    if (confirm && method) this.attempt(request, intent, method);
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
    this.attempt(request, intent, method);
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

  /** One confirmation attempt with the card's test outcome; a decline throws Stripe's 402 after recording it. */
  private attempt(request: StripeRequest, intent: PaymentIntent, method: PaymentMethod): void {
    const { account, cause, params } = request;
    let outcome = cardOutcome(account, method);
    const offSession = optionalBoolean(params, 'off_session') ?? false;
    if (outcome.kind === 'requires_action' && (offSession || optionalBoolean(params, 'error_on_requires_action'))) {
      outcome = { kind: 'decline', code: 'authentication_required', declineCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' };
    }
    intent.last_payment_error = null;
    if (outcome.kind === 'requires_action') {
      intent.status = 'requires_action';
      intent.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', source: method.id } };
      this.bus.emit(account, 'payment_intent.requires_action', intent, cause);
      return;
    }
    const charge = createCharge(request, intent, method, outcome);
    intent.latest_charge = charge.id;
    if (outcome.kind === 'success') {
      if (intent.capture_method === 'manual') {
        intent.status = 'requires_capture';
        intent.amount_capturable = intent.amount;
        this.bus.emit(account, 'charge.succeeded', charge, cause);
        this.bus.emit(account, 'payment_intent.amount_capturable_updated', intent, cause);
      } else {
        intent.status = 'succeeded';
        intent.amount_received = intent.amount;
        this.bus.emit(account, 'charge.succeeded', charge, cause);
        this.bus.emit(account, 'payment_intent.succeeded', intent, cause);
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
    this.bus.emit(account, 'charge.failed', charge, cause);
    this.bus.emit(account, 'payment_intent.payment_failed', intent, cause);
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
}
