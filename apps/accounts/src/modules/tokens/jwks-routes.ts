import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import type { SigningKeyRing } from './signing-key-ring.js';

const PublicJwk = Type.Object(
  {
    kty: Type.String(),
    crv: Type.Optional(Type.String()),
    x: Type.Optional(Type.String()),
    kid: Type.String(),
    alg: Type.String(),
    use: Type.Literal('sig'),
  },
  { additionalProperties: false },
);

export interface JwksRoutesOptions {
  keys: SigningKeyRing;
}

/**
 * GET /.well-known/jwks.json (RFC 7517): the public keys that verify access
 * tokens, upcoming and recently retired ones included, so that verifiers
 * (the gateway) never meet a kid they cannot resolve during a rotation.
 */
export async function jwksRoutes(app: ServiceInstance, options: JwksRoutesOptions): Promise<void> {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['auth'],
        summary: 'Public keys that verify access tokens',
        response: { 200: Type.Object({ keys: Type.Array(PublicJwk) }) },
      },
    },
    async (_request, reply) => {
      const keys = await options.keys.publicKeys();
      // Short enough that a cache never hides a rotated-in key past its publish lead (SIGNING_KEY_PUBLISH_LEAD_S).
      reply.header('cache-control', 'public, max-age=60');
      return { keys: keys.map((jwk) => ({ kty: jwk.kty ?? 'OKP', crv: jwk.crv, x: jwk.x, kid: jwk.kid ?? '', alg: jwk.alg ?? '', use: 'sig' as const })) };
    },
  );
}
