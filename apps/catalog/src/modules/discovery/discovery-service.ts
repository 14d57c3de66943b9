import type { Sql } from 'postgres';
import { render, type Rendered, type ResultCache } from '../cache/result-cache.js';
import type { ListingDetail, ListingSummary } from '../listings/listing-schema.js';
import type { DiscoveryRepository, Page } from './discovery-repository.js';
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
      const result = await this.runSearch(filters.q, filters, false);
      return render({ items: result.items.map(({ highlights: _highlights, ...listing }) => listing), total: result.total, nextCursor: result.nextCursor });
    });
  }

  /**
   * Full-text search with facets and highlights. A query that matches nothing
   * is retried once with its unknown words corrected (typo tolerance).
   */
  search(query: string, filters: Discovery): Promise<Rendered<SearchResult>> {
    return this.cache.get(cacheKey('search', { ...filters, q: query }), async () => render(await this.runSearch(query, filters, true)));
  }

  private async runSearch(query: string, filters: Discovery, withFacets: boolean): Promise<SearchResult> {
    let page = await this.repository.search(query, filters, withFacets);
    let correctedQuery: string | null = null;
    if (page.total === 0) {
      const corrected = await correctQuery(this.sql, query);
      if (corrected !== undefined) {
        page = await this.repository.search(corrected, filters, withFacets);
        correctedQuery = corrected;
      }
    }
    return {
      query,
      correctedQuery,
      total: page.total,
      totalExact: page.totalExact,
      nextCursor: page.nextCursor,
      facets: shapeFacets(page.facets),
      items: page.items.map((hit) => ({ ...hit.listing, highlights: { title: markHighlights(hit.title), snippet: markHighlights(hit.snippet) } })),
    };
  }

  findPublished(key: string): Promise<ListingDetail | undefined> {
    return this.repository.findPublished(key);
  }
}

/** The same request always makes the same key: the filters that shape a result, in a fixed order. */
function cacheKey(kind: string, filters: Discovery): string {
  const { q, sort, minAmount, maxAmount, deadlineFrom, deadlineTo, state, level, field, gpa, renewable, essay, includeExpired, limit, cursor } = filters;
  return JSON.stringify([kind, q, sort, minAmount, maxAmount, deadlineFrom, deadlineTo, state, level, field, gpa, renewable, essay, includeExpired ?? false, limit, cursor]);
}
