import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CommonErrors } from './common-errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { RouteIndex } from './route-index.js';
import { sendProblem } from './send-problem.js';
import { toAppError } from './to-problem.js';

/**
 * The error boundary (R-ERR-1..3). Registered first on the root instance, so
 * every route and every hook, including onRequest hooks of later plugins,
 * reports through it, and unmatched requests get 404 or 405 problem+json.
 */
async function errorBoundary(app: FastifyInstance): Promise<void> {
  const routes = new RouteIndex();
  app.addHook('onRoute', (route) => {
    routes.add(route.method, route.url ?? route.path);
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: error, code: appError.code }, 'request failed');
    } else {
      request.log.info({ code: appError.code, reason: error.message }, 'request rejected');
    }
    return sendProblem(request, reply, appError);
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = routes.allowedMethods(request.url);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return sendProblem(
        request,
        reply,
        CommonErrors.METHOD_NOT_ALLOWED({
          detail: `${request.method} is not allowed here; use ${allowed.join(', ')}.`,
          headers: { allow: allowed.join(', ') },
        }),
      );
    }
    return sendProblem(request, reply, CommonErrors.NOT_FOUND({ detail: `No route for ${request.method} ${request.url.split('?')[0]}.` }));
  });
}

export const errorBoundaryPlugin = fp(errorBoundary, { name: '@bursary/errors', fastify: '5.x' });
