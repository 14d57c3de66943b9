import type { FaultSpec } from '../faults/fault-spec.js';
import type { FaultRule } from '../faults/fault-rules.js';
import type { Delivery } from '../webhooks/webhook-dispatcher.js';
import type { ChargeReport } from './charge-report.js';

export interface ChargeQuery {
  idempotencyKey?: string;
  paymentIntent?: string;
  metadata?: Record<string, string>;
}

export interface DeliveryQuery {
  event?: string;
  type?: string;
  status?: Delivery['status'];
}

/** The /_sim control API of a running simulator, typed; every call is scoped to `apiKey` when one is given. */
export interface SimulatorControl {
  addFault(spec: FaultSpec): Promise<FaultRule>;
  faults(): Promise<FaultRule[]>;
  removeFault(id: string): Promise<void>;
  clearFaults(): Promise<void>;
  charges(query?: ChargeQuery): Promise<ChargeReport>;
  setWebhook(url: string | null, secret?: string): Promise<void>;
  deliveries(query?: DeliveryQuery): Promise<Delivery[]>;
  resendEvent(id: string): Promise<void>;
  expireIdempotencyKeys(): Promise<number>;
  reset(): Promise<void>;
}

function queryString(entries: Array<[string, string | undefined]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of entries) if (value !== undefined) search.append(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A client of the control API at `baseUrl` (the simulator's `url`). */
export function simulatorControl(baseUrl: string, apiKey?: string): SimulatorControl {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`PSP simulator ${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return {
    addFault: (spec) => call('POST', '/_sim/faults', spec),
    faults: async () => (await call<{ data: FaultRule[] }>('GET', '/_sim/faults')).data,
    removeFault: async (id) => void (await call('DELETE', `/_sim/faults/${encodeURIComponent(id)}`)),
    clearFaults: async () => void (await call('DELETE', '/_sim/faults')),
    charges: (query = {}) =>
      call(
        'GET',
        `/_sim/charges${queryString([
          ['idempotency_key', query.idempotencyKey],
          ['payment_intent', query.paymentIntent],
          ...Object.entries(query.metadata ?? {}).map(([name, value]): [string, string] => [`metadata[${name}]`, value]),
        ])}`,
      ),
    setWebhook: async (url, secret) => void (await call('PUT', '/_sim/webhook', { url, ...(secret ? { secret } : {}) })),
    deliveries: async (query = {}) =>
      (await call<{ data: Delivery[] }>('GET', `/_sim/webhook-deliveries${queryString([['event', query.event], ['type', query.type], ['status', query.status]])}`)).data,
    resendEvent: async (id) => void (await call('POST', `/_sim/events/${encodeURIComponent(id)}/resend`)),
    expireIdempotencyKeys: async () => (await call<{ expired: number }>('POST', '/_sim/idempotency/expire')).expired,
    reset: async () => void (await call('POST', '/_sim/reset')),
  };
}
