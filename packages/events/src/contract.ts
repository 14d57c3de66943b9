import type { Static, TSchema } from 'typebox';

/**
 * `<service>.<entity>.<past-verb>.v<n>` (DESIGN.md §3.10). Any change to a
 * payload's shape is a new version: consumers validate strictly.
 */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$/;

export interface EventContract<Type extends string = string, Data extends TSchema = TSchema> {
  /** e.g. `payments.purchase.completed.v1`; also the JetStream subject suffix. */
  readonly type: Type;
  /** The emitting service: the first token of `type`. */
  readonly service: string;
  readonly data: Data;
  readonly description: string;
}

/** The payload type of a contract. */
export type EventData<C extends EventContract> = Static<C['data']>;

/** Declares a versioned event contract; a malformed name fails at import time, not in production. */
export function defineEvent<const Type extends string, Data extends TSchema>(type: Type, data: Data, description: string): EventContract<Type, Data> {
  if (!EVENT_TYPE_PATTERN.test(type)) {
    throw new Error(`Event type "${type}" must look like <service>.<entity>.<past-verb>.v<n> (lowercase, digits, underscores)`);
  }
  return Object.freeze({ type, service: type.slice(0, type.indexOf('.')), data, description });
}
