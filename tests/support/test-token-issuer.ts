import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface TestTokenIssuer {
  /** Where the gateway fetches the keys (AUTH_JWKS_URL). */
  jwksUrl: string;
  /** An access token as accounts issues it (issuer, audience, at+jwt); `claims` add or override. */
  token(claims: { sub: string; roles?: string[]; org?: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A stand-in for accounts' signing keys: a key pair made in the test and a
 * JWKS served on a free port, so e2e suites can act as any student or
 * provider organization (providers are created by an operator, not by signup).
 */
export async function startTestTokenIssuer(): Promise<TestTokenIssuer> {
  const kid = 'e2e-test-key';
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const server: Server = createServer((request, response) => {
    response.writeHead(request.url === '/.well-known/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
    response.end(request.url === '/.well-known/jwks.json' ? JSON.stringify({ keys: [jwk] }) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    async token({ sub, roles = [], org }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ roles, ...(org ? { org } : {}) })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
        .setIssuer('urn:bursary:accounts')
        .setAudience('urn:bursary:api')
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
