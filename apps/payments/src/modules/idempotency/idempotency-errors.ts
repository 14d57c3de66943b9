import { defineErrors } from '@bursary/errors';

/** R-PAY-2, after draft-ietf-httpapi-idempotency-key-header (400 / 409 / 422) and Stripe. */
export const IdempotencyErrors = defineErrors('idempotency', {
  IDEMPOTENCY_KEY_MISSING: {
    status: 400,
    title: 'Idempotency-Key missing',
    description: 'This operation moves money: send an Idempotency-Key header (1–255 printable characters, bare or quoted) and reuse it when you retry.',
  },
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    title: 'Idempotency-Key invalid',
    description: 'The Idempotency-Key must be one header of 1–255 printable ASCII characters, bare or as a quoted string.',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    title: 'Idempotency-Key in use',
    description: 'A request with this key is still being processed; retry after the Retry-After delay to get its outcome.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'Idempotency-Key reused',
    description: 'This key was already used with a different request body; use a new key for a new request.',
  },
});
