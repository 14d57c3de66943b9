import type { Account } from './account.js';
import type { Metadata } from './objects.js';

/**
 * The metadata a fault rule's `match.metadata` is compared with: the
 * object's own, plus its PaymentIntent's for charges and refunds (whose
 * purchase tag lives on the PaymentIntent).
 */
export function relatedMetadata(account: Account, object: { metadata?: unknown; payment_intent?: unknown; object?: unknown; id?: unknown }): Metadata {
  const own = (object.metadata && typeof object.metadata === 'object' ? object.metadata : {}) as Metadata;
  const intentId = object.object === 'payment_intent' ? object.id : object.payment_intent;
  const intent = typeof intentId === 'string' ? account.paymentIntents.get(intentId) : undefined;
  return { ...intent?.metadata, ...own };
}
