import { currencyDigits, metadataUpdate, optionalEnum, optionalInteger, optionalString, type Params } from '../api/params.js';
import { StripeError, invalidParam, noSuchObject } from '../api/stripe-error.js';
import type { StripeRequest } from '../api/stripe-route.js';
import type { EventBus } from '../events/event-bus.js';
import { newId, unixNow } from '../state/ids.js';
import type { Charge, Refund } from '../state/objects.js';

export const REFUND_PARAMS = [
  'payment_intent',
  'charge',
  'amount',
  'reason',
  'metadata',
  'expand',
  'instructions_email',
  'refund_application_fee',
  'reverse_transfer',
  'origin',
  'currency',
  'customer',
] as const;

function refundError(message: string, code: string, param?: string): StripeError {
  return new StripeError(400, 'invalid_request_error', message, { code, ...(param ? { param } : {}) });
}

function money(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
}

/** Refunds of a PaymentIntent's (or a charge's) captured amount: full by default, partial with `amount`, never more than what is left. */
export class Refunds {
  constructor(private readonly bus: EventBus) {}

  find(request: StripeRequest, id: string): Refund {
    const refund = request.account.refunds.get(id);
    if (!refund) throw noSuchObject('refund', id, 'refund');
    return refund;
  }

  create(request: StripeRequest): Refund {
    const { account, params } = request;
    const charge = this.chargeToRefund(request, params);
    const requested = optionalInteger(params, 'amount', { min: 1 });
    const reason = optionalEnum(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const);
    const metadata = metadataUpdate(params) ?? {};
    const left = charge.amount_captured - charge.amount_refunded;
    if (left <= 0) throw refundError(`Charge ${charge.id} has already been refunded.`, 'charge_already_refunded');
    const amount = requested ?? left;
    if (amount > left) {
      throw refundError(`Refund amount (${money(amount, charge.currency)}) is greater than unrefunded amount on charge (${money(left, charge.currency)})`, 'amount_too_large', 'amount');
    }
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: newId('txn'),
      charge: charge.id,
      created: unixNow(),
      currency: charge.currency,
      metadata,
      payment_intent: charge.payment_intent,
      reason: reason ?? null,
      status: 'succeeded',
    };
    account.refunds.put(refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    request.effects.refunded = true;
    this.bus.emit(account, 'refund.created', refund, request.cause);
    this.bus.emit(account, 'charge.refunded', charge, request.cause, previous);
    return refund;
  }

  update(request: StripeRequest, id: string): Refund {
    const refund = this.find(request, id);
    const metadata = metadataUpdate(request.params, refund.metadata);
    if (metadata) {
      const previous = { metadata: refund.metadata };
      refund.metadata = metadata;
      this.bus.emit(request.account, 'refund.updated', refund, request.cause, previous);
    }
    return refund;
  }

  private chargeToRefund(request: StripeRequest, params: Params): Charge {
    const { account } = request;
    const intentId = optionalString(params, 'payment_intent');
    const chargeId = optionalString(params, 'charge');
    if (intentId === undefined && chargeId === undefined) {
      throw new StripeError(400, 'invalid_request_error', 'One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing' }, { stored: false });
    }
    if (intentId !== undefined && chargeId !== undefined) throw invalidParam('charge', 'You may only specify one of these parameters: charge, payment_intent.');
    if (chargeId !== undefined) {
      const charge = account.charges.get(chargeId);
      if (!charge) throw noSuchObject('charge', chargeId, 'charge', 400);
      if (charge.status !== 'succeeded') throw refundError(`Charge ${charge.id} has not succeeded and cannot be refunded.`, 'charge_not_refundable');
      return charge;
    }
    const intent = account.paymentIntents.get(intentId as string);
    if (!intent) throw noSuchObject('payment_intent', intentId as string, 'payment_intent', 400);
    const charge = intent.latest_charge ? account.charges.get(intent.latest_charge) : undefined;
    if (!charge || charge.status !== 'succeeded' || !charge.captured) {
      throw refundError(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, 'charge_not_refundable', 'payment_intent');
    }
    return charge;
  }
}
