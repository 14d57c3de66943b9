import { StripeError } from './stripe-error.js';

const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]{1,247}$/;

function unauthorized(message: string): StripeError {
  return new StripeError(401, 'invalid_request_error', message, {}, { stored: false });
}

function mask(key: string): string {
  return `${key.slice(0, key.indexOf('_', 3) + 1)}${'*'.repeat(Math.max(0, key.length - key.indexOf('_', 3) - 5))}${key.slice(-4)}`;
}

/**
 * The secret key of a request, from `Authorization: Bearer sk_test_…` (what
 * the stripe client sends) or Basic auth with the key as user name (curl -u).
 * Only test-mode keys exist here; `keys`, when given, is the complete list.
 */
export function authenticate(header: string | undefined, keys: ReadonlySet<string> | undefined): string {
  if (!header) {
    throw unauthorized(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  const [scheme = '', credentials = ''] = header.trim().split(/\s+/, 2);
  let key = credentials;
  if (scheme.toLowerCase() === 'basic') key = Buffer.from(credentials, 'base64').toString('utf8').split(':', 1)[0] ?? '';
  else if (scheme.toLowerCase() !== 'bearer') throw unauthorized('Invalid API Key provided: the Authorization header must use Bearer or Basic auth.');
  if (!TEST_KEY.test(key) || (keys && !keys.has(key))) throw unauthorized(`Invalid API Key provided: ${key ? mask(key) : '(empty)'}`);
  return key;
}
