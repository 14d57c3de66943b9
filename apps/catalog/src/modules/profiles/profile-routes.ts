import type { ServiceInstance } from '@bursary/service-kit';
import { requireUser } from '../../plugins/caller.js';
import { StudentProfile } from '../eligibility/student-profile.js';
import { problems } from '../http-schemas.js';
import type { ProfileRepository } from './profile-repository.js';

export interface ProfileRoutesOptions {
  profiles: ProfileRepository;
}

/** The signed-in student's eligibility profile (what recommendations match on). */
export async function profileRoutes(app: ServiceInstance, { profiles }: ProfileRoutesOptions): Promise<void> {
  app.get(
    '/v1/profile',
    {
      schema: { summary: "The signed-in student's eligibility profile", tags: ['students'], security: [{ bearerAuth: [] }], response: { 200: StudentProfile, ...problems(401) } },
    },
    async (request) => (await profiles.get(requireUser(request))) ?? {},
  );

  app.put(
    '/v1/profile',
    {
      schema: {
        summary: "Replace the signed-in student's eligibility profile",
        tags: ['students'],
        security: [{ bearerAuth: [] }],
        body: StudentProfile,
        response: { 200: StudentProfile, ...problems(400, 401) },
      },
    },
    async (request) => {
      const userId = requireUser(request);
      await profiles.put(userId, request.body);
      return (await profiles.get(userId)) ?? {};
    },
  );
}
