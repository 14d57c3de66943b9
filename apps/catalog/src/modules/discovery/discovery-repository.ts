import type { PendingQuery, Row, Sql } from 'postgres';
import { idOrSlug, listingJson } from '../listings/listing-sql.js';
import type { ListingDetail, ListingSummary } from '../listings/listing-schema.js';
import { CatalogErrors } from '../catalog-errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Discovery, SortName } from './discovery-query.js';
import { facetsJson, splitFacetCounts, type RawFacets } from './facets.js';
import { and, discoveryFilters } from './filters-sql.js';
import { SNIPPET_HEADLINE_OPTIONS, TITLE_HEADLINE_OPTIONS } from './highlight.js';
import { afterCursor, orderBy, sortKey, type SortKey } from './sort-keys.js';

type Fragment = PendingQuery<Row[]>;

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

export interface SearchHit {
  listing: ListingSummary;
  /** ts_headline output with private-use markers (see highlight.ts). */
  title: string;
  snippet: string;
}

export interface SearchPage extends Page<SearchHit> {
  /** False when the matches exceeded the cap: `total` is then a lower bound and facets cover the first matches. */
  totalExact: boolean;
  facets: RawFacets;
}

interface PageRow {
  item: unknown;
  key: string;
}

const DEFAULT_LIMIT = 20;

/** Reads of the public catalog (R-CAT-1): the list, the search and one listing. */
export class DiscoveryRepository {
  constructor(
    private readonly sql: Sql,
    private readonly siteUrl: string,
    private readonly limits: { rankCandidates: number; maxMatches: number },
  ) {}


  /** The cursor condition of a page, validated against its sort. */
  private cursorCondition(filters: Discovery, sort: SortName, key: SortKey, id: Fragment): Fragment | undefined {
    if (filters.cursor === undefined) return undefined;
    const cursor = decodeCursor(filters.cursor, sort);
    if (!key.valid(cursor.key)) throw CatalogErrors.CATALOG_INVALID_CURSOR();
    return afterCursor(this.sql, key.expression, id, key.descending, key.cast(cursor.key), cursor.id);
  }

  private paginate<T>(rows: PageRow[], limit: number, sort: SortName, total: number, map: (item: unknown) => T): Page<T> {
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept.at(-1);
    const lastId = last ? (last.item as { listing?: { id: string }; id?: string }) : undefined;
    const id = lastId?.listing?.id ?? lastId?.id;
    return {
      items: kept.map((row) => map(row.item)),
      total,
      nextCursor: more && last && id ? encodeCursor({ sort, key: last.key, id }) : null,
    };
  }

  /** GET /v1/scholarships without a query: an index-ordered page and the exact total, side by side. */
  async list(filters: Discovery): Promise<Page<ListingSummary>> {
    const { sql } = this;
    const sort: SortName = filters.sort === undefined || filters.sort === 'relevance' ? 'deadline' : filters.sort;
    const limit = filters.limit ?? DEFAULT_LIMIT;
    const key = sortKey(sql, sort, undefined);
    const where = discoveryFilters(sql, filters);
    const cursor = this.cursorCondition(filters, sort, key, sql`s.id`);
    // The page's ids first (an index range scan in sort order), then the JSON of those rows only.
    const [page, count] = await Promise.all([
      sql<PageRow[]>`
        select ${listingJson(sql, this.siteUrl, false)} as item, p.key::text as key
        from (
          select s.id, ${key.expression} as key
          from catalog.scholarships s
          where ${and(sql, cursor ? [...where, cursor] : where)}
          order by ${orderBy(sql, key.expression, key.descending, sql`s.id`)}
          limit ${limit + 1}
        ) p
        join catalog.scholarships s on s.id = p.id
        join catalog.provider_orgs o on o.id = s.provider_org_id
        order by ${orderBy(sql, sql`p.key`, key.descending, sql`p.id`)}`,
      sql<Array<{ total: number }>>`select count(*)::int as total from catalog.scholarships s where ${and(sql, where)}`,
    ]);
    return this.paginate(page, limit, sort, count[0]?.total ?? 0, (item) => item as ListingSummary);
  }

  /**
   * GET /v1/search and GET /v1/scholarships?q=: full text over the weighted
   * search_vector in one statement: the matches (GIN, at most `maxMatches`),
   * their total and facets, and one page with highlights.
   *
   * Ranking is limited to the best candidates (docs/catalog-search.md): every
   * match gets a cheap first score, ts_rank over the small title + summary
   * vector; only the `rankCandidates` best by it are ranked again over the
   * full weighted document, and sort above every other match. All scores are
   * normalised into [0, 1) (ts_rank flag 32), candidates shifted by 1, so one
   * real number orders the page and serves as the cursor key.
   */
  async search(text: string, filters: Discovery, withFacets: boolean): Promise<SearchPage> {
    const { sql } = this;
    const sort: SortName = filters.sort ?? 'relevance';
    const limit = filters.limit ?? DEFAULT_LIMIT;
    const relevance = sort === 'relevance';
    const key = sortKey(sql, sort, sql`ts_rank(s.headline_vector, q.query, 32)`);
    const cursor = this.cursorCondition(filters, sort, { ...key, expression: sql`k.sort_key` }, sql`k.id`);
    const where = and(sql, [...discoveryFilters(sql, filters), sql`s.search_vector @@ q.query`]);
    const rows = await sql<Array<{ total: number; page: PageRow[]; facets: Record<string, number> | null }>>`
      with q as materialized (select websearch_to_tsquery('catalog.bursary_en'::regconfig, ${text}) as query),
      matched as materialized (
        select s.id, s.facet_keys, ${key.expression} as first_key
        from catalog.scholarships s, q
        where ${where}
        limit ${this.limits.maxMatches + 1}
      ),
      keyed as (
        ${
          relevance
            ? sql`select m.id, coalesce(c.best, m.first_key) as sort_key
                  from matched m left join (
                    select b.id, (1 + ts_rank(s.search_vector, q.query, 32))::real as best
                    from (select id from matched order by first_key desc, id desc limit ${this.limits.rankCandidates}) b
                    join catalog.scholarships s on s.id = b.id, q) c on c.id = m.id`
            : sql`select m.id, m.first_key as sort_key from matched m`
        }
      ),
      page as (
        select k.id, k.sort_key from keyed k
        ${cursor ? sql`where ${cursor}` : sql``}
        order by ${orderBy(sql, sql`k.sort_key`, key.descending, sql`k.id`)}
        limit ${limit + 1}
      )
      select
        (select count(*)::int from matched) as total,
        (select coalesce(json_agg(json_build_object(
            'item', json_build_object(
              'listing', ${listingJson(sql, this.siteUrl, false)},
              'title', ts_headline('catalog.bursary_en'::regconfig, s.title, q.query, ${TITLE_HEADLINE_OPTIONS}),
              -- ts_headline re-parses its text: the short summary when it or the title matched, the long description only when neither did.
              'snippet', ts_headline('catalog.bursary_en'::regconfig,
                case when s.headline_vector @@ q.query then s.summary else s.description end, q.query, ${SNIPPET_HEADLINE_OPTIONS})),
            'key', p.sort_key::text) order by ${orderBy(sql, sql`p.sort_key`, key.descending, sql`p.id`)}), '[]'::json)
         from page p
         join catalog.scholarships s on s.id = p.id
         join catalog.provider_orgs o on o.id = s.provider_org_id, q) as page,
        ${withFacets ? facetsJson(sql) : sql`null::json`} as facets`;
    const row = rows[0]!;
    const exact = row.total <= this.limits.maxMatches;
    const page = this.paginate(row.page, limit, sort, Math.min(row.total, this.limits.maxMatches), (item) => item as SearchHit);
    return { ...page, totalExact: exact, facets: splitFacetCounts(row.facets ?? {}) };
  }

  /** One published listing by id or slug; undefined when there is none. */
  async findPublished(key: string): Promise<ListingDetail | undefined> {
    const { sql } = this;
    const rows = await sql<Array<{ item: ListingDetail }>>`
      select ${listingJson(sql, this.siteUrl, true)} as item
      from catalog.scholarships s join catalog.provider_orgs o on o.id = s.provider_org_id
      where ${idOrSlug(sql, key)} and s.status in ('published', 'closed')`;
    return rows[0]?.item;
  }
}
