import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { v7 as uuidv7 } from 'uuid';
import type { EventContract, EventData } from './contract.js';

/** W3C Trace Context `traceparent` (version 00). */
const TRACEPARENT = '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$';

/** The one envelope every event travels in; `data` is checked against the contract named by `type`. */
export const EventEnvelopeSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'UUIDv7: unique, time-sortable; the Nats-Msg-Id and the inbox key' }),
    type: Type.String({ description: 'the contract, e.g. payments.purchase.completed.v1' }),
    occurredAt: Type.String({ format: 'date-time' }),
    source: Type.String({ minLength: 1, description: 'the emitting service' }),
    subject: Type.String({ minLength: 1, description: 'the id of the entity the event is about' }),
    data: Type.Unknown(),
    traceparent: Type.Optional(Type.String({ pattern: TRACEPARENT })),
  },
  { additionalProperties: false },
);

export interface EventEnvelope<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  occurredAt: string;
  source: string;
  subject: string;
  data: Data;
  traceparent?: string;
}

/** The envelope of a given contract, with its payload typed. */
export type EventOf<C extends EventContract> = EventEnvelope<C['type'], EventData<C>>;

export interface NewEvent<C extends EventContract> {
  /** The emitting service (defaults to the contract's service). */
  source?: string;
  /** The id of the entity the event is about, e.g. the purchase id. */
  subject: string;
  data: EventData<C>;
  traceparent?: string;
  /** For tests and replays only; normally generated. */
  id?: string;
  occurredAt?: Date;
}

export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly errors: string[],
  ) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

const envelopeCheck = Compile(EventEnvelopeSchema);
const dataChecks = new WeakMap<TSchema, ReturnType<typeof Compile>>();

function dataCheck(schema: TSchema): ReturnType<typeof Compile> {
  let check = dataChecks.get(schema);
  if (!check) {
    check = Compile(schema);
    dataChecks.set(schema, check);
  }
  return check;
}

function describe(check: ReturnType<typeof Compile>, value: unknown, prefix: string): string[] {
  return [...check.Errors(value)].slice(0, 5).map((e) => `${prefix}${e.instancePath || '/'} ${e.message}`);
}

/** Builds a validated envelope: a payload that breaks its contract fails here, in the emitter's transaction. */
export function createEvent<C extends EventContract>(contract: C, input: NewEvent<C>): EventOf<C> {
  const event: EventOf<C> = {
    id: input.id ?? uuidv7(),
    type: contract.type,
    occurredAt: (input.occurredAt ?? new Date()).toISOString(),
    source: input.source ?? contract.service,
    subject: input.subject,
    data: input.data,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
  };
  assertEvent(contract, event);
  return event;
}

/** Throws InvalidEventError unless `event` is a well-formed envelope of `contract`. */
export function assertEvent<C extends EventContract>(contract: C, event: unknown): asserts event is EventOf<C> {
  if (!envelopeCheck.Check(event)) {
    throw new InvalidEventError('Malformed event envelope', describe(envelopeCheck, event, 'envelope'));
  }
  const envelope = event as EventEnvelope;
  if (envelope.type !== contract.type) {
    throw new InvalidEventError(`Event type ${envelope.type} is not ${contract.type}`, []);
  }
  const check = dataCheck(contract.data);
  if (!check.Check(envelope.data)) {
    throw new InvalidEventError(`Event ${contract.type} breaks its contract`, describe(check, envelope.data, 'data'));
  }
}
