import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import type { EventEnvelope } from './envelope.js';
import { eventSubject } from './event-stream.js';

export interface PublishOptions {
  subjectPrefix?: string;
  timeoutMs?: number;
}

/**
 * Publishes an already-validated envelope with Nats-Msg-Id = event id, so a
 * retry within the stream's duplicate window is dropped by the server
 * (`ack.duplicate` is then true). Services do not call this directly: they
 * enqueue into the outbox and the relay publishes.
 */
export function publishEvent(js: JetStreamClient, event: EventEnvelope, options: PublishOptions = {}): Promise<PubAck> {
  return js.publish(eventSubject(event.type, options.subjectPrefix), JSON.stringify(event), {
    msgID: event.id,
    timeout: options.timeoutMs ?? 5_000,
  });
}
