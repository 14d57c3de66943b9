import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { FakeUpstream } from './helpers/fake-upstream.js';

/** The gateway's default expectations (AUTH_ISSUER, AUTH_AUDIENCE); accounts signs with the same. */
export const ISSUER = 'urn:bursary:accounts';
export const AUDIENCE = 'urn:bursary:api';

export interface TestSigner {
  kid: string;
  /** The public JWK as accounts publishes it. */
  jwk: JWK;
  /** An access token as accounts will issue it (issue 5); `claims`/`header` override, `undefined` removes. */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/** A key pair generated in the test: tests sign their own tokens until accounts issues them. */
export async function createSigner(kid: string, alg: 'EdDSA' | 'ES256' | 'RS256' = 'EdDSA'): Promise<TestSigner> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    kid,
    jwk,
    async sign(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: Record<string, unknown> = { iss: ISSUER, aud: AUDIENCE, sub: 'student-1', iat: now, exp: now + 300, roles: [], ...claims };
      for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
      return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg, kid, typ: 'at+jwt', ...header }).sign(privateKey);
    },
  };
}

export const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export interface JwksControl {
  /** The keys published at /.well-known/jwks.json. */
  keys: JWK[];
  /** While false, the JWKS answers 503. */
  up: boolean;
  /** JWKS requests served so far. */
  fetches: number;
}

/**
 * Makes a fake accounts upstream publish a JWKS at /.well-known/jwks.json
 * (what accounts will serve); every other path echoes as usual.
 */
export function serveJwks(accounts: FakeUpstream, keys: JWK[]): JwksControl {
  const control: JwksControl = { keys, up: true, fetches: 0 };
  accounts.handle((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      control.fetches++;
      if (!control.up) {
        res.writeHead(503, { 'content-type': 'application/problem+json' });
        res.end('{"status":503}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' });
      res.end(JSON.stringify({ keys: control.keys }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'accounts' });
    res.end(JSON.stringify({ upstream: 'accounts', method: req.method, url: req.url }));
  });
  return control;
}
