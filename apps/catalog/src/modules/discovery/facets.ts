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

/**
 * Every facet's counts over the CTE `matched` in one pass: each listing's
 * generated `facet_keys` ("l:undergraduate", "s:*", "a:1000_4999", …,
 * migration 0008) are unnested and counted together, as one JSON object.
 */
export function facetsJson(sql: Sql) {
  // unnest in the select list (a ProjectSet) costs less per row than a lateral function scan.
  return sql`(select coalesce(json_object_agg(v, n), '{}'::json) from (select v, count(*) as n from (select unnest(facet_keys) as v from matched) keys group by v) f)`;
}

const PREFIXES = { l: 'educationLevels', f: 'fieldsOfStudy', s: 'states', a: 'amount', r: 'renewable', e: 'essayRequired' } as const;

/** The one-pass counts split back into facets by their key prefix. */
export function splitFacetCounts(counts: Record<string, number>): RawFacets {
  const raw: RawFacets = { educationLevels: {}, fieldsOfStudy: {}, states: {}, amount: {}, renewable: {}, essayRequired: {} };
  for (const [key, count] of Object.entries(counts)) {
    const facet = PREFIXES[key.slice(0, 1) as keyof typeof PREFIXES];
    if (facet && key[1] === ':') raw[facet][key.slice(2)] = count;
  }
  return raw;
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
