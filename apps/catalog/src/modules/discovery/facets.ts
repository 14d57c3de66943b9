import { EDUCATION_LEVELS, FIELDS_OF_STUDY, US_STATES } from '@bursary/catalog-taxonomy';
import type { Sql } from 'postgres';
import { Type, type Static } from 'typebox';

/** The marker of "no restriction" in the raw counts: such a listing is open to every value. */
const ANY = '*';

const AMOUNT_BANDS = {
  under_1000: 'Under $1,000',
  '1000_4999': '$1,000 – $4,999',
  '5000_9999': '$5,000 – $9,999',
  '10000_plus': '$10,000 or more',
  unspecified: 'Amount varies',
} as const;

const FacetValue = Type.Object({ value: Type.String(), label: Type.String(), count: Type.Integer() });
export const Facets = Type.Object({
  educationLevels: Type.Array(FacetValue),
  fieldsOfStudy: Type.Array(FacetValue),
  states: Type.Array(FacetValue),
  amount: Type.Array(FacetValue),
  renewable: Type.Array(FacetValue),
  essayRequired: Type.Array(FacetValue),
});
export type Facets = Static<typeof Facets>;
type FacetValue = Static<typeof FacetValue>;

type RawCounts = Record<string, number>;
export interface RawFacets {
  educationLevels: RawCounts;
  fieldsOfStudy: RawCounts;
  states: RawCounts;
  amount: RawCounts;
  renewable: RawCounts;
  essayRequired: RawCounts;
}

/** Facet counts over the CTE `matched` in one pass per facet, as one JSON value. */
export function facetsJson(sql: Sql) {
  const listCounts = (column: string) => sql`(
    select coalesce(json_object_agg(v, n), '{}'::json) from (
      select v, count(*) as n
      from matched, unnest(case when cardinality(${sql(column)}) = 0 then array[${ANY}]::text[] else ${sql(column)} end) as v
      group by v) f)`;
  const scalarCounts = (expression: ReturnType<Sql>) => sql`(
    select coalesce(json_object_agg(v, n), '{}'::json) from (select ${expression} as v, count(*) as n from matched group by 1) f)`;
  return sql`json_build_object(
    'educationLevels', ${listCounts('education_levels')},
    'fieldsOfStudy', ${listCounts('fields_of_study')},
    'states', ${listCounts('states')},
    'amount', ${scalarCounts(sql`case
        when award_max_minor is null then 'unspecified'
        when award_max_minor < 100000 then 'under_1000'
        when award_max_minor < 500000 then '1000_4999'
        when award_max_minor < 1000000 then '5000_9999'
        else '10000_plus' end`)},
    'renewable', ${scalarCounts(sql`renewable::text`)},
    'essayRequired', ${scalarCounts(sql`essay_required::text`)})`;
}

function byCount(a: FacetValue, b: FacetValue): number {
  return b.count - a.count || a.label.localeCompare(b.label);
}

/** "Open to" facets: each value counts its own listings plus the unrestricted ones, as its filter would return. */
function openTo(counts: RawCounts, labels: Record<string, string>): FacetValue[] {
  const unrestricted = counts[ANY] ?? 0;
  return Object.entries(counts)
    .filter(([value]) => value !== ANY)
    .map(([value, count]) => ({ value, label: labels[value] ?? value, count: count + unrestricted }))
    .sort(byCount);
}

function labelled(counts: RawCounts, labels: Record<string, string>): FacetValue[] {
  return Object.entries(counts)
    .map(([value, count]) => ({ value, label: labels[value] ?? value, count }))
    .sort(byCount);
}

export function shapeFacets(raw: RawFacets): Facets {
  return {
    educationLevels: openTo(raw.educationLevels, EDUCATION_LEVELS),
    fieldsOfStudy: openTo(raw.fieldsOfStudy, FIELDS_OF_STUDY),
    states: openTo(raw.states, US_STATES),
    amount: labelled(raw.amount, AMOUNT_BANDS),
    renewable: labelled(raw.renewable, { true: 'Renewable', false: 'One-time' }),
    essayRequired: labelled(raw.essayRequired, { true: 'Essay required', false: 'No essay' }),
  };
}
