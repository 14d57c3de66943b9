import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { optionalUser } from '../../plugins/caller.js';
import { CatalogErrors } from '../catalog-errors.js';
import { isTestTraffic } from '../funnel/test-traffic.js';
import { IdParams, problems, sendJsonText } from '../http-schemas.js';
import { ListingDetail, ListingSummary } from '../listings/listing-schema.js';
import { ListQuery, SearchQuery } from './discovery-query.js';
import type { DiscoveryService } from './discovery-service.js';
import { Facets } from './facets.js';

const PageOf = <T extends typeof ListingSummary>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ description: 'how many listings match, across all pages' }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last page' }),
  });

const SearchHit = Type.Object({
  ...ListingSummary.properties,
  highlights: Type.Object({
    title: Type.String({ description: 'the title as HTML, matches in <mark>' }),
    snippet: Type.String({ description: 'the best passages of summary and description as HTML, matches in <mark>' }),
  }),
});

const SearchResult = Type.Object({
  ...PageOf(SearchHit as unknown as typeof ListingSummary).properties,
  query: Type.String(),
  totalExact: Type.Boolean({ description: 'false when more listings match than one search counts: total is then a lower bound and facets cover the first matches' }),
  correctedQuery: Type.Union([Type.String(), Type.Null()], { description: 'the query actually run when the one given matched nothing because of a typo' }),
  facets: Facets,
});

export interface DiscoveryRoutesOptions {
  service: DiscoveryService;
}

/** The public catalog (R-CAT-1): list, detail and search. */
export async function discoveryRoutes(app: ServiceInstance, { service }: DiscoveryRoutesOptions): Promise<void> {
  app.get(
    '/v1/scholarships',
    {
      schema: {
        summary: 'List scholarships with filters, sorting and cursor pagination',
        tags: ['catalog'],
        querystring: ListQuery,
        response: { 200: PageOf(ListingSummary), ...problems(400) },
      },
    },
    async (request, reply) => {
      const page = await service.list(request.query);
      if (request.query.q !== undefined) {
        app.funnel.record({ type: 'search_performed', test: isTestTraffic(request), source: 'api', userId: optionalUser(request), query: request.query.q, resultCount: page.value.total });
      }
      return sendJsonText(reply, page.json);
    },
  );

  app.get(
    '/v1/scholarships/:id',
    {
      schema: {
        summary: 'One published scholarship by id or slug',
        tags: ['catalog'],
        params: IdParams,
        querystring: Type.Object({ e2e: Type.Optional(Type.String({ maxLength: 8 })) }),
        response: { 200: ListingDetail, ...problems(404) },
      },
    },
    async (request) => {
      const listing = await service.findPublished(request.params.id);
      if (!listing) throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
      app.funnel.record({ type: 'scholarship_viewed', test: isTestTraffic(request), source: 'api', userId: optionalUser(request), scholarshipId: listing.id });
      return listing;
    },
  );

  app.get(
    '/v1/search',
    {
      schema: {
        summary: 'Full-text search with facets, highlights and typo tolerance',
        tags: ['catalog'],
        querystring: SearchQuery,
        response: { 200: SearchResult, ...problems(400) },
      },
    },
    async (request, reply) => {
      const result = await service.search(request.query.q, request.query);
      app.funnel.record({
        type: 'search_performed',
        test: isTestTraffic(request),
        source: 'api',
        userId: optionalUser(request),
        query: request.query.q,
        resultCount: result.value.total,
      });
      return sendJsonText(reply, result.json);
    },
  );
}
