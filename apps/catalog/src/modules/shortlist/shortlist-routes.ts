import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { requireUser } from '../../plugins/caller.js';
import { CatalogErrors } from '../catalog-errors.js';
import { isTestTraffic } from '../funnel/test-traffic.js';
import { problems, UuidParams } from '../http-schemas.js';
import { ListingSummary } from '../listings/listing-schema.js';
import type { ShortlistRepository } from './shortlist-repository.js';

const Shortlist = Type.Object({
  items: Type.Array(Type.Object({ scholarship: ListingSummary, addedAt: Type.String({ format: 'date-time' }) })),
});

/** The signed-in student's shortlist (R-CAT-2). Adding is a PUT: repeating it changes nothing. */
export async function shortlistRoutes(app: ServiceInstance, { shortlist }: { shortlist: ShortlistRepository }): Promise<void> {
  app.get(
    '/v1/shortlist',
    { schema: { summary: 'The signed-in student\'s shortlist, newest first', tags: ['students'], security: [{ bearerAuth: [] }], response: { 200: Shortlist, ...problems(401) } } },
    async (request) => ({ items: await shortlist.list(requireUser(request)) }),
  );

  app.put(
    '/v1/shortlist/:id',
    {
      schema: {
        summary: 'Add a scholarship to the shortlist (201 the first time, 200 when already there)',
        tags: ['students'],
        security: [{ bearerAuth: [] }],
        params: UuidParams,
        response: { 200: Type.Object({ scholarshipId: Type.String(), added: Type.Boolean() }), 201: Type.Object({ scholarshipId: Type.String(), added: Type.Boolean() }), ...problems(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const userId = requireUser(request);
      const outcome = await shortlist.add(userId, request.params.id);
      if (outcome === 'not_found') throw CatalogErrors.CATALOG_SCHOLARSHIP_NOT_FOUND();
      if (outcome === 'added') {
        app.funnel.record({ type: 'shortlist_added', test: isTestTraffic(request), source: 'api', userId, scholarshipId: request.params.id });
        reply.code(201);
      }
      return { scholarshipId: request.params.id, added: outcome === 'added' };
    },
  );

  app.delete(
    '/v1/shortlist/:id',
    {
      schema: { summary: 'Remove a scholarship from the shortlist', tags: ['students'], security: [{ bearerAuth: [] }], params: UuidParams, response: { 204: Type.Null(), ...problems(400, 401) } },
    },
    async (request, reply) => {
      await shortlist.remove(requireUser(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
