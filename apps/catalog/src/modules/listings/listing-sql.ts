import type { Sql } from 'postgres';

/**
 * One listing as a JSON object, built by Postgres (aliases `s` scholarships,
 * `o` provider_orgs). Building it in SQL keeps a page of results to one
 * round trip and one column, and gives ISO 8601 timestamps as JSON does.
 */
export function listingJson(sql: Sql, siteUrl: string, withDescription: boolean) {
  return sql`json_build_object(
    'id', s.id, 'slug', s.slug, 'url', ${`${siteUrl}/scholarships/`}::text || s.slug,
    'title', s.title, 'summary', s.summary,
    ${withDescription ? sql`'description', s.description,` : sql``}
    'provider', json_build_object('id', o.id, 'name', o.name),
    'award', json_build_object('minMinor', s.award_min_minor, 'maxMinor', s.award_max_minor, 'currency', s.currency),
    'awardsCount', s.awards_count, 'deadline', s.deadline, 'renewable', s.renewable, 'essayRequired', s.essay_required,
    'applicationUrl', s.application_url, 'status', s.status,
    'verifiedAt', s.verified_at, 'publishedAt', s.published_at, 'updatedAt', s.updated_at,
    'eligibility', json_build_object(
      'minGpa', s.min_gpa, 'educationLevels', s.education_levels, 'fieldsOfStudy', s.fields_of_study, 'states', s.states,
      'citizenship', s.citizenship, 'demographicTags', s.demographic_tags, 'needBased', s.need_based, 'meritBased', s.merit_based))`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/v1/scholarships/:id` and the pages accept an id or a slug. */
export function idOrSlug(sql: Sql, key: string) {
  return UUID.test(key) ? sql`s.id = ${key}::uuid` : sql`s.slug = ${key}`;
}
