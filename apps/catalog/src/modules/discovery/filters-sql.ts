import type { PendingQuery, Row, Sql } from 'postgres';
import type { Discovery } from './discovery-query.js';

type Fragment = PendingQuery<Row[]>;

/** `a and b and c` from fragments. */
export function and(sql: Sql, parts: readonly Fragment[]): Fragment {
  return parts.reduce((all, part) => sql`${all} and ${part}`);
}

/**
 * The WHERE conditions of the public list and search over `s`. Only
 * published listings, and by default only those still open. State, level
 * and field mean "open to": a listing with no restriction matches too, and
 * the facets count the same way, so a facet's count is what its filter returns.
 */
export function discoveryFilters(sql: Sql, filters: Discovery): Fragment[] {
  const parts: Fragment[] = [sql`s.status = 'published'`];
  // Written as the deadline sort key, so the deadline-ordered index range-scans from today.
  if (!filters.includeExpired) parts.push(sql`coalesce(s.deadline, 'infinity'::date) >= current_date`);
  if (filters.minAmount !== undefined) parts.push(sql`coalesce(s.award_max_minor, s.award_min_minor, 0) >= ${filters.minAmount}`);
  if (filters.maxAmount !== undefined) parts.push(sql`coalesce(s.award_min_minor, s.award_max_minor, 0) <= ${filters.maxAmount}`);
  if (filters.deadlineFrom !== undefined) parts.push(sql`s.deadline >= ${filters.deadlineFrom}::date`);
  if (filters.deadlineTo !== undefined) parts.push(sql`s.deadline <= ${filters.deadlineTo}::date`);
  if (filters.state !== undefined) parts.push(sql`(s.states = '{}' or s.states @> array[${filters.state}]::text[])`);
  if (filters.level !== undefined) parts.push(sql`(s.education_levels = '{}' or s.education_levels @> array[${filters.level}]::text[])`);
  if (filters.field !== undefined) parts.push(sql`(s.fields_of_study = '{}' or s.fields_of_study @> array[${filters.field}]::text[])`);
  if (filters.gpa !== undefined) parts.push(sql`(s.min_gpa is null or s.min_gpa <= ${filters.gpa})`);
  if (filters.renewable !== undefined) parts.push(sql`s.renewable = ${filters.renewable}`);
  if (filters.essay !== undefined) parts.push(sql`s.essay_required = ${filters.essay}`);
  return parts;
}
