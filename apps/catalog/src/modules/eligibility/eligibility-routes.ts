import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { CatalogErrors } from '../catalog-errors.js';
import type { DiscoveryService } from '../discovery/discovery-service.js';
import { problems } from '../http-schemas.js';
import { EligibilityResult } from './eligibility-schema.js';
import { evaluateEligibility } from './evaluate-eligibility.js';
import { StudentProfile } from './student-profile.js';

export interface EligibilityRoutesOptions {
  discovery: DiscoveryService;
  today: () => string;
}

/**
 * POST /v1/eligibility (R-CAT-1): public, so the profile comes in the body
 * (the gateway forwards no identity on public routes); signed-in students
 * get the same evaluation from their stored profile in recommendations.
 */
export async function eligibilityRoutes(app: ServiceInstance, { discovery, today }: EligibilityRoutesOptions): Promise<void> {
  app.post(
    '/v1/eligibility',
    {
      schema: {
        summary: 'Check a student profile against one scholarship, criterion by criterion',
        tags: ['catalog'],
        body: Type.Object(
          {
            scholarshipId: Type.String({ minLength: 1, maxLength: 200, description: 'the scholarship id or slug' }),
            profile: StudentProfile,
          },
          { additionalProperties: false },
        ),
        response: { 200: EligibilityResult, ...problems(400, 404) },
      },
    },
    async (request) => {
      const listing = await discovery.findPublished(request.body.scholarshipId);
      if (!listing) throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
      return { scholarshipId: listing.id, ...evaluateEligibility(listing, request.body.profile, today()) };
    },
  );
}
