import { defineErrors } from '@bursary/errors';

/**
 * The errors of signup, login, refresh and password reset (R-ID-1, R-ID-2).
 * Login failures share one code and one body whatever went wrong (unknown
 * email, wrong password, not a provider on the provider login), so a response
 * never tells whether an account exists.
 */
export const CredentialErrors = defineErrors('accounts', {
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    title: 'Invalid email or password',
    description: 'Login failed. The answer is the same for an unknown email and a wrong password (R-ID-2), and for an account without the provider role on the provider login.',
  },
  AUTH_PASSWORD_REJECTED: {
    status: 400,
    title: 'Password does not meet the policy',
    description:
      'The new password breaks the policy: `violations` lists rule ids (too_short, too_long, common, predictable, similar_to_email) and `errors` explains each. At least 12 and at most 128 characters, not from breach lists or an easy pattern, not containing the email.',
  },
  AUTH_INVALID_EMAIL: {
    status: 400,
    title: 'Invalid email address',
    description: 'The email is not a plausible address (one @, a domain with a dot, at most 254 characters).',
  },
  AUTH_INVALID_REFRESH_TOKEN: {
    status: 401,
    title: 'Invalid refresh token',
    description:
      'The refresh token is unknown, expired, revoked, or was already used. Reusing a rotated token also revokes the whole session (every token descended from the same login): log in again.',
  },
  AUTH_INVALID_RESET_TOKEN: {
    status: 400,
    title: 'Invalid password reset token',
    description: 'The reset token is unknown, expired (links last 30 minutes) or already used: request a new link.',
  },
});
