/**
 * What payments needs from a payment service provider (R-PAY-1), in our
 * terms. One implementation: the official `stripe` client (stripe-provider.ts),
 * pointed at Stripe or at tools/psp-simulator. Every mutating call carries our
 * own id as the PSP Idempotency-Key, so a retry from any process is the same call.
 */
export const PaymentIntentStatus = {
  requiresPaymentMethod: 'requires_payment_method',
  requiresConfirmation: 'requires_confirmation',
  requiresAction: 'requires_action',
  processing: 'processing',
  requiresCapture: 'requires_capture',
  canceled: 'canceled',
  succeeded: 'succeeded',
} as const;
export type PaymentIntentStatus = (typeof PaymentIntentStatus)[keyof typeof PaymentIntentStatus];

export interface PspPaymentIntent {
  id: string;
  status: PaymentIntentStatus;
  amountMinor: number;
  /** Upper-case ISO 4217 (the PSP speaks lower case). */
  currency: string;
  /** Our purchase id (metadata.purchase_id). */
  purchaseId: string | undefined;
  /** Why the last attempt failed (card_declined, …), when it did. */
  failureCode: string | undefined;
  /** Seconds since the epoch. */
  created: number;
}

export type PspRefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface PspRefund {
  id: string;
  status: PspRefundStatus;
  amountMinor: number;
  currency: string;
  paymentIntentId: string | undefined;
  /** Our refund id (metadata.refund_id). */
  refundId: string | undefined;
  failureCode: string | undefined;
  created: number;
}

export interface ChargeInput {
  purchaseId: string;
  amountMinor: number;
  currency: string;
  paymentMethod: string;
  userId: string;
  description: string;
}

export interface RefundInput {
  refundId: string;
  purchaseId: string;
  paymentIntentId: string;
  amountMinor: number;
}

export interface PaymentProvider {
  /**
   * Creates and confirms the payment of a purchase with Idempotency-Key =
   * purchase id: the first call charges, any later call (a retry, the worker's
   * recovery) gets the same PaymentIntent back. A decline is a PaymentIntent
   * with a failureCode, not an error.
   */
  chargePurchase(input: ChargeInput): Promise<PspPaymentIntent>;
  /** Voids a payment that has not succeeded (Idempotency-Key `cancel-<purchase id>`). */
  cancelPaymentIntent(paymentIntentId: string, purchaseId: string): Promise<PspPaymentIntent>;
  /** Refunds (part of) a payment with Idempotency-Key = refund id. */
  refund(input: RefundInput): Promise<PspRefund>;
  /** Every PaymentIntent created since `sinceSeconds` (reconciliation). */
  listPaymentIntents(sinceSeconds: number): AsyncIterable<PspPaymentIntent>;
  /** Every refund created since `sinceSeconds` (reconciliation). */
  listRefunds(sinceSeconds: number): AsyncIterable<PspRefund>;
}

/**
 * The PSP did not give a definite answer (network error, timeout, 5xx, 429,
 * an idempotent request still in progress there): the outcome is unknown, so
 * the caller keeps its recovery point and retries later with the same key.
 */
export class PspUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PspUnavailableError';
  }
}

/** The PSP refused the request itself (e.g. a refund above what is left); retrying will not help. */
export class PspRejectedError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PspRejectedError';
  }
}
