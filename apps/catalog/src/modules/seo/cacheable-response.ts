import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface Cacheable {
  body: string;
  contentType: string;
  lastModified: Date;
  /** Cache-Control max-age in seconds. */
  maxAgeSeconds: number;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * RFC 9110 §13.2.2 for GET and HEAD: If-None-Match (weak comparison) decides
 * when present, otherwise If-Modified-Since. A request's Cache-Control
 * (browsers' fetch adds `no-cache` to conditional requests) is a directive
 * for caches, not for the origin, so it does not stop a 304 here.
 */
function notModified(request: FastifyRequest, etag: string, lastModified: string): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

/**
 * A public, cacheable answer (R-CAT-4, R-HDR-1): `Cache-Control: public`
 * (never no-store), a strong ETag over the body and Last-Modified; a
 * conditional request that still holds gets 304 without a body.
 */
export function sendCacheable(request: FastifyRequest, reply: FastifyReply, response: Cacheable): FastifyReply {
  const etag = `"${createHash('sha256').update(response.body).digest('base64url').slice(0, 32)}"`;
  const lastModified = new Date(Math.floor(response.lastModified.getTime() / 1000) * 1000).toUTCString();
  reply
    .header('cache-control', `public, max-age=${response.maxAgeSeconds}, stale-while-revalidate=86400`)
    .header('etag', etag)
    .header('last-modified', lastModified)
    .header('vary', 'accept-encoding');
  if (notModified(request, etag, lastModified)) return reply.code(304).send();
  return reply.type(response.contentType).send(response.body);
}
