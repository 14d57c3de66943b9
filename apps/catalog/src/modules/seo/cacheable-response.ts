import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';

export interface Cacheable {
  body: string;
  contentType: string;
  lastModified: Date;
  /** Cache-Control max-age in seconds. */
  maxAgeSeconds: number;
}

/**
 * A public, cacheable answer (R-CAT-4, R-HDR-1): `Cache-Control: public`
 * (never no-store), a strong ETag over the body and Last-Modified; a request
 * whose If-None-Match / If-Modified-Since still holds gets 304 without a
 * body (RFC 9110 §13; `fresh` is the check Express uses).
 */
export function sendCacheable(request: FastifyRequest, reply: FastifyReply, response: Cacheable): FastifyReply {
  const etag = `"${createHash('sha256').update(response.body).digest('base64url').slice(0, 32)}"`;
  const lastModified = new Date(Math.floor(response.lastModified.getTime() / 1000) * 1000).toUTCString();
  reply
    .header('cache-control', `public, max-age=${response.maxAgeSeconds}, stale-while-revalidate=86400`)
    .header('etag', etag)
    .header('last-modified', lastModified)
    .header('vary', 'accept-encoding');
  if (fresh(request.headers, { etag, 'last-modified': lastModified })) return reply.code(304).send();
  return reply.type(response.contentType).send(response.body);
}
