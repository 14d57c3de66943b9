import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_TYPE, createTokenVerifier, type TokenVerifier } from '@bursary/auth';
import { createLocalJWKSet, SignJWT, type CryptoKey, type JWSHeaderParameters } from 'jose';
import { SIGNING_ALGORITHM } from './key-rotation.js';
import type { SigningKeyRing } from './signing-key-ring.js';

export interface AccessTokenSubject {
  userId: string;
  roles: readonly string[];
  providerOrgId: string | null;
  sessionId: string;
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
}

export interface AccessTokens {
  issue(subject: AccessTokenSubject): Promise<IssuedAccessToken>;
  /** The verifier the gateway runs, on our own published keys: accounts checks the tokens of its own routes (GET /v1/me) itself. */
  verifier: TokenVerifier;
}

export interface AccessTokenOptions {
  keys: SigningKeyRing;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clockToleranceSeconds: number;
}

/**
 * Access tokens in the shape packages/auth verifies at the edge: an RFC 9068
 * `at+jwt`, EdDSA with the signing key's `kid` in the header, `iss`/`aud`
 * from the shared AUTH_ISSUER/AUTH_AUDIENCE, `sub` the user id, `roles` (an
 * array, empty for a student), `org` the provider organization (provider
 * users only), `sid` the session, `jti` unique.
 */
export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  const getKey = async (header: JWSHeaderParameters): Promise<CryptoKey> => {
    const resolve = createLocalJWKSet({ keys: await options.keys.publicKeys() });
    return (await resolve(header)) as CryptoKey;
  };
  return {
    async issue(subject) {
      const key = await options.keys.signingKey();
      const claims: Record<string, unknown> = { roles: [...subject.roles], sid: subject.sessionId };
      if (subject.providerOrgId !== null) claims['org'] = subject.providerOrgId;
      const accessToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(subject.userId)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${options.ttlSeconds}s`)
        .sign(key.privateKey);
      return { accessToken, expiresIn: options.ttlSeconds };
    },
    verifier: createTokenVerifier({
      getKey,
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [SIGNING_ALGORITHM],
      clockToleranceSeconds: options.clockToleranceSeconds,
    }),
  };
}
