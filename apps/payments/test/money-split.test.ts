import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulativeShare, reversalShare, splitProviderPayment } from '../src/modules/ledger/money-split.js';

const amount = fc.integer({ min: 1, max: 10_000_000_000 });

describe('the rounding rule of provider fees and reversals', () => {
  it('R-PAY-5: fee + payable = amount exactly, the fee is 3% rounded half up, never negative, never above the amount', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 0, max: 10_000 }), (gross, bps) => {
        const { feeMinor, payableMinor } = splitProviderPayment(gross, bps);
        expect(feeMinor + payableMinor).toBe(gross);
        expect(feeMinor).toBeGreaterThanOrEqual(0);
        expect(payableMinor).toBeGreaterThanOrEqual(0);
        // Within half a minor unit of the exact fee, and .5 rounds up.
        const exactTimes2 = (BigInt(gross) * BigInt(bps) * 2n) / 10_000n;
        expect(BigInt(feeMinor) * 2n - exactTimes2 <= 1n && exactTimes2 - BigInt(feeMinor) * 2n <= 1n).toBe(true);
      }),
      { numRuns: 5_000 },
    );
    expect(splitProviderPayment(999, 300)).toEqual({ feeMinor: 30, payableMinor: 969 }); // 29.97 → 30
    expect(splitProviderPayment(50, 300)).toEqual({ feeMinor: 2, payableMinor: 48 }); // 1.5 → 2 (half up)
    expect(splitProviderPayment(16, 300)).toEqual({ feeMinor: 0, payableMinor: 16 }); // 0.48 → 0
  });

  it('R-PAY-5: refunds in any number of parts reverse every leg exactly once the purchase is fully refunded, no part negative', () => {
    fc.assert(
      fc.property(
        amount,
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 12 }),
        (gross, credits, weights) => {
          const fee = splitProviderPayment(gross, 300).feeMinor;
          // Split the amount into parts proportional to the weights (the last part takes the remainder).
          const totalWeight = weights.reduce((a, b) => a + b, 0);
          const parts: number[] = [];
          let left = gross;
          weights.forEach((weight, index) => {
            const part = index === weights.length - 1 ? left : Math.min(left, Math.floor((gross * weight) / totalWeight));
            parts.push(part);
            left -= part;
          });
          let before = 0;
          let creditsBack = 0;
          let feeBack = 0;
          let payableBack = 0;
          for (const part of parts.filter((p) => p > 0)) {
            const creditsPart = reversalShare(credits, before, part, gross);
            const feePart = reversalShare(fee, before, part, gross);
            expect(creditsPart).toBeGreaterThanOrEqual(0);
            expect(feePart).toBeGreaterThanOrEqual(0);
            expect(part - feePart).toBeGreaterThanOrEqual(0);
            creditsBack += creditsPart;
            feeBack += feePart;
            payableBack += part - feePart;
            before += part;
          }
          expect(before).toBe(gross);
          expect(creditsBack).toBe(credits);
          expect(feeBack).toBe(fee);
          expect(payableBack).toBe(gross - fee);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('R-PAY-5: amounts must be non-negative integer minor units', () => {
    expect(() => splitProviderPayment(9.99, 300)).toThrow(RangeError);
    expect(() => splitProviderPayment(-1, 300)).toThrow(RangeError);
    expect(() => cumulativeShare(10, 11, 10)).toThrow(RangeError);
  });
});
