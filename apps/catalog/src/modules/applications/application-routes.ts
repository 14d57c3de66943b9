import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { requireUser } from '../../plugins/caller.js';
import { CatalogErrors } from '../catalog-errors.js';
import { isTestTraffic } from '../funnel/test-traffic.js';
import { problems, UuidParams } from '../http-schemas.js';
import { ListingSummary } from '../listings/listing-schema.js';
import type { ApplicationRepository } from './application-repository.js';

const Application = Type.Object({
  id: Type.String({ format: 'uuid' }),
  scholarshipId: Type.String({ format: 'uuid' }),
  status: Type.Union([Type.Literal('started'), Type.Literal('submitted'), Type.Literal('withdrawn')]),
  startedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  scholarship: ListingSummary,
});

/** The signed-in student's applications (R-CAT-2). */
export async function applicationRoutes(app: ServiceInstance, { applications }: { applications: ApplicationRepository }): Promise<void> {
  app.post(
    '/v1/applications',
    {
      schema: {
        summary: 'Start an application (201 the first time; repeating it answers 200 with the same application)',
        tags: ['students'],
        security: [{ bearerAuth: [] }],
        body: Type.Object({ scholarshipId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: Application, 201: Application, ...problems(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const outcome = await applications.start(userId, request.body.scholarshipId);
      if (outcome.kind === 'not_found') throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
      if (outcome.kind === 'not_open') throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_OPEN();
      if (outcome.kind === 'created') {
        app.funnel.record({ type: 'application_started', test: isTestTraffic(request), source: 'api', userId, scholarshipId: request.body.scholarshipId });
        reply.code(201);
      }
      return outcome.application;
    },
  );

  app.get(
    '/v1/applications',
    {
      schema: { summary: "The signed-in student's applications, newest first", tags: ['students'], security: [{ bearerAuth: [] }], response: { 200: Type.Object({ items: Type.Array(Application) }), ...problems(401) } },
    },
    async (request) => ({ items: await applications.list(requireUser(request)) }),
  );

  app.get(
    '/v1/applications/:id',
    {
      schema: { summary: 'One application of the signed-in student', tags: ['students'], security: [{ bearerAuth: [] }], params: UuidParams, response: { 200: Application, ...problems(400, 401, 404) } },
    },
    async (request) => {
      const application = await applications.get(requireUser(request), request.params.id);
      if (!application) throw CatalogErrors.CATALOG_APPLICATION_NOT_FOUND();
      return application;
    },
  );
}
