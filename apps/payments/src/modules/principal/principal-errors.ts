import { defineErrors } from '@bursary/errors';

export const PrincipalErrors = defineErrors('payments-auth', {
  PAYMENTS_AUTH_REQUIRED: {
    status: 401,
    title: 'Authentication required',
    description: 'Payments answers only requests the gateway authenticated (a valid access token whose subject is a user id).',
  },
  PAYMENTS_FORBIDDEN: { status: 403, title: 'Forbidden', description: 'The caller may not perform this payments operation (wrong owner or missing role).' },
});
