import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { requireUser } from '../../plugins/caller.js';
import { problems } from '../http-schemas.js';
import { ListingSummary } from '../listings/listing-schema.js';
import type { RecommendationService } from './recommendation-service.js';

const Recommendations = Type.Object({
  items: Type.Array(
    Type.Object({
      scholarship: ListingSummary,
      matchScore: Type.Integer({ minimum: 0, maximum: 100 }),
      reasons: Type.Array(Type.String()),
      eligibility: Type.Union([Type.Literal('eligible'), Type.Literal('unknown')], { description: 'unknown: complete your profile to be sure' }),
    }),
  ),
  missingProfileFields: Type.Array(Type.String(), { description: 'profile fields not answered yet; answering them sharpens the matches' }),
});

export async function recommendationRoutes(app: ServiceInstance, { service }: { service: RecommendationService }): Promise<void> {
  app.get(
    '/v1/recommendations',
    {
      schema: {
        summary: 'Scholarships matching the signed-in student, with a match score and the reasons',
        tags: ['students'],
        security: [{ bearerAuth: [] }],
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) }),
        response: { 200: Recommendations, ...problems(400, 401) },
      },
    },
    async (request) => service.recommend(requireUser(request), request.query.limit ?? 10),
  );
}
