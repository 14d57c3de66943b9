/**
 * The one rounding rule of payments (R-PAY-5, docs/adr/0004):
 *
 *   fee     = round-half-up(amount × feeBps / 10 000)   (integer arithmetic)
 *   payable = amount − fee
 *
 * The payable is the remainder, never rounded itself, so the legs of a
 * provider payment always sum to the amount exactly.
 */
export function splitProviderPayment(amountMinor: number, feeBps: number): { feeMinor: number; payableMinor: number } {
  assertMinor(amountMinor);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new RangeError(`fee basis points must be an integer 0..10000 (got ${feeBps})`);
  const feeMinor = Number((BigInt(amountMinor) * BigInt(feeBps) + 5_000n) / 10_000n);
  return { feeMinor, payableMinor: amountMinor - feeMinor };
}

/**
 * The part of `total` that belongs to the first `portion` of `whole`, rounded
 * down: ⌊total × portion / whole⌋. Reversals (refunds) use it cumulatively,
 * share(after) − share(before), so that however a purchase is refunded in
 * parts, the parts add up to exactly `total` once all of it is refunded, and
 * no part is negative.
 */
export function cumulativeShare(total: number, portion: number, whole: number): number {
  assertMinor(total);
  assertMinor(portion);
  assertMinor(whole);
  if (whole === 0 || portion > whole) throw new RangeError(`portion ${portion} must be within 0..${whole} (whole > 0)`);
  return Number((BigInt(total) * BigInt(portion)) / BigInt(whole));
}

/** What one refund of `refundMinor`, after `refundedBeforeMinor` was already refunded, takes back of `total`. */
export function reversalShare(total: number, refundedBeforeMinor: number, refundMinor: number, amountMinor: number): number {
  return cumulativeShare(total, refundedBeforeMinor + refundMinor, amountMinor) - cumulativeShare(total, refundedBeforeMinor, amountMinor);
}

function assertMinor(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`amounts are non-negative integer minor units (got ${value})`);
}
