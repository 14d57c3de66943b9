import type { PendingQuery, Row, Sql } from 'postgres';
import { CatalogErrors } from '../catalog-errors.js';
import type { SortName } from './discovery-query.js';

type Fragment = PendingQuery<Row[]>;

export interface SortKey {
  /** The key expression over `s` (scholarships) and, for relevance, the tsquery. */
  expression: Fragment;
  /** The cursor's text key back to the key's type. */
  cast: (key: string) => Fragment;
  /** Whether a text key is one this sort could have issued (bad cursors are 400, never a SQL error). */
  valid: (key: string) => boolean;
  descending: boolean;
}

/**
 * Each sort orders by (key, id) in one direction, so the keyset condition is
 * one row comparison and the expression indexes of migration 0004
 * (coalesce(deadline, 'infinity'), coalesce(award_max_minor, -1),
 * published_at) serve the list without a sort step.
 */
export function sortKey(sql: Sql, sort: SortName, rank: Fragment | undefined): SortKey {
  switch (sort) {
    case 'deadline':
      return {
        expression: sql`coalesce(s.deadline, 'infinity'::date)`,
        cast: (key) => sql`${key}::date`,
        valid: (key) => key === 'infinity' || /^\d{4}-\d{2}-\d{2}$/.test(key),
        descending: false,
      };
    case 'amount':
      return {
        expression: sql`coalesce(s.award_max_minor, -1)`,
        cast: (key) => sql`${key}::integer`,
        valid: (key) => /^-?\d{1,10}$/.test(key),
        descending: true,
      };
    case 'newest':
      return {
        expression: sql`s.published_at`,
        cast: (key) => sql`${key}::timestamptz`,
        valid: (key) => /^\d{4}-\d{2}-\d{2}[ T][\d:.]+([+-]\d{2}(:?\d{2})?|Z)$/.test(key),
        descending: true,
      };
    case 'relevance':
      if (!rank) throw CatalogErrors.CATALOG_INVALID_CURSOR({ detail: 'sort=relevance needs a query (q).' });
      return {
        expression: rank,
        cast: (key) => sql`${key}::real`,
        valid: (key) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(key),
        descending: true,
      };
  }
}

export function orderBy(sql: Sql, key: Fragment, descending: boolean, id: Fragment): Fragment {
  return descending ? sql`${key} desc, ${id} desc` : sql`${key} asc, ${id} asc`;
}

/** The keyset condition "after the cursor" in the sort's direction. */
export function afterCursor(sql: Sql, key: Fragment, id: Fragment, descending: boolean, cursorKey: Fragment, cursorId: string): Fragment {
  return descending ? sql`(${key}, ${id}) < (${cursorKey}, ${cursorId}::uuid)` : sql`(${key}, ${id}) > (${cursorKey}, ${cursorId}::uuid)`;
}
