import { AckPolicy, DeliverPolicy, JetStreamApiError, jetstream, type ConsumerConfig, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { EventContract } from './contract.js';
import { assertEvent, type EventOf } from './envelope.js';
import { ensureEventStream, eventStreamConfig, eventSubject, type EventStreamConfig } from './event-stream.js';
import { errorMessage, silentLogger, type EventsLogger } from './logger.js';

export interface EventHandler<C extends EventContract = EventContract> {
  contract: C;
  handle: (event: EventOf<C>, delivery: DeliveryContext) => Promise<unknown>;
}

export interface DeliveryContext {
  /** 1 on the first delivery. */
  attempt: number;
  /** The stream sequence (for logs). */
  streamSequence: number;
}

/**
 * Binds a handler to a contract; the handler receives the envelope already
 * validated and typed. Resolve = done (acked); throw = retry later.
 */
export function on<C extends EventContract>(contract: C, handle: (event: EventOf<C>, delivery: DeliveryContext) => Promise<unknown>): EventHandler<C> {
  return { contract, handle };
}

export interface EventConsumerOptions {
  nats: NatsConnection;
  /** Durable consumer name, e.g. "webhooks-fanout": one per consuming purpose, shared by all instances. */
  durable: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers of different contracts
  handlers: EventHandler<any>[];
  stream?: Partial<EventStreamConfig>;
  /** Deliveries before the server gives up (the last failure is logged as an error). */
  maxDeliver?: number;
  /** Delay before redelivery after the n-th failure; the last value repeats. */
  backoffMs?: number[];
  /** A delivery not acked within this time (crashed handler) is redelivered. */
  ackWaitMs?: number;
  /** Messages pulled ahead of the handler. Handling is sequential. */
  prefetch?: number;
  log?: EventsLogger;
}

export interface EventConsumer {
  /** Stops pulling, lets the message in hand finish, resolves. */
  stop(): Promise<void>;
  /** Resolves when the consume loop ends (stop() or a fatal error). */
  closed: Promise<void>;
}

const CONSUMER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * A durable pull consumer with explicit acks and bounded, backed-off
 * redelivery. Events are at-least-once: pair side effects with processOnce()
 * so a redelivery does nothing twice.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const log = options.log ?? silentLogger;
  const stream = eventStreamConfig(options.stream);
  if (!CONSUMER_NAME.test(options.durable)) throw new Error(`Invalid durable consumer name "${options.durable}"`);
  if (options.handlers.length === 0) throw new Error('An event consumer needs at least one handler');
  const handlers = new Map<string, EventHandler>();
  for (const handler of options.handlers) {
    if (handlers.has(handler.contract.type)) throw new Error(`Two handlers for ${handler.contract.type}`);
    handlers.set(handler.contract.type, handler);
  }
  const maxDeliver = options.maxDeliver ?? 8;
  const backoffMs = options.backoffMs ?? [1_000, 5_000, 30_000, 120_000, 600_000];
  if (maxDeliver < 1) throw new Error('maxDeliver must be ≥ 1');

  // nats-server 2.9 has no filter_subjects (plural): one handler filters on its
  // subject; several share the prefix and events with no handler are acked.
  const [only] = handlers.keys();
  const filter = handlers.size === 1 && only ? eventSubject(only, stream.subjectPrefix) : `${stream.subjectPrefix}.>`;
  const config: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: filter,
    max_deliver: maxDeliver,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    max_ack_pending: 1_000,
  };

  const js = jetstream(options.nats);
  const jsm = await js.jetstreamManager();
  await ensureEventStream(jsm, stream);
  try {
    await jsm.consumers.info(stream.name, options.durable);
    await jsm.consumers.update(stream.name, options.durable, {
      filter_subject: config.filter_subject!,
      max_deliver: config.max_deliver!,
      ack_wait: config.ack_wait!,
      max_ack_pending: config.max_ack_pending!,
    });
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== 10014) throw error;
    await jsm.consumers.add(stream.name, config);
  }

  const consumer = await js.consumers.get(stream.name, options.durable);
  const messages: ConsumerMessages = await consumer.consume({ max_messages: options.prefetch ?? 64 });

  async function handle(message: JsMsg): Promise<void> {
    const attempt = message.info.deliveryCount;
    let event: unknown;
    try {
      event = message.json();
    } catch {
      log.error({ durable: options.durable, subject: message.subject, seq: message.seq }, 'undecodable event terminated');
      message.term(); // no reason text: nats-server < 2.11 does not parse '+TERM <reason>'
      return;
    }
    const type = (event as { type?: unknown }).type;
    const handler = typeof type === 'string' ? handlers.get(type) : undefined;
    if (!handler) {
      message.ack(); // not an event this consumer handles
      return;
    }
    try {
      assertEvent(handler.contract, event);
    } catch (error) {
      log.error({ durable: options.durable, type, seq: message.seq, err: errorMessage(error) }, 'event breaks its contract; terminated');
      message.term();
      return;
    }
    try {
      await handler.handle(event, { attempt, streamSequence: message.seq });
      message.ack();
    } catch (error) {
      const eventId = (event as { id: string }).id;
      if (attempt >= maxDeliver) {
        log.error({ durable: options.durable, type, eventId, attempt, err: errorMessage(error) }, 'event handler failed for the last time; giving up');
        message.term();
        return;
      }
      const delay = backoffMs[Math.min(attempt - 1, backoffMs.length - 1)] ?? 1_000;
      log.warn({ durable: options.durable, type, eventId, attempt, retryInMs: delay, err: errorMessage(error) }, 'event handler failed; will retry');
      message.nak(delay);
    }
  }

  const closed = (async () => {
    for await (const message of messages) await handle(message);
  })().catch((error: unknown) => {
    log.error({ durable: options.durable, err: errorMessage(error) }, 'event consumer stopped');
  });

  return {
    closed,
    async stop() {
      await messages.close();
      await closed;
    },
  };
}
