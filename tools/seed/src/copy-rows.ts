import type { SeedListing } from './listing-generator.js';

/** The catalog.scholarships columns the seeder writes, in COPY order. */
export const LISTING_COLUMNS = [
  'slug', 'provider_org_id', 'title', 'summary', 'description', 'keywords', 'award_min_minor', 'award_max_minor', 'currency',
  'awards_count', 'deadline', 'renewable', 'essay_required', 'application_url', 'status', 'min_gpa', 'education_levels',
  'fields_of_study', 'states', 'citizenship', 'demographic_tags', 'need_based', 'merit_based', 'verified_at', 'published_at',
  'closed_at', 'created_at', 'updated_at',
] as const;

/** A CSV field: NULL is an unquoted empty field, text is always quoted (so '' stays an empty string). */
function field(value: string | number | boolean | null | readonly string[]): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value) ? `{${value.join(',')}}` : (value as string);
  return `"${text.replaceAll('"', '""')}"`;
}

/** One listing as a line of `COPY … (FORMAT csv)`. */
export function csvLine(row: SeedListing): string {
  return [
    row.slug, row.providerOrgId, row.title, row.summary, row.description, row.keywords, row.awardMinMinor, row.awardMaxMinor, row.currency,
    row.awardsCount, row.deadline, row.renewable, row.essayRequired, row.applicationUrl, row.status, row.minGpa, row.educationLevels,
    row.fieldsOfStudy, row.states, row.citizenship, row.demographicTags, row.needBased, row.meritBased, row.verifiedAt, row.publishedAt,
    row.closedAt, row.createdAt, row.updatedAt,
  ]
    .map(field)
    .join(',')
    .concat('\n');
}
