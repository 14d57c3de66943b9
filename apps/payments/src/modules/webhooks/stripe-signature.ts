import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'missing' | 'malformed' | 'timestamp_out_of_tolerance' | 'no_matching_signature';

export type SignatureCheck = { valid: true; timestamp: number } | { valid: false; reason: SignatureFailure };

export interface VerifyOptions {
  /** Every secret currently accepted (rotation: old and new at once). */
  secrets: readonly string[];
  /** Seconds a timestamp may be away from now, in either direction. */
  toleranceSeconds: number;
  nowSeconds?: number;
}

const MAX_HEADER_LENGTH = 4096;

/**
 * Verifies a `Stripe-Signature` header (`t=<unix>,v1=<hex>[,v1=<hex>…]`) over
 * the raw request bytes (R-PAY-4), before anything parses them: HMAC-SHA256
 * of `<t>.<raw body>` with each accepted secret, compared in constant time
 * against every v1 signature (Stripe sends several while a secret rolls). The
 * timestamp must be within the tolerance both ways: stripe-node only rejects
 * old ones, but a timestamp from the future is as suspicious as a replay.
 */
export function verifyStripeSignature(rawBody: Buffer, header: string | string[] | undefined, options: VerifyOptions): SignatureCheck {
  if (header === undefined || header === '') return { valid: false, reason: 'missing' };
  if (Array.isArray(header) || header.length > MAX_HEADER_LENGTH) return { valid: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return { valid: false, reason: 'malformed' };
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return { valid: false, reason: 'malformed' };
      timestamp = Number(value);
    } else if (name === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) continue;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: 'malformed' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > options.toleranceSeconds) return { valid: false, reason: 'timestamp_out_of_tolerance' };

  const signedPrefix = Buffer.from(`${timestamp}.`);
  let matched = false;
  // Every comparison runs whatever matched before: the time taken says nothing about which one did.
  for (const secret of options.secrets) {
    const expected = createHmac('sha256', secret).update(signedPrefix).update(rawBody).digest();
    for (const signature of signatures) {
      if (timingSafeEqual(expected, signature)) matched = true;
    }
  }
  return matched ? { valid: true, timestamp } : { valid: false, reason: 'no_matching_signature' };
}
