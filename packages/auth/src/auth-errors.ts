import { defineErrors } from '@bursary/errors';

/**
 * Errors of authentication at the edge (R-AUTH-1, R-ERR-1). Both 401 codes
 * come with a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3), the 403
 * with `error="insufficient_scope"`.
 */
export const AuthErrors = defineErrors('auth', {
  AUTH_REQUIRED: {
    status: 401,
    title: 'Authentication required',
    description: 'The route needs an access token and none was sent: send `Authorization: Bearer <access token>`.',
  },
  AUTH_INVALID_TOKEN: {
    status: 401,
    title: 'Invalid access token',
    description:
      'The bearer token was refused: malformed, too large, expired, not yet valid, signed with a disallowed algorithm or an unknown key, or issued for another issuer or audience. Refresh it or log in again.',
  },
  AUTH_FORBIDDEN: {
    status: 403,
    title: 'Forbidden',
    description: 'The access token is valid but lacks a role this route requires (provider or admin).',
  },
  AUTH_KEYS_UNAVAILABLE: {
    status: 503,
    title: 'Authentication unavailable',
    description: 'The token signing keys (the accounts JWKS) cannot be fetched, so tokens cannot be verified now; retry after the Retry-After delay. Public routes are unaffected.',
  },
});
