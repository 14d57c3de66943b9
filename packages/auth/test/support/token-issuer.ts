import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'urn:bursary:accounts';
export const AUDIENCE = 'urn:bursary:api';

export interface TestSigner {
  kid: string;
  alg: string;
  /** The public JWK as accounts would publish it. */
  jwk: JWK;
  /** A signed access token; `claims` and `header` override the defaults, `undefined` values remove a claim. */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/** A key pair made in the test, signing tokens the way accounts will (issue 5). */
export async function createSigner(kid: string, alg: 'EdDSA' | 'ES256' | 'RS256' = 'EdDSA'): Promise<TestSigner> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    jwk,
    async sign(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now, exp: now + 300, roles: [], ...claims };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, kid, typ: 'at+jwt', ...header }).sign(privateKey);
    },
  };
}

export const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`), in both forms attackers send: empty and junk signature. */
export function unsignedTokens(kid: string): string[] {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: 'none', typ: 'at+jwt', kid });
  const body = b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'admin-1', roles: ['admin'], iat: now, exp: now + 300 });
  return [`${head}.${body}.`, `${head}.${body}.${b64url('sig')}`];
}
