import { defineErrors } from '@bursary/errors';

/** 429 RATE_LIMITED is CommonErrors.RATE_LIMITED; this is the one condition only a limiter produces. */
export const RateLimitErrors = defineErrors('rate-limit', {
  RATE_LIMIT_UNAVAILABLE: {
    status: 503,
    title: 'Rate limiter unavailable',
    description:
      'The shared rate limiter (Redis) cannot be reached, and this route fails closed rather than unprotected (login, signup, password reset, refresh: brute-force protection, R-RL-2). Retry after the Retry-After delay.',
  },
});
