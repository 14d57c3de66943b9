export { AuthErrors } from './auth-errors.js';
export { accessForMethod, AUTHENTICATED, isAllowed, PUBLIC, requireRole, ROLES, type Access, type RouteAccess } from './access-policy.js';
export { bearerCredentials, type BearerCredentials } from './bearer-token.js';
export { edgeAuthPlugin, type AuthMode, type EdgeAuthOptions } from './edge-auth-plugin.js';
export { IDENTITY_HEADERS, setIdentityHeaders, stripIdentityHeaders } from './identity-headers.js';
export { jwksFetcher, type JwksFetchOptions } from './jwks-fetch.js';
export { createJwksKeyStore, KeysUnavailableError, type JwksKeyStore, type JwksKeyStoreOptions, type KeyResolver } from './jwks-key-store.js';
export { principalFromClaims, type Principal } from './principal.js';
export {
  ACCESS_TOKEN_TYPE,
  createTokenVerifier,
  SUPPORTED_ALGORITHMS,
  TokenRejectedError,
  type RejectionReason,
  type SignatureAlgorithm,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.js';
