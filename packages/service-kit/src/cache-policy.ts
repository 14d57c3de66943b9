import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A route's caching class (R-HDR-1), declared in its config when the path
 * rule below does not fit: `config: { cachePolicy: 'page' }`.
 * - `no-store`: an API response; `Cache-Control: no-store` unless the handler set one.
 * - `page`: a public page (SEO); we never add `no-store`, its own headers decide.
 */
export type CachePolicy = 'no-store' | 'page';

/**
 * The public pages crawlers must be able to cache (R-CAT-4): one scholarship
 * page, robots.txt, the sitemap and its parts. Only a matched route that
 * answered below 400 is a page: `/scholarships/a/b`, a 404 or an edge
 * refusal on one of these paths is an error like any other.
 */
const PAGE_PATH = /^\/(?:robots\.txt|sitemap(?:-[A-Za-z0-9_-]+)?\.xml|scholarships\/[^/]+)$/;
/** The API proper and the health endpoints: never stored by any cache; nor is any error. */
const API_PATH = /^\/(?:v1(?:\/|$)|healthz$|readyz$)/;

/** Which cache class a finished request falls in; `undefined`: we add nothing. */
export function cachePolicyOf(request: FastifyRequest, reply: FastifyReply): CachePolicy | undefined {
  const declared = request.routeOptions.config.cachePolicy;
  if (declared) return declared;
  const path = request.url.split('?', 1)[0] ?? '';
  const matched = request.routeOptions.url !== undefined;
  if (reply.statusCode >= 400) return 'no-store';
  if (matched && PAGE_PATH.test(path)) return 'page';
  return API_PATH.test(path) ? 'no-store' : undefined;
}

/**
 * `Cache-Control: no-store` on API responses only (R-HDR-1): `/v1/*`, health
 * and error responses; never on SEO pages, robots.txt or sitemaps. A
 * Cache-Control already on the reply (set by a handler, or an upstream's own
 * header passed through the gateway) is an explicit choice and is kept.
 */
async function cachePolicy(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.hasHeader('cache-control')) return payload;
    if (cachePolicyOf(request, reply) === 'no-store') reply.header('cache-control', 'no-store');
    return payload;
  });
}

export const cachePolicyPlugin = fp(cachePolicy, { name: '@bursary/cache-policy', fastify: '5.x' });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** R-HDR-1: overrides the path rule of the cache policy for this route. */
    cachePolicy?: CachePolicy;
  }
}
