import type { PendingQuery, Row, Sql } from 'postgres';
import { idOrSlug, listingJson } from '../listings/listing-sql.js';
import type { ListingDetail, ListingSummary } from '../listings/listing-schema.js';
import { CatalogErrors } from '../catalog-errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Discovery, SortName } from './discovery-query.js';
import { facetsJson, type RawFacets } from './facets.js';
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
    const [page, count] = await Promise.all([
      sql<PageRow[]>`
        select ${listingJson(sql, this.siteUrl, false)} as item, ${key.expression}::text as key
        from catalog.scholarships s join catalog.provider_orgs o on o.id = s.provider_org_id
        where ${and(sql, cursor ? [...where, cursor] : where)}
        order by ${orderBy(sql, key.expression, key.descending, sql`s.id`)}
        limit ${limit + 1}`,
      sql<Array<{ total: number }>>`select count(*)::int as total from catalog.scholarships s where ${and(sql, where)}`,
    ]);
    return this.paginate(page, limit, sort, count[0]?.total ?? 0, (item) => item as ListingSummary);
  }

  /**
   * GET /v1/search and GET /v1/scholarships?q=: full text over the weighted
   * search_vector in one statement: the matches (GIN), their total and
   * facets, and one page with highlights. Ranking is bounded: only the
   * `rankCandidates` matches that fit the query best by the cheap title and
   * summary test are scored with ts_rank (see docs/catalog-search.md).
   */
  async search(text: string, filters: Discovery, withFacets: boolean): Promise<SearchPage> {
    const { sql } = this;
    const sort: SortName = filters.sort ?? 'relevance';
    const limit = filters.limit ?? DEFAULT_LIMIT;
    const tsquery = sql`websearch_to_tsquery('catalog.bursary_en'::regconfig, ${text})`;
    const key = sortKey(sql, sort, sql`ts_rank(s.search_vector, q.query, 1)`);
    const cursor = this.cursorCondition(filters, sort, { ...key, expression: sql`m.sort_key` }, sql`m.id`);
    const where = and(sql, [...discoveryFilters(sql, filters), sql`s.search_vector @@ q.query`]);
    const rows = await sql<Array<{ total: number; page: PageRow[]; facets: RawFacets | null }>>`
      with q as materialized (select ${tsquery} as query),
      matched as materialized (
        select s.id, s.education_levels, s.fields_of_study, s.states, s.award_max_minor, s.renewable, s.essay_required,
               ${key.expression} as sort_key
        from catalog.scholarships s, q
        where ${where}
      ),
      page as (
        select m.id, m.sort_key from matched m
        ${cursor ? sql`where ${cursor}` : sql``}
        order by ${orderBy(sql, sql`m.sort_key`, key.descending, sql`m.id`)}
        limit ${limit + 1}
      )
      select
        (select count(*)::int from matched) as total,
        (select coalesce(json_agg(json_build_object(
            'item', json_build_object(
              'listing', ${listingJson(sql, this.siteUrl, false)},
              'title', ts_headline('catalog.bursary_en'::regconfig, s.title, q.query, ${TITLE_HEADLINE_OPTIONS}),
              'snippet', ts_headline('catalog.bursary_en'::regconfig, s.summary || ' ' || s.description, q.query, ${SNIPPET_HEADLINE_OPTIONS})),
            'key', p.sort_key::text) order by ${orderBy(sql, sql`p.sort_key`, key.descending, sql`p.id`)}), '[]'::json)
         from page p
         join catalog.scholarships s on s.id = p.id
         join catalog.provider_orgs o on o.id = s.provider_org_id, q) as page,
        ${withFacets ? facetsJson(sql) : sql`null::json`} as facets`;
    const row = rows[0]!;
    const page = this.paginate(row.page, limit, sort, row.total, (item) => item as SearchHit);
    return { ...page, facets: row.facets ?? emptyFacets() };
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

function emptyFacets(): RawFacets {
  return { educationLevels: {}, fieldsOfStudy: {}, states: {}, amount: {}, renewable: {}, essayRequired: {} };
}
