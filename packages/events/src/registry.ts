import type { EventContract } from './contract.js';
import { assertEvent, InvalidEventError, type EventEnvelope } from './envelope.js';
import { catalogEventContracts } from './catalog-contracts.js';
import { eventContracts } from './contracts.js';
import { paymentsEventContracts } from './payments-contracts.js';

export interface EventRegistry {
  get(type: string): EventContract | undefined;
  types(): string[];
  /** Parses and validates an envelope against the contract its `type` names. */
  parse(value: unknown): EventEnvelope;
}

export function createEventRegistry(contracts: readonly EventContract[]): EventRegistry {
  const byType = new Map<string, EventContract>();
  for (const contract of contracts) {
    if (byType.has(contract.type)) throw new Error(`Event contract ${contract.type} is declared twice`);
    byType.set(contract.type, contract);
  }
  return {
    get: (type) => byType.get(type),
    types: () => [...byType.keys()],
    parse(value) {
      const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
      const contract = typeof type === 'string' ? byType.get(type) : undefined;
      if (!contract) throw new InvalidEventError(`Unknown event type ${String(type)}`, []);
      assertEvent(contract, value);
      return value;
    },
  };
}

/** The registry of every contract in this package. */
export const eventRegistry: EventRegistry = createEventRegistry([...eventContracts, ...catalogEventContracts, ...paymentsEventContracts]);
