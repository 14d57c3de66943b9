import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { accessForMethod, isAllowed, type Access, type RouteAccess } from './access-policy.js';
import { AuthErrors } from './auth-errors.js';
import { bearerCredentials } from './bearer-token.js';
import { setIdentityHeaders, stripIdentityHeaders } from './identity-headers.js';
import { KeysUnavailableError } from './jwks-key-store.js';
import type { Principal } from './principal.js';
import { TokenRejectedError, type TokenVerifier } from './token-verifier.js';

export type AuthMode = 'enforce' | 'off';

export interface EdgeAuthOptions {
  /**
   * `enforce` verifies tokens on every non-public route. `off` (test profile
   * only, refused elsewhere by the service config) verifies nothing, but still
   * strips forged identity headers.
   */
  mode: AuthMode;
  verifier: TokenVerifier;
  /**
   * The declared access of the route a request matched, or undefined for
   * requests this plugin does not guard (unmatched routes end as 404/405 anyway).
   */
  accessFor: (request: FastifyRequest) => RouteAccess | undefined;
  /** The `realm` of the WWW-Authenticate challenge. */
  realm?: string;
  /** Longer bearer tokens are refused before any parsing. */
  maxTokenBytes?: number;
  /** Retry-After of the 503 when keys are unavailable. */
  retryAfterSeconds?: number;
}

const DEFAULT_MAX_TOKEN_BYTES = 4096;

/**
 * Authentication at the edge (R-AUTH-1). For every request, on every route:
 * client-sent identity headers are removed. For a route whose declared access
 * is not public: the bearer token is verified, roles are checked, and the
 * verified identity is set on `request.principal` and in the trusted headers
 * the upstream receives. Failures are problem+json: 401 with a Bearer
 * challenge (RFC 6750 §3), 403 for a missing role, 503 when the signing keys
 * cannot be had (never 401: the token may well be good).
 */
async function edgeAuth(app: FastifyInstance, options: EdgeAuthOptions): Promise<void> {
  const realm = options.realm ?? 'bursary';
  const maxTokenBytes = options.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES;
  const retryAfter = String(options.retryAfterSeconds ?? 5);
  const challenge = (error?: string) => (error ? `Bearer realm="${realm}", error="${error}"` : `Bearer realm="${realm}"`);

  const authenticate = async (request: FastifyRequest, access: Access): Promise<Principal> => {
    const credentials = bearerCredentials(request.headers.authorization, maxTokenBytes);
    if (credentials.kind === 'none') {
      throw AuthErrors.AUTH_REQUIRED({ detail: 'This route needs an access token (Authorization: Bearer).', headers: { 'www-authenticate': challenge() } });
    }
    let principal: Principal;
    try {
      if (credentials.kind === 'malformed') throw new TokenRejectedError('malformed');
      principal = await options.verifier.verify(credentials.token);
    } catch (error) {
      if (error instanceof KeysUnavailableError) {
        // The key store logs each failed fetch; per request, the access log's error code is enough.
        request.log.debug({ err: error }, 'token signing keys unavailable');
        throw AuthErrors.AUTH_KEYS_UNAVAILABLE({ headers: { 'retry-after': retryAfter } });
      }
      const reason = error instanceof TokenRejectedError ? error.reason : 'malformed';
      // The reason and the cause's class go to the log; the token never does.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.name : undefined;
      request.log.info({ authReason: reason, authError: cause }, 'access token rejected');
      throw AuthErrors.AUTH_INVALID_TOKEN({
        detail: reason === 'expired' ? 'The access token has expired; refresh it.' : 'The access token is invalid.',
        headers: { 'www-authenticate': challenge('invalid_token') },
      });
    }
    if (!isAllowed(principal, access)) {
      throw AuthErrors.AUTH_FORBIDDEN({
        detail: 'The access token lacks a role this route requires.',
        headers: { 'www-authenticate': challenge('insufficient_scope') },
      });
    }
    return principal;
  };

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // First, on every route, public or not: a client never speaks for the gateway.
    stripIdentityHeaders(request.raw.headers);
    if (options.mode === 'off') return;
    const declared = options.accessFor(request);
    if (declared === undefined) return;
    const access = accessForMethod(declared, request.method);
    if (access.kind === 'public') return;
    const principal = await authenticate(request, access);
    request.principal = principal;
    setIdentityHeaders(request.raw.headers, principal);
  });
}

export const edgeAuthPlugin = fp(edgeAuth, { name: '@bursary/auth', fastify: '5.x' });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The access a route declares for itself, for routes outside a routing table. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The verified caller on a protected route; null on public routes and before auth ran (keys rate limits by user). */
    principal: Principal | null;
  }
}
