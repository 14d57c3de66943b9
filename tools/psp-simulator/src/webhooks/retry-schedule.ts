const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Stripe (live mode) retries a failed delivery for up to three days with
 * exponential backoff: about 5 min, 30 min, 2 h, 4 h, 8 h, 16 h, 1 day,
 * 2 days and 3 days after the first attempt. These are the waits between
 * attempts in Stripe time; the dispatcher divides them by TIME_FACTOR.
 */
export const STRIPE_RETRY_WAITS_MS: readonly number[] = [
  5 * MINUTE,
  25 * MINUTE,
  90 * MINUTE,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  8 * HOUR,
  24 * HOUR,
  24 * HOUR,
];
