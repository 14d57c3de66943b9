import type { Sql } from 'postgres';
import { and, discoveryFilters } from '../discovery/filters-sql.js';
import type { StudentProfile } from '../eligibility/student-profile.js';
import { listingJson } from '../listings/listing-sql.js';
import type { ListingSummary } from '../listings/listing-schema.js';

/** Per source of candidates: enough to fill a page after the ineligible are dropped. */
const PER_SOURCE = 150;

/**
 * Candidates for one student's recommendations, from three index-backed
 * sources: listings of the student's fields (GIN on fields_of_study), of the
 * student's groups (GIN on demographic_tags), and listings open to anyone.
 * Criteria the profile already settles (GPA, level, state, citizenship) are
 * applied in SQL with the list's "open to" semantics; scoring and reasons are
 * the eligibility evaluator's.
 */
export class RecommendationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly siteUrl: string,
  ) {}

  async candidates(profile: StudentProfile): Promise<ListingSummary[]> {
    const { sql } = this;
    const settled = discoveryFilters(sql, {
      gpa: profile.gpa ?? undefined,
      level: profile.educationLevel ?? undefined,
      state: profile.state ?? undefined,
    });
    if (profile.citizenship) settled.push(sql`(s.citizenship = '{}' or s.citizenship @> array[${profile.citizenship}]::text[])`);
    const where = and(sql, settled);
    const soonest = sql`order by coalesce(s.deadline, 'infinity'::date), s.id limit ${PER_SOURCE}`;
    const sources = [sql`(select s.id from catalog.scholarships s where ${where} and s.fields_of_study = '{}' ${soonest})`];
    if (profile.fieldsOfStudy && profile.fieldsOfStudy.length > 0) {
      sources.push(sql`(select s.id from catalog.scholarships s where ${where} and s.fields_of_study && ${profile.fieldsOfStudy}::text[] ${soonest})`);
    }
    if (profile.demographicTags && profile.demographicTags.length > 0) {
      sources.push(sql`(select s.id from catalog.scholarships s where ${where} and s.demographic_tags && ${profile.demographicTags}::text[] ${soonest})`);
    }
    const union = sources.reduce((all, source) => sql`${all} union ${source}`);
    const rows = await sql<Array<{ item: ListingSummary }>>`
      select ${listingJson(sql, this.siteUrl, false)} as item
      from catalog.scholarships s join catalog.provider_orgs o on o.id = s.provider_org_id
      where s.id in (${union})`;
    return rows.map((row) => row.item);
  }
}
