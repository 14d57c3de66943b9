import type { FaultRules } from '../faults/fault-rules.js';
import type { Account } from '../state/account.js';
import { newId, unixNow } from '../state/ids.js';
import type { StripeEvent } from '../state/objects.js';
import { relatedMetadata } from '../state/related-metadata.js';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';

/** The API request that caused an event (Stripe's `event.request`). */
export interface EventCause {
  requestId: string | null;
  idempotencyKey: string | null;
  apiVersion: string;
}

/**
 * Records an Event for a state change, with a snapshot of the object as it is
 * now, and hands it to the webhook dispatcher with the faults that apply.
 */
export class EventBus {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly faults: FaultRules,
  ) {}

  emit(account: Account, type: string, object: object, cause: EventCause, previousAttributes?: Record<string, unknown>): StripeEvent {
    const snapshot = structuredClone(object) as Record<string, unknown>;
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: cause.apiVersion,
      created: unixNow(),
      data: { object: snapshot, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
      livemode: false,
      pending_webhooks: this.dispatcher.targets(account, type).length,
      request: { id: cause.requestId, idempotency_key: cause.idempotencyKey },
      type,
    };
    account.events.put(event);
    const faults = this.faults.takeWebhookFaults({ apiKey: account.apiKey, metadata: relatedMetadata(account, snapshot), eventType: type });
    this.dispatcher.dispatch(account, event, faults);
    return event;
  }
}
