import {
  currencyDigits,
  optionalBoolean,
  optionalEnum,
  optionalHash,
  optionalInteger,
  optionalString,
  optionalStringList,
  requiredInteger,
  type Params,
} from '../api/params.js';
import { invalidParam, unexpectedState } from '../api/stripe-error.js';
import type { PaymentIntent, PaymentIntentStatus } from '../state/objects.js';

// What PaymentIntent endpoints accept, and the checks Stripe makes before it
// creates or confirms one.

const MAX_AMOUNT = 99_999_999;
/** Stripe's minimum charge is about 0.50 USD; the simulator uses 50 minor units (0.30 for GBP). */
const MIN_AMOUNT: Record<string, number> = { gbp: 30 };
export const CONFIRMABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
export const CANCELABLE: readonly PaymentIntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

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

export function amountParam(params: Params, currency: string, required: true): number;
export function amountParam(params: Params, currency: string, required: false): number | undefined;
export function amountParam(params: Params, currency: string, required: boolean): number | undefined {
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
export function paymentMethodSettings(params: Params): Pick<PaymentIntent, 'allowed_payment_method_types' | 'automatic_payment_methods' | 'payment_method_types'> {
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
export function explicitTypes(params: Params): string[] | undefined {
  return optionalStringList(params, 'allowed_payment_method_types') ?? optionalStringList(params, 'payment_method_types');
}

export function checkConfirmable(intent: PaymentIntent, params: Params, method: string | null): void {
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
