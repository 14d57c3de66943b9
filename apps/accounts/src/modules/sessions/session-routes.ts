import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { problemResponses } from '../../http/problem-responses.js';
import { auditContextOf } from '../audit/request-context.js';
import { TokenPairSchema } from '../credentials/credential-schemas.js';
import type { SessionService } from './session-service.js';

const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 512, description: 'the refresh token of the last login or refresh' }) },
  { additionalProperties: false },
);

export interface SessionRoutesOptions {
  sessions: SessionService;
}

/** POST /v1/auth/refresh and /v1/auth/logout (R-ID-1). */
export async function sessionRoutes(app: ServiceInstance, options: SessionRoutesOptions): Promise<void> {
  const { sessions } = options;

  app.post(
    '/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
        body: RefreshBody,
        response: { 200: TokenPairSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => sessions.refresh(request.body.refreshToken, auditContextOf(request)),
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session of a refresh token (every token of that login stops working)',
        body: RefreshBody,
        response: { 204: Type.Null({ description: 'Logged out (also for an unknown or already revoked token)' }), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      await sessions.logout(request.body.refreshToken, auditContextOf(request));
      return reply.code(204).send(null);
    },
  );
}
