import type { Socket } from 'node:net';
import type { EventBus } from '../events/event-bus.js';
import type { FaultRules } from '../faults/fault-rules.js';
import type { AccountRegistry } from '../state/account.js';
import type { TimeScale } from '../state/time-scale.js';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';

/** Everything a route module needs: the simulator's state and machinery. */
export interface SimulatorContext {
  accounts: AccountRegistry;
  faults: FaultRules;
  bus: EventBus;
  dispatcher: WebhookDispatcher;
  timeScale: TimeScale;
  /** When set, the only secret keys accepted. */
  apiKeys: ReadonlySet<string> | undefined;
  /** Events' api_version when a request names none. */
  defaultApiVersion: string;
  /** Sockets held open by the `hang` timeout fault; destroyed on close. */
  hungSockets: Set<Socket>;
  /** Stripe API requests being handled now (GET /_sim shows it). */
  inFlight: { count: number };
  /** Aborted on close, so injected latency never holds up shutdown. */
  closing: AbortSignal;
}
