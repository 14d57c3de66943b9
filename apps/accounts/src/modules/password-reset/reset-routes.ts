import type { ServiceInstance } from '@bursary/service-kit';
import { Type } from 'typebox';
import { problemResponses } from '../../http/problem-responses.js';
import { ATTEMPT_ACTIONS } from '../attempt-limits/attempt-actions.js';
import { auditContextOf } from '../audit/request-context.js';
import { EmailField, NewPasswordField } from '../credentials/credential-schemas.js';
import type { ResetService } from './reset-service.js';

const RequestBody = Type.Object({ email: EmailField }, { additionalProperties: false });
const ConfirmBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 512, description: 'the `token` of the emailed link' }), newPassword: NewPasswordField },
  { additionalProperties: false },
);
const Accepted = Type.Object(
  { status: Type.Literal('accepted') },
  { description: 'Always the answer, whether or not the email has an account: if it has, a link is on its way.' },
);

export interface ResetRoutesOptions {
  resets: ResetService;
}

/** POST /v1/auth/password-reset/request and /confirm (R-ID-1, R-ID-2). */
export async function resetRoutes(app: ServiceInstance, options: ResetRoutesOptions): Promise<void> {
  const { resets } = options;

  app.post(
    '/v1/auth/password-reset/request',
    {
      config: { attempt: ATTEMPT_ACTIONS.passwordReset },
      schema: { tags: ['auth'], summary: 'Email a password reset link (always 202)', body: RequestBody, response: { 202: Accepted, ...problemResponses(400, 429, 503) } },
    },
    async (request, reply) => {
      await resets.request(request.body.email, auditContextOf(request));
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      config: { attempt: ATTEMPT_ACTIONS.passwordReset },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the emailed token; every session of the account ends',
        body: ConfirmBody,
        response: { 204: Type.Null({ description: 'Password changed; log in with the new one' }), ...problemResponses(400, 429, 503) },
      },
    },
    async (request, reply) => {
      await resets.confirm(request.body.token, request.body.newPassword, auditContextOf(request));
      return reply.code(204).send(null);
    },
  );
}
