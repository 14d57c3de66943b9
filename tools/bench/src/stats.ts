/** Nearest-rank percentile of `values` (0 < p ≤ 100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(latenciesMs: readonly number[]): { p50: number; p90: number; p99: number; max: number } {
  return { p50: percentile(latenciesMs, 50), p90: percentile(latenciesMs, 90), p99: percentile(latenciesMs, 99), max: percentile(latenciesMs, 100) };
}
