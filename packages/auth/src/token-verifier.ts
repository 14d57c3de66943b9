import { errors, jwtVerify } from 'jose';
import { KeysUnavailableError, type KeyResolver } from './jwks-key-store.js';
import { ClaimsError, principalFromClaims, type Principal } from './principal.js';

/** Asymmetric signature algorithms only: `none` and HMAC (HS*) can never be configured. */
export const SUPPORTED_ALGORITHMS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'] as const;
export type SignatureAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

/** The access token type of RFC 9068 §2.1: keeps another JWT signed by the same keys from passing as an access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface TokenVerifierOptions {
  getKey: KeyResolver;
  issuer: string;
  audience: string;
  algorithms: readonly SignatureAlgorithm[];
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. */
  clockToleranceSeconds: number;
}

/** Why a token was refused; logged, never sent to the client beyond "expired" vs "invalid". */
export type RejectionReason = 'expired' | 'not_yet_valid' | 'algorithm' | 'unknown_key' | 'signature' | 'claims' | 'malformed';

export class TokenRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    options?: { cause?: unknown },
  ) {
    super(`access token rejected: ${reason}`, options);
    this.name = 'TokenRejectedError';
  }
}

export interface TokenVerifier {
  /** The principal of a valid token; throws TokenRejectedError (401) or KeysUnavailableError (503). */
  verify(token: string): Promise<Principal>;
}

function reasonOf(error: unknown): RejectionReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'nbf' || (error.claim === 'iat' && error.reason === 'check_failed') ? 'not_yet_valid' : 'claims';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return 'algorithm';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (error instanceof ClaimsError) return 'claims';
  return 'malformed';
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if (options.algorithms.length === 0) throw new Error('at least one signature algorithm is required');
  for (const algorithm of options.algorithms) {
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(algorithm)) throw new Error(`${algorithm} is not an asymmetric JWS algorithm`);
  }
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: [...options.algorithms],
    clockTolerance: options.clockToleranceSeconds,
    typ: ACCESS_TOKEN_TYPE,
    requiredClaims: ['sub', 'exp'],
  };
  const getKey: KeyResolver = async (header, token) => {
    // A token without kid cannot say which key signed it; with rotation that is a guess we do not make.
    if (typeof header.kid !== 'string' || header.kid === '') throw new TokenRejectedError('unknown_key');
    return options.getKey(header, token);
  };

  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, getKey, verifyOptions);
        return principalFromClaims(payload);
      } catch (error) {
        if (error instanceof KeysUnavailableError || error instanceof TokenRejectedError) throw error;
        // Whatever else a hostile token provokes (JOSE errors, a TypeError
        // deep in decoding) is a refusal of that token, never a 500 (R-ERR-2).
        throw new TokenRejectedError(reasonOf(error), { cause: error });
      }
    },
  };
}
