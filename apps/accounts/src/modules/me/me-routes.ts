import { AuthErrors, bearerCredentials, KeysUnavailableError, TokenRejectedError, type Principal } from '@bursary/auth';
import type { ServiceInstance } from '@bursary/service-kit';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AccountsDb } from '../../db/database.js';
import { problemResponses } from '../../http/problem-responses.js';
import type { AccessTokens } from '../tokens/access-tokens.js';
import { findOrganization, findUserById } from '../users/user-repository.js';

const Profile = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  roles: Type.Array(Type.String(), { description: 'empty for a student; provider, admin' }),
  createdAt: Type.String({ format: 'date-time' }),
  organization: Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()], {
    description: 'the provider organization of a provider user; null otherwise',
  }),
});

export interface MeRoutesOptions {
  db: AccountsDb;
  accessTokens: AccessTokens;
}

const CHALLENGE = 'Bearer realm="bursary"';

/**
 * The caller, from the bearer token verified here with our own keys, the
 * same checks as the gateway's (packages/auth): accounts does not rely on
 * the gateway's identity headers for its own data.
 */
async function principalOf(request: FastifyRequest, accessTokens: AccessTokens): Promise<Principal> {
  const credentials = bearerCredentials(request.headers.authorization, 4096);
  if (credentials.kind === 'none') throw AuthErrors.AUTH_REQUIRED({ headers: { 'www-authenticate': CHALLENGE } });
  try {
    if (credentials.kind === 'malformed') throw new TokenRejectedError('malformed');
    return await accessTokens.verifier.verify(credentials.token);
  } catch (error) {
    if (error instanceof KeysUnavailableError) throw AuthErrors.AUTH_KEYS_UNAVAILABLE({ headers: { 'retry-after': '5' } });
    const expired = error instanceof TokenRejectedError && error.reason === 'expired';
    throw AuthErrors.AUTH_INVALID_TOKEN({
      detail: expired ? 'The access token has expired; refresh it.' : 'The access token is invalid.',
      headers: { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` },
    });
  }
}

/** GET /v1/me: the profile of the caller; provider users see their organization (R-ID-1). */
export async function meRoutes(app: ServiceInstance, options: MeRoutesOptions): Promise<void> {
  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['account'],
        summary: 'The profile of the signed-in user',
        security: [{ bearerAuth: [] }],
        response: { 200: Profile, ...problemResponses(401) },
      },
    },
    async (request) => {
      const principal = await principalOf(request, options.accessTokens);
      const user = await findUserById(options.db, principal.userId);
      // A valid token for a user that no longer exists is as good as no token.
      if (!user) throw AuthErrors.AUTH_INVALID_TOKEN({ detail: 'The account of this token no longer exists.', headers: { 'www-authenticate': `${CHALLENGE}, error="invalid_token"` } });
      const organization = user.providerOrgId ? ((await findOrganization(options.db, user.providerOrgId)) ?? null) : null;
      return { id: user.id, email: user.email, roles: user.roles, createdAt: user.createdAt.toISOString(), organization };
    },
  );
}
