import { createJwksKeyStore, createTokenVerifier, edgeAuthPlugin, jwksFetcher, type RouteAccess } from '@bursary/auth';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthConfig } from '../modules/auth/auth-config.js';
import { routePatterns, type RouteEntry } from '../modules/routing/route-table.js';

export interface GatewayEdgeAuthOptions {
  auth: AuthConfig;
  /** The routing table: each entry declares its access (R-AUTH-1: per route, not by URL regex). */
  routes: readonly RouteEntry[];
}

/** After a failed JWKS fetch: the next attempt waits this long, and a 503 says to retry after about as long. */
const RETRY_AFTER_FAILURE_MS = 1_000;
const RETRY_AFTER_SECONDS = 2;

/**
 * Binds @bursary/auth to the gateway. The access of a request is that of the
 * table entry whose pattern it matched (the same patterns the proxy routes
 * are registered with, so a match is exact, never a second regex). Routes the
 * gateway serves itself (health, docs) carry no user data and are public
 * unless they declare `config.access`.
 */
async function gatewayEdgeAuth(app: FastifyInstance, options: GatewayEdgeAuthOptions): Promise<void> {
  const { auth } = options;
  const accessByPattern = new Map<string, RouteAccess>();
  for (const entry of options.routes) {
    for (const pattern of routePatterns(entry)) accessByPattern.set(pattern, entry.access);
  }

  const keys = createJwksKeyStore({
    fetchJwks: jwksFetcher(auth.jwksUrl, { timeoutMs: auth.jwksTimeoutMs }),
    maxAgeMs: auth.jwksMaxAgeMs,
    cooldownMs: auth.jwksCooldownMs,
    retryAfterFailureMs: Math.min(RETRY_AFTER_FAILURE_MS, auth.jwksCooldownMs),
    maxStaleMs: auth.jwksMaxStaleMs,
    onFetch: (outcome) => {
      if (outcome.ok) app.log.info({ keys: outcome.keys, dropped: outcome.dropped }, 'token signing keys fetched');
      else app.log.warn({ err: outcome.error }, 'token signing keys could not be fetched');
    },
  });
  const verifier = createTokenVerifier({
    getKey: keys.getKey,
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.algorithms,
    clockToleranceSeconds: auth.clockToleranceSeconds,
  });

  await app.register(edgeAuthPlugin, {
    mode: auth.mode,
    verifier,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    accessFor: (request) => {
      const pattern = request.routeOptions.url;
      if (pattern === undefined) return undefined;
      return accessByPattern.get(pattern) ?? request.routeOptions.config.access;
    },
  });

  // Warm the key cache so the first protected request does not wait for it;
  // a failure here is logged and retried on demand, never fatal to boot
  // (the gateway serves public routes with accounts down).
  if (auth.mode === 'enforce') app.addHook('onReady', async () => void keys.refresh());
}

export const gatewayEdgeAuthPlugin = fp(gatewayEdgeAuth, { name: '@bursary/gateway-edge-auth', fastify: '5.x' });
