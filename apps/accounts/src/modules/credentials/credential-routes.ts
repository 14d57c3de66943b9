import type { ServiceInstance } from '@bursary/service-kit';
import { problemResponses } from '../../http/problem-responses.js';
import { auditContextOf } from '../audit/request-context.js';
import { ATTEMPT_ACTIONS } from '../attempt-limits/attempt-actions.js';
import type { CredentialService } from './credential-service.js';
import { CredentialsBody, SignupAccepted, SignupBody, TokenPairSchema } from './credential-schemas.js';

export interface CredentialRoutesOptions {
  credentials: CredentialService;
}

/** POST /v1/auth/signup, /v1/auth/login, /v1/auth/provider/login (R-ID-1, R-ID-2). */
export async function credentialRoutes(app: ServiceInstance, options: CredentialRoutesOptions): Promise<void> {
  const { credentials } = options;

  app.post(
    '/v1/auth/signup',
    {
      config: { attempt: ATTEMPT_ACTIONS.signup },
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        body: SignupBody,
        response: { 201: SignupAccepted, ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await credentials.signup(request.body, auditContextOf(request))),
  );

  app.post(
    '/v1/auth/login',
    {
      config: { attempt: ATTEMPT_ACTIONS.login },
      schema: { tags: ['auth'], summary: 'Log in with email and password', body: CredentialsBody, response: { 200: TokenPairSchema, ...problemResponses(400, 401, 429, 503) } },
    },
    async (request) => credentials.login(request.body, 'student', auditContextOf(request)),
  );

  app.post(
    '/v1/auth/provider/login',
    {
      config: { attempt: ATTEMPT_ACTIONS.login },
      schema: {
        tags: ['auth'],
        summary: 'Log into the provider portal (provider users only)',
        body: CredentialsBody,
        response: { 200: TokenPairSchema, ...problemResponses(400, 401, 429, 503) },
      },
    },
    async (request) => credentials.login(request.body, 'provider', auditContextOf(request)),
  );
}
