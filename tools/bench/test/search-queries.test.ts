import { describe, expect, it } from 'vitest';
import { searchPath, zipfRanks } from '../src/catalog/search-queries.js';

describe('catalog benchmark workload', () => {
  it('R-CAT-5: search URLs are varied, repeatable per rank, and drawn with a Zipf popularity', () => {
    expect(searchPath(42)).toBe(searchPath(42));
    const urls = new Set(Array.from({ length: 5_000 }, (_, rank) => searchPath(rank)));
    expect(urls.size).toBeGreaterThan(3_000);
    for (const url of urls) expect(url).toMatch(/^\/v1\/search\?q=[^&]+/);

    const draw = zipfRanks(1_000, 1, 7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const rank = draw();
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    // P(rank 0) / P(rank 9) = 10 for s = 1.
    expect((counts.get(0) ?? 0) / (counts.get(9) ?? 1)).toBeGreaterThan(7);
    expect((counts.get(0) ?? 0) / (counts.get(9) ?? 1)).toBeLessThan(13);
    expect(Math.max(...counts.keys())).toBeLessThan(1_000);
    const again = zipfRanks(1_000, 1, 7);
    const first = zipfRanks(1_000, 1, 7);
    expect(Array.from({ length: 20 }, () => again())).toEqual(Array.from({ length: 20 }, () => first()));
  });
});
