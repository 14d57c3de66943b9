import { describe, expect, it } from 'vitest';
import { percentile } from '../src/stats.js';

describe('bench statistics', () => {
  it('R-EVT-1: nearest-rank percentiles for the outbox latency figures', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
