import { DEMOGRAPHIC_TAGS, FIELDS_OF_STUDY } from '@bursary/catalog-taxonomy';
import type { Criterion, Eligibility } from '../eligibility/evaluate-eligibility.js';
import type { StudentProfile } from '../eligibility/student-profile.js';
import type { ListingSummary } from '../listings/listing-schema.js';

/**
 * What a satisfied restriction says about fit: a listing reserved for the
 * student's own field or group is a far better match than one open to all.
 */
const WEIGHTS: Partial<Record<Criterion, number>> = {
  fieldOfStudy: 30,
  demographic: 20,
  residency: 10,
  educationLevel: 6,
  minGpa: 6,
  financialNeed: 6,
  citizenship: 2,
};
const BASE = 30;
const UNKNOWN_PENALTY = 8;

export interface Match {
  score: number;
  reasons: string[];
}

const names = (codes: readonly string[], labels: Record<string, string>) => codes.map((code) => labels[code] ?? code).join(', ');

/**
 * A match score from 0 to 100 with the reasons behind it, from the
 * eligibility evaluation of a listing the student is not ineligible for.
 */
export function scoreMatch(listing: ListingSummary, profile: StudentProfile, eligibility: Eligibility): Match {
  let score = BASE;
  const reasons: string[] = [];
  for (const result of eligibility.criteria) {
    const weight = WEIGHTS[result.criterion] ?? 0;
    if (result.status === 'eligible' && weight > 0) {
      score += weight;
      reasons.push(result.reason);
    } else if (result.status === 'unknown') {
      score -= UNKNOWN_PENALTY;
      reasons.push(result.reason);
    }
  }
  const criteria = listing.eligibility;
  if (criteria.fieldsOfStudy.length === 0 && profile.fieldsOfStudy && profile.fieldsOfStudy.length > 0) {
    reasons.push(`Open to every field, including ${names(profile.fieldsOfStudy, FIELDS_OF_STUDY)}.`);
  }
  if (criteria.demographicTags.length > 0 && eligibility.criteria.some((r) => r.criterion === 'demographic' && r.status === 'eligible')) {
    reasons.push(`Reserved for ${names(criteria.demographicTags, DEMOGRAPHIC_TAGS)}.`);
  }
  if (listing.renewable) {
    score += 4;
    reasons.push('Renewable: it can pay out again in later years.');
  }
  return { score: Math.max(0, Math.min(100, score)), reasons };
}
