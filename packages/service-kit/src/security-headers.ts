import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The CSP of everything that is not an HTML document: JSON, problem+json,
 * text, XML. Such a response has nothing to load and must not be framed.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'";

/**
 * The CSP of HTML documents (the gateway's Swagger UI at /docs, the catalog's
 * SEO pages): their own scripts, styles, images and fonts only, nothing
 * inline but styles, no plugins, never framed. No `upgrade-insecure-requests`:
 * it would break the page on plain-HTTP development hosts; HSTS covers TLS.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join(';');

const HTML = /^text\/html(\s*;|$)/i;

/**
 * Security headers on every response of every service (R-HDR-1), from
 * @fastify/helmet with API settings: CSP `default-src 'none'`, no framing,
 * no referrer, HSTS for a year, nosniff, same-origin resource policy. Helmet
 * writes them in onRequest, so refusals from later hooks (host, shedding,
 * auth) carry them too. A response that is an HTML document gets the page
 * CSP instead, unless its route or upstream chose a CSP itself: a header
 * set on the reply (a handler, a proxied upstream's own headers) always wins.
 */
async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    // Helmet writes exactly API_CONTENT_SECURITY_POLICY from these (checked by a test).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && HTML.test(type) && reply.getHeader('content-security-policy') === API_CONTENT_SECURITY_POLICY) {
      reply.header('content-security-policy', PAGE_CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
}

export const securityHeadersPlugin = fp(securityHeaders, { name: '@bursary/security-headers', fastify: '5.x' });
