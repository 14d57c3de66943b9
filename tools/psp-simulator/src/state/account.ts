import { IdempotencyStore } from '../api/idempotency-store.js';
import { ObjectTable } from './object-table.js';
import type { Charge, PaymentIntent, PaymentMethod, Refund, StripeEvent, WebhookEndpoint } from './objects.js';

/** What the simulator remembers about who caused a charge (never part of the Stripe object). */
export interface ChargeOrigin {
  idempotencyKey: string | null;
  requestId: string;
}

/**
 * One simulated Stripe account per secret key: each key sees only its own
 * objects, events, idempotency keys and faults, so parallel test files (each
 * with its own `sk_test_…` key) never see each other's payments.
 */
export class Account {
  readonly paymentIntents = new ObjectTable<PaymentIntent>();
  readonly charges = new ObjectTable<Charge>();
  readonly refunds = new ObjectTable<Refund>();
  readonly paymentMethods = new ObjectTable<PaymentMethod>();
  readonly events = new ObjectTable<StripeEvent>();
  readonly webhookEndpoints = new ObjectTable<WebhookEndpoint>();
  readonly chargeOrigins = new Map<string, ChargeOrigin>();
  /** pm_… id → the test token (pm_card_visa, …) it was made from, which decides its outcome. */
  readonly paymentMethodTokens = new Map<string, string>();
  readonly idempotency: IdempotencyStore;

  constructor(
    readonly apiKey: string,
    idempotencyTtlMs: number,
  ) {
    this.idempotency = new IdempotencyStore(idempotencyTtlMs);
  }
}

export class AccountRegistry {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly idempotencyTtlMs: number) {}

  forKey(apiKey: string): Account {
    let account = this.accounts.get(apiKey);
    if (!account) {
      account = new Account(apiKey, this.idempotencyTtlMs);
      this.accounts.set(apiKey, account);
    }
    return account;
  }

  /** The accounts a control request may see: one key's, or all when no key is named. */
  scope(apiKey: string | undefined): Account[] {
    if (apiKey === undefined) return [...this.accounts.values()];
    const account = this.accounts.get(apiKey);
    return account ? [account] : [];
  }

  reset(apiKey: string | undefined): void {
    if (apiKey === undefined) this.accounts.clear();
    else this.accounts.delete(apiKey);
  }
}
