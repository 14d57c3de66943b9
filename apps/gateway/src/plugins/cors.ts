import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayEdgeErrors } from '../modules/edge/edge-errors.js';

export interface GatewayCorsOptions {
  /** Config CORS_ORIGINS: canonical exact origins. */
  origins: readonly string[];
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Request headers a browser may send cross-origin; anything else fails its preflight. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-request-id'];
/** Response headers a browser script may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy', 'location'];
/** Browsers cap this (Chromium at 2 h); 10 minutes keeps a CORS_ORIGINS change quick to take effect. */
const PREFLIGHT_MAX_AGE_S = 600;

const CORS_RESPONSE_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
];

const isPreflight = (request: FastifyRequest) =>
  request.method === 'OPTIONS' && typeof request.headers.origin === 'string' && request.headers['access-control-request-method'] !== undefined;

function varyOnOrigin(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const tokens = [current ?? []].flat().map(String).join(',').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tokens.some((t) => t === '*' || t.toLowerCase() === 'origin')) return;
  reply.header('vary', [...tokens, 'Origin'].join(', '));
}

/**
 * CORS (R-CORS-1) with @fastify/cors: an exact origin allowlist (never `*`,
 * never a reflection of whatever Origin was sent), credentials only for a
 * listed origin, `Vary: Origin` on every response. Preflights are answered
 * here, in onRequest, before rate limits and auth (a preflight carries no
 * credentials): 204 with the allowed methods and headers for a listed
 * origin; 403 problem+json CORS_ORIGIN_NOT_ALLOWED, without any
 * Access-Control-Allow-* header, for any other. A foreign origin's ordinary
 * request is served without CORS headers, so the browser withholds the
 * answer from the page. The gateway is the only CORS authority: an
 * upstream's own Access-Control-* headers are replaced or removed.
 */
async function gatewayCors(app: FastifyInstance, options: GatewayCorsOptions): Promise<void> {
  const allowed = new Set(options.origins);
  const listed = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    return typeof origin === 'string' && allowed.has(origin) ? origin : undefined;
  };

  // Requests refused before this hook (an unknown Host) get no CORS headers at all.
  const evaluated = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request, reply) => {
    evaluated.add(request);
    if (!isPreflight(request) || listed(request)) return;
    varyOnOrigin(reply);
    throw GatewayEdgeErrors.CORS_ORIGIN_NOT_ALLOWED({ detail: 'This origin may not call the API from a browser.' });
  });

  await app.register(cors, {
    delegator: (request, callback) => {
      const origin = listed(request);
      // An OPTIONS that is not a preflight is no CORS exchange: routing answers it (404/405).
      if (origin === undefined || (request.method === 'OPTIONS' && !isPreflight(request))) {
        callback(null, { origin: false });
        return;
      }
      const corsOptions: FastifyCorsOptions = {
        // The listed origin itself, a fixed string: @fastify/cors writes it as it is.
        origin,
        credentials: true,
        methods: METHODS,
        allowedHeaders: ALLOWED_HEADERS,
        exposedHeaders: EXPOSED_HEADERS,
        maxAge: PREFLIGHT_MAX_AGE_S,
        optionsSuccessStatus: 204,
        strictPreflight: true,
      };
      callback(null, corsOptions);
    },
  });

  app.addHook('onSend', async (request, reply, payload) => {
    varyOnOrigin(reply);
    const origin = evaluated.has(request) ? listed(request) : undefined;
    if (origin !== undefined && !(request.method === 'OPTIONS' && !isPreflight(request))) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
    } else {
      for (const name of CORS_RESPONSE_HEADERS) reply.removeHeader(name);
    }
    return payload;
  });
}

export const gatewayCorsPlugin = fp(gatewayCors, { name: '@bursary/gateway-cors', fastify: '5.x', dependencies: ['@bursary/errors'] });
