import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Stripe from 'stripe';
import { PspRejectedError, PspUnavailableError, type ChargeInput, type PaymentProvider, type PspPaymentIntent, type PspRefund, type RefundInput } from './payment-provider.js';

export interface StripeProviderOptions {
  apiKey: string;
  host: string;
  port: number;
  protocol: 'http' | 'https';
  timeoutMs: number;
  maxNetworkRetries: number;
  /** Keep-alive sockets to the PSP. */
  maxSockets?: number;
}

/** Our view of a Stripe PaymentIntent. */
export function toPaymentIntent(intent: Stripe.PaymentIntent): PspPaymentIntent {
  return {
    id: intent.id,
    status: intent.status as PspPaymentIntent['status'],
    amountMinor: intent.amount,
    currency: intent.currency.toUpperCase(),
    purchaseId: intent.metadata?.['purchase_id'],
    failureCode: intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? undefined,
    created: intent.created,
  };
}

/** Our view of a Stripe Refund. */
export function toRefund(refund: Stripe.Refund): PspRefund {
  const paymentIntent = refund.payment_intent;
  return {
    id: refund.id,
    status: (refund.status ?? 'pending') as PspRefund['status'],
    amountMinor: refund.amount,
    currency: refund.currency.toUpperCase(),
    paymentIntentId: typeof paymentIntent === 'string' ? paymentIntent : paymentIntent?.id,
    refundId: refund.metadata?.['refund_id'],
    failureCode: refund.failure_reason ?? undefined,
    created: refund.created,
  };
}

/**
 * Errors that leave the outcome unknown: the request may or may not have
 * been applied by the PSP. stripe-node has already retried them
 * (maxNetworkRetries, same Idempotency-Key) by the time we see them.
 */
function isIndeterminate(error: unknown): boolean {
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) return true;
  // 409: the same Idempotency-Key is still being processed at the PSP.
  if (error instanceof Stripe.errors.StripeIdempotencyError && error.statusCode === 409) return true;
  return (error.statusCode ?? 0) >= 500 || error.statusCode === 409 || error.statusCode === 429;
}

function classify(error: unknown, what: string): Error {
  if (isIndeterminate(error)) return new PspUnavailableError(`${what}: the PSP gave no definite answer (${(error as Error).message})`, { cause: error });
  if (error instanceof Stripe.errors.StripeError && error.statusCode !== undefined && error.statusCode < 500) {
    return new PspRejectedError(`${what}: ${error.message}`, error.code, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The PSP adapter on the official `stripe` client (R-PAY-1). */
export function createStripeProvider(options: StripeProviderOptions): PaymentProvider & { close(): void } {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const agent = options.protocol === 'https' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const stripe = new Stripe(options.apiKey, {
    host: options.host,
    port: options.port,
    protocol: options.protocol,
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries,
    httpAgent: agent,
    telemetry: false,
    appInfo: { name: 'bursary-payments' },
  });

  return {
    async chargePurchase(input: ChargeInput) {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: input.amountMinor,
            currency: input.currency.toLowerCase(),
            payment_method: input.paymentMethod,
            // Server-side confirmation of a saved card: no redirect-based methods, so no return_url.
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            confirm: true,
            description: input.description,
            metadata: { purchase_id: input.purchaseId, user_id: input.userId },
          },
          { idempotencyKey: input.purchaseId },
        );
        return toPaymentIntent(intent);
      } catch (error) {
        // A decline is an answer, not a failure: Stripe returns the PaymentIntent with the 402.
        if (error instanceof Stripe.errors.StripeCardError && error.payment_intent) return toPaymentIntent(error.payment_intent);
        throw classify(error, `charge of purchase ${input.purchaseId}`);
      }
    },

    async cancelPaymentIntent(paymentIntentId, purchaseId) {
      try {
        return toPaymentIntent(await stripe.paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey: `cancel-${purchaseId}` }));
      } catch (error) {
        // Already canceled (or succeeded meanwhile): read what it is now.
        if (error instanceof Stripe.errors.StripeInvalidRequestError) {
          try {
            return toPaymentIntent(await stripe.paymentIntents.retrieve(paymentIntentId));
          } catch (retrieveError) {
            throw classify(retrieveError, `retrieve of ${paymentIntentId}`);
          }
        }
        throw classify(error, `cancel of ${paymentIntentId}`);
      }
    },

    async refund(input: RefundInput) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: input.paymentIntentId, amount: input.amountMinor, metadata: { refund_id: input.refundId, purchase_id: input.purchaseId } },
          { idempotencyKey: input.refundId },
        );
        return toRefund(refund);
      } catch (error) {
        throw classify(error, `refund ${input.refundId}`);
      }
    },

    async *listPaymentIntents(sinceSeconds) {
      try {
        for await (const intent of stripe.paymentIntents.list({ created: { gte: sinceSeconds }, limit: 100 })) yield toPaymentIntent(intent);
      } catch (error) {
        throw classify(error, 'list of payment intents');
      }
    },

    async *listRefunds(sinceSeconds) {
      try {
        for await (const refund of stripe.refunds.list({ created: { gte: sinceSeconds }, limit: 100 })) yield toRefund(refund);
      } catch (error) {
        throw classify(error, 'list of refunds');
      }
    },

    close() {
      agent.destroy();
    },
  };
}
