import { DEMOGRAPHIC_TAGS } from './applicant-attributes.js';
import { EDUCATION_LEVELS } from './education-levels.js';
import { FIELDS_OF_STUDY } from './fields-of-study.js';
import { US_STATES } from './us-states.js';

export interface KeywordSource {
  providerName: string;
  educationLevels: readonly string[];
  fieldsOfStudy: readonly string[];
  states: readonly string[];
  demographicTags: readonly string[];
}

const labels = (codes: readonly string[], vocabulary: Record<string, string>) => codes.map((code) => vocabulary[code] ?? '');

/**
 * The lowest-weight part of a listing's search document: its provider and
 * the names behind its criteria codes, so `texas nursing` finds a listing
 * restricted to TX and 51.3801 whose text never says so. The catalog
 * computes it on every write, the seeder for every row.
 */
export function listingKeywords(source: KeywordSource): string {
  return [
    source.providerName,
    ...labels(source.fieldsOfStudy, FIELDS_OF_STUDY),
    ...labels(source.educationLevels, EDUCATION_LEVELS),
    ...labels(source.states, US_STATES),
    ...labels(source.demographicTags, DEMOGRAPHIC_TAGS),
  ]
    .filter((part) => part !== '')
    .join(' ');
}
