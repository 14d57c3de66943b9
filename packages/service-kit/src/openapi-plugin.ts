import swagger from '@fastify/swagger';
import { ProblemDetails } from '@bursary/errors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface OpenApiOptions {
  service: string;
  version: string;
  description: string;
}

/**
 * OpenAPI 3 generated from the TypeBox route schemas (DESIGN.md §3.6), served
 * at /openapi.json for the gateway's aggregated /docs.
 */
async function openApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  app.addSchema(ProblemDetails);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `Bursary ${options.service} API`, version: options.version, description: options.description },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export const openApiPlugin = fp(openApi, { name: '@bursary/openapi', fastify: '5.x' });
