import type { Sql } from 'postgres';
import { render, type Rendered, type ResultCache } from '../cache/result-cache.js';
import type { ListingDetail, ListingSummary } from '../listings/listing-schema.js';
import type { DiscoveryRepository, Page, SearchPage } from './discovery-repository.js';
import type { Discovery } from './discovery-query.js';
import { shapeFacets, type Facets } from './facets.js';
import { markHighlights } from './highlight.js';
import { correctQuery } from './typo-correction.js';

export interface SearchResult extends Page<ListingSummary & { highlights: { title: string; snippet: string } }> {
  query: string;
  /** False when more listings match than a search counts (SEARCH_MAX_MATCHES): `total` is then a lower bound. */
  totalExact: boolean;
  /** The query actually run when the one given matched nothing and had a typo; null otherwise. */
  correctedQuery: string | null;
  facets: Facets;
}

/** The public catalog's use cases (R-CAT-1), free of HTTP. */
export class DiscoveryService {
  constructor(
    private readonly sql: Sql,
    private readonly repository: DiscoveryRepository,
    private readonly cache: ResultCache,
  ) {}

  /** The list, or with `q` a relevance-ranked search without facets. */
  list(filters: Discovery): Promise<Rendered<Page<ListingSummary>>> {
    return this.cache.get(cacheKey('list', filters), async () => {
      if (filters.q === undefined) return render(await this.repository.list(filters));
      let page = await this.repository.search(filters.q, filters, false);
      if (page.total === 0) {
        const corrected = await correctQuery(this.sql, filters.q);
        if (corrected !== undefined) page = await this.repository.search(corrected, filters, false);
      }
      return render({ items: page.items.map((hit) => hit.listing), total: page.total, nextCursor: page.nextCursor });
    });
  }

  /**
   * Full-text search with facets and highlights. A query that matches nothing
   * is answered as its typo-corrected form would be, from the cache when that
   * form was asked before: a typo costs no more than the word spelled right.
   */
  search(query: string, filters: Discovery): Promise<Rendered<SearchResult>> {
    return this.cache.get(cacheKey('search', { ...filters, q: query }), async () => {
      const page = await this.repository.search(query, filters, true);
      if (page.total === 0) {
        const corrected = await correctQuery(this.sql, query);
        if (corrected !== undefined) {
          const right = await this.search(corrected, filters);
          return render({ ...right.value, query, correctedQuery: corrected });
        }
      }
      return render(searchResult(query, page));
    });
  }

  findPublished(key: string): Promise<ListingDetail | undefined> {
    return this.repository.findPublished(key);
  }
}

function searchResult(query: string, page: SearchPage): SearchResult {
  return {
    query,
    correctedQuery: null,
    total: page.total,
    totalExact: page.totalExact,
    nextCursor: page.nextCursor,
    facets: shapeFacets(page.facets),
    items: page.items.map((hit) => ({ ...hit.listing, highlights: { title: markHighlights(hit.title), snippet: markHighlights(hit.snippet) } })),
  };
}

/** The same request always makes the same key: the filters that shape a result, in a fixed order. */
function cacheKey(kind: string, filters: Discovery): string {
  const { q, sort, minAmount, maxAmount, deadlineFrom, deadlineTo, state, level, field, gpa, renewable, essay, includeExpired, limit, cursor } = filters;
  return JSON.stringify([kind, q, sort, minAmount, maxAmount, deadlineFrom, deadlineTo, state, level, field, gpa, renewable, essay, includeExpired ?? false, limit, cursor]);
}
