import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DocsAggregator } from './docs-aggregator.js';

export interface DocsRoutesOptions {
  aggregator: DocsAggregator;
}

/**
 * /docs: Swagger UI over the merged OpenAPI of all services. The UI's assets
 * are bundled in @fastify/swagger-ui and served from here (no CDN), and the
 * external validator badge is off, so the page works offline.
 * /docs/openapi.json and the UI's own /docs/json both serve the merged document.
 */
export async function docsRoutes(app: FastifyInstance, options: DocsRoutesOptions): Promise<void> {
  const merged = new WeakMap<FastifyRequest, Record<string, unknown>>();
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    validatorUrl: false,
    uiConfig: { deepLinking: true, displayRequestDuration: true },
    uiHooks: {
      onRequest: async (request) => {
        merged.set(request, await options.aggregator.get(request.id));
      },
    },
    // The UI asks /docs/json; answer with the merged document, not the gateway's own.
    transformSpecificationClone: false,
    transformSpecification: (_own, request) => merged.get(request) ?? {},
  });
  app.get('/docs/openapi.json', { schema: { hide: true } }, async (request) => options.aggregator.get(request.id));
}
