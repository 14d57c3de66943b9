import { invalidParam, noSuchObject } from './stripe-error.js';
import { optionalInteger, optionalString, type Params } from './params.js';
import type { Listable } from '../state/objects.js';

export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created', 'expand'] as const;

export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

type Range = { gt?: number; gte?: number; lt?: number; lte?: number };

/** `created=123` or `created[gte]=…&created[lt]=…`, as every Stripe list takes it. */
export function createdFilter(params: Params): (item: Listable) => boolean {
  const raw = params['created'];
  if (raw === undefined || raw === '') return () => true;
  if (typeof raw === 'string') {
    const exact = optionalInteger(params, 'created');
    return (item) => item.created === exact;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParam('created', 'Invalid created', 'parameter_invalid_integer');
  const range: Range = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!['gt', 'gte', 'lt', 'lte'].includes(key)) throw invalidParam(`created[${key}]`, `Received unknown parameter: created[${key}]`, 'parameter_unknown');
    range[key as keyof Range] = optionalInteger({ [key]: value }, key) as number;
  }
  return (item) =>
    (range.gt === undefined || item.created > range.gt) &&
    (range.gte === undefined || item.created >= range.gte) &&
    (range.lt === undefined || item.created < range.lt) &&
    (range.lte === undefined || item.created <= range.lte);
}

/**
 * One page of a newest-first list with Stripe's cursor semantics:
 * `starting_after` pages towards older objects, `ending_before` towards newer.
 */
export function listPage<T extends Listable>(items: T[], params: Params, url: string, resource: string): StripeList<T> {
  const limit = optionalInteger(params, 'limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');
  const filtered = items.filter(createdFilter(params));
  if (startingAfter !== undefined) {
    const index = filtered.findIndex((item) => item.id === startingAfter);
    if (index < 0) throw noSuchObject(resource, startingAfter, 'starting_after', 400);
    const rest = filtered.slice(index + 1);
    return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (endingBefore !== undefined) {
    const index = filtered.findIndex((item) => item.id === endingBefore);
    if (index < 0) throw noSuchObject(resource, endingBefore, 'ending_before', 400);
    const newer = filtered.slice(0, index);
    return { object: 'list', data: newer.slice(Math.max(0, newer.length - limit)), has_more: newer.length > limit, url };
  }
  return { object: 'list', data: filtered.slice(0, limit), has_more: filtered.length > limit, url };
}
