import { CITIZENSHIP_STATUSES, DEMOGRAPHIC_TAGS, EDUCATION_LEVELS, FIELDS_OF_STUDY, US_STATES } from '@bursary/catalog-taxonomy';
import type { EligibilityCriteria } from '../listings/listing-schema.js';
import type { ProfileField, StudentProfile } from './student-profile.js';

export type Verdict = 'eligible' | 'ineligible' | 'unknown';

export type Criterion = 'open' | 'deadline' | 'minGpa' | 'educationLevel' | 'fieldOfStudy' | 'residency' | 'citizenship' | 'demographic' | 'financialNeed';

export interface CriterionResult {
  criterion: Criterion;
  status: Verdict;
  reason: string;
  /** The profile field that would settle an `unknown`. */
  profileField?: ProfileField;
}

export interface Eligibility {
  status: Verdict;
  criteria: CriterionResult[];
  /** Profile fields to fill in to settle every `unknown` criterion. */
  missingProfileFields: ProfileField[];
}

export interface EligibilityListing {
  status: string;
  deadline: string | null;
  eligibility: EligibilityCriteria;
}

const names = (codes: readonly string[], labels: Record<string, string>) => codes.map((code) => labels[code] ?? code).join(', ');
const gpa = (value: number) => value.toFixed(2);

/** One "any of these" criterion: a list on the listing against the student's answer (one value or several). */
function anyOf(
  criterion: Criterion,
  profileField: ProfileField,
  required: readonly string[],
  answer: string | readonly string[] | null | undefined,
  labels: Record<string, string>,
  wording: { what: string; unknown: string },
): CriterionResult | undefined {
  if (required.length === 0) return undefined;
  const answers = answer === null || answer === undefined ? [] : typeof answer === 'string' ? [answer] : answer;
  if (answers.length === 0) {
    return { criterion, status: 'unknown', profileField, reason: `${wording.unknown} Open to: ${names(required, labels)}.` };
  }
  const matching = answers.filter((value) => required.includes(value));
  if (matching.length > 0) return { criterion, status: 'eligible', reason: `Your ${wording.what} (${names(matching, labels)}) qualifies.` };
  return { criterion, status: 'ineligible', reason: `Open only to ${names(required, labels)}; your ${wording.what} is ${names(answers, labels)}.` };
}

/**
 * Eligibility per criterion (R-CAT-1): each restriction of the listing is
 * eligible, ineligible or unknown (the profile does not say), with a reason
 * a student can read. Overall: ineligible if any criterion is, else unknown
 * if any is ("complete your profile"), else eligible. `today` is YYYY-MM-DD.
 */
export function evaluateEligibility(listing: EligibilityListing, profile: StudentProfile, today: string): Eligibility {
  const criteria = listing.eligibility;
  const results: CriterionResult[] = [];
  const add = (result: CriterionResult | undefined) => result && results.push(result);

  if (listing.status !== 'published') add({ criterion: 'open', status: 'ineligible', reason: 'This scholarship is no longer accepting applications.' });
  if (listing.deadline !== null) {
    add(
      listing.deadline < today
        ? { criterion: 'deadline', status: 'ineligible', reason: `The deadline (${listing.deadline}) has passed.` }
        : { criterion: 'deadline', status: 'eligible', reason: `Applications are open until ${listing.deadline}.` },
    );
  }
  if (criteria.minGpa !== null) {
    const min = criteria.minGpa;
    const own = profile.gpa;
    add(
      own === null || own === undefined
        ? { criterion: 'minGpa', status: 'unknown', profileField: 'gpa', reason: `Add your GPA to your profile: a GPA of at least ${gpa(min)} is required.` }
        : own >= min
          ? { criterion: 'minGpa', status: 'eligible', reason: `Your GPA ${gpa(own)} meets the minimum of ${gpa(min)}.` }
          : { criterion: 'minGpa', status: 'ineligible', reason: `Requires a GPA of at least ${gpa(min)}; yours is ${gpa(own)}.` },
    );
  }
  add(anyOf('educationLevel', 'educationLevel', criteria.educationLevels, profile.educationLevel, EDUCATION_LEVELS, { what: 'education level', unknown: 'Add your education level to your profile.' }));
  add(anyOf('fieldOfStudy', 'fieldsOfStudy', criteria.fieldsOfStudy, profile.fieldsOfStudy, FIELDS_OF_STUDY, { what: 'field of study', unknown: 'Add your field of study to your profile.' }));
  add(anyOf('residency', 'state', criteria.states, profile.state, US_STATES, { what: 'state of residence', unknown: 'Add your state of residence to your profile.' }));
  add(anyOf('citizenship', 'citizenship', criteria.citizenship, profile.citizenship, CITIZENSHIP_STATUSES, { what: 'citizenship status', unknown: 'Add your citizenship status to your profile.' }));
  add(anyOf('demographic', 'demographicTags', criteria.demographicTags, profile.demographicTags, DEMOGRAPHIC_TAGS, { what: 'background', unknown: 'Tell us about your background in your profile.' }));
  if (criteria.needBased) {
    const need = profile.financialNeed;
    add(
      need === null || need === undefined
        ? { criterion: 'financialNeed', status: 'unknown', profileField: 'financialNeed', reason: 'Tell us in your profile whether you have demonstrated financial need: this award is need-based.' }
        : need
          ? { criterion: 'financialNeed', status: 'eligible', reason: 'You have demonstrated financial need.' }
          : { criterion: 'financialNeed', status: 'ineligible', reason: 'This award requires demonstrated financial need.' },
    );
  }

  const status: Verdict = results.some((r) => r.status === 'ineligible') ? 'ineligible' : results.some((r) => r.status === 'unknown') ? 'unknown' : 'eligible';
  const missingProfileFields = [...new Set(results.flatMap((r) => (r.status === 'unknown' && r.profileField ? [r.profileField] : [])))];
  return { status, criteria: results, missingProfileFields };
}
