import type { FaultSubject } from '../faults/fault-rules.js';
import type { Account } from '../state/account.js';
import type { Metadata } from '../state/objects.js';
import { relatedMetadata } from '../state/related-metadata.js';
import type { Params } from './params.js';

function objectById(account: Account, id: string): { metadata?: unknown; payment_intent?: unknown; object?: unknown; id?: unknown } | undefined {
  return account.paymentIntents.get(id) ?? account.charges.get(id) ?? account.refunds.get(id);
}

/**
 * What fault rules see of an API request: its own metadata plus that of the
 * objects it names (the path's id, `payment_intent`, `charge`), so a rule
 * tagged with a purchase id also catches the confirm and the refund.
 */
export function requestSubject(account: Account, method: string, path: string, params: Params, pathId: string | undefined): FaultSubject {
  let metadata: Metadata = {};
  for (const id of [pathId, params['payment_intent'], params['charge']]) {
    const object = typeof id === 'string' ? objectById(account, id) : undefined;
    if (object) metadata = { ...metadata, ...relatedMetadata(account, object) };
  }
  const own = params['metadata'];
  if (own && typeof own === 'object' && !Array.isArray(own)) {
    for (const [key, value] of Object.entries(own)) if (typeof value === 'string') metadata[key] = value;
  }
  return { apiKey: account.apiKey, method, path, metadata };
}
