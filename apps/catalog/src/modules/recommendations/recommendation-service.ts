import { evaluateEligibility, type Eligibility } from '../eligibility/evaluate-eligibility.js';
import type { StudentProfile } from '../eligibility/student-profile.js';
import type { ListingSummary } from '../listings/listing-schema.js';
import type { ProfileRepository } from '../profiles/profile-repository.js';
import type { RecommendationRepository } from './recommendation-repository.js';
import { scoreMatch } from './score-match.js';

export interface Recommendation {
  scholarship: ListingSummary;
  matchScore: number;
  reasons: string[];
  /** `unknown`: the profile does not settle every criterion yet. */
  eligibility: Exclude<Eligibility['status'], 'ineligible'>;
}

export interface Recommendations {
  items: Recommendation[];
  /** Profile fields whose answers would settle unknown criteria of these recommendations. */
  missingProfileFields: string[];
}

const PROFILE_FIELDS: ReadonlyArray<keyof StudentProfile> = ['gpa', 'educationLevel', 'fieldsOfStudy', 'state', 'citizenship', 'demographicTags', 'financialNeed'];

/** Recommendations for a signed-in student (R-CAT-1): eligible or possibly eligible listings, best match first. */
export class RecommendationService {
  constructor(
    private readonly profiles: ProfileRepository,
    private readonly repository: RecommendationRepository,
    private readonly today: () => string,
  ) {}

  async recommend(userId: string, limit: number): Promise<Recommendations> {
    const profile = (await this.profiles.get(userId)) ?? {};
    const today = this.today();
    const scored = (await this.repository.candidates(profile))
      .map((listing) => ({ listing, eligibility: evaluateEligibility(listing, profile, today) }))
      .flatMap(({ listing, eligibility }) =>
        eligibility.status === 'ineligible' ? [] : [{ listing, eligibility, status: eligibility.status, match: scoreMatch(listing, profile, eligibility) }],
      )
      .sort((a, b) => b.match.score - a.match.score || (a.listing.deadline ?? '9999').localeCompare(b.listing.deadline ?? '9999') || a.listing.id.localeCompare(b.listing.id))
      .slice(0, limit);
    const unanswered = PROFILE_FIELDS.filter((field) => profile[field] === undefined || profile[field] === null);
    return {
      items: scored.map(({ listing, status, match }) => ({ scholarship: listing, matchScore: match.score, reasons: match.reasons, eligibility: status })),
      missingProfileFields: unanswered,
    };
  }
}
