import { optionalInteger, optionalString, optionalStringList, requiredString, type Params } from './params.js';
import { parseSearchQuery, type SearchField } from './search-query.js';
import { invalidParam } from './stripe-error.js';

export const SEARCH_PARAMS = ['query', 'limit', 'page', 'expand'] as const;

export interface SearchResult<T> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
  total_count?: number;
}

function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw invalidParam('page', 'Invalid page: use the next_page value of a previous search result.');
}

/** One page of `GET /v1/<resource>/search` (newest first; `page` is the previous answer's next_page). */
export function searchPage<T extends object>(items: T[], params: Params, url: string, fields: Record<string, SearchField>): SearchResult<T> {
  const matches = parseSearchQuery(requiredString(params, 'query'), fields);
  const limit = optionalInteger(params, 'limit', { min: 1, max: 100 }) ?? 10;
  const offset = pageOffset(optionalString(params, 'page'));
  const found = items.filter((item) => matches(item as Record<string, unknown>));
  const data = found.slice(offset, offset + limit);
  const hasMore = found.length > offset + limit;
  const withTotal = (optionalStringList(params, 'expand') ?? []).includes('total_count');
  return {
    object: 'search_result',
    data,
    has_more: hasMore,
    next_page: hasMore ? pageToken(offset + limit) : null,
    url,
    ...(withTotal ? { total_count: found.length } : {}),
  };
}
