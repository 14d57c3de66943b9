import type { Account } from '../state/account.js';
import { optionalStringList, type Params } from './params.js';
import { invalidParam } from './stripe-error.js';

/** Fields holding an id that `expand[]` may replace by the object. */
const EXPANDABLE: Record<string, (account: Account, id: string) => object | undefined> = {
  latest_charge: (account, id) => account.charges.get(id),
  charge: (account, id) => account.charges.get(id),
  payment_intent: (account, id) => account.paymentIntents.get(id),
  payment_method: (account, id) => account.paymentMethods.get(id),
};

function expandPath(account: Account, object: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [field, ...rest] = path;
  if (field === undefined) return object;
  const lookup = EXPANDABLE[field];
  if (!lookup || !(field in object)) throw invalidParam('expand', `This property cannot be expanded (${field}).`);
  const value = object[field];
  const target = typeof value === 'string' ? lookup(account, value) : value;
  if (!target || typeof target !== 'object') return object;
  return { ...object, [field]: expandPath(account, { ...(target as Record<string, unknown>) }, rest) };
}

/** `expand[]=latest_charge` (and `data.latest_charge` on lists): ids replaced by objects, in a copy. */
export function expandObject<T extends object>(account: Account, object: T, params: Params, prefix = ''): T {
  let result = { ...object } as Record<string, unknown>;
  for (const path of optionalStringList(params, 'expand') ?? []) {
    if (prefix && !path.startsWith(prefix)) continue;
    if (path === 'total_count') continue;
    result = expandPath(account, result, path.slice(prefix.length).split('.'));
  }
  return result as T;
}

export function expandList<L extends { data: object[] }>(account: Account, list: L, params: Params): L {
  for (const path of optionalStringList(params, 'expand') ?? []) {
    if (path !== 'total_count' && !path.startsWith('data.')) throw invalidParam('expand', `This property cannot be expanded (${path}). Expand list items with data.${path}.`);
  }
  return { ...list, data: list.data.map((item) => expandObject(account, item, params, 'data.')) };
}
