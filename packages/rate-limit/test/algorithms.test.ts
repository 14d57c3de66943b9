import { describe, expect, it } from 'vitest';
import { gcra, slidingWindow, type WindowState } from '../src/algorithms.js';
import type { LimitRule } from '../src/limiter.js';

function runGcra(rule: LimitRule, times: number[]): boolean[] {
  let tat: number | undefined;
  return times.map((now) => {
    const outcome = gcra(tat, now, rule, 1);
    tat = outcome.tat ?? tat;
    return outcome.decision.allowed;
  });
}

describe('GCRA', () => {
  const rule: LimitRule = { algorithm: 'gcra', limit: 5, windowMs: 60_000 };

  it('R-RL-1: a burst of exactly `limit` passes from rest, then one request per window/limit', () => {
    const t0 = 1_700_000_000_000;
    expect(runGcra(rule, Array(7).fill(t0))).toEqual([true, true, true, true, true, false, false]);
    // After one emission interval (12 s) exactly one more fits.
    let tat: number | undefined;
    for (let i = 0; i < 5; i++) tat = gcra(tat, t0, rule, 1).tat ?? tat;
    const early = gcra(tat, t0 + 11_999, rule, 1);
    expect(early.decision).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1 });
    const onTime = gcra(tat, t0 + 12_000, rule, 1);
    expect(onTime.decision).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('R-RL-1: remaining, reset and retry-after are consistent', () => {
    const t0 = 1_000_000;
    const first = gcra(undefined, t0, rule, 1);
    expect(first.decision).toEqual({ allowed: true, limit: 5, remaining: 4, resetMs: 12_000, retryAfterMs: 0 });
    let tat = first.tat;
    for (let i = 0; i < 4; i++) tat = gcra(tat, t0, rule, 1).tat ?? tat;
    const limited = gcra(tat, t0, rule, 1);
    expect(limited.decision).toEqual({ allowed: false, limit: 5, remaining: 0, resetMs: 60_000, retryAfterMs: 12_000 });
  });

  it('R-OPS-3: a lower limit applies at once to an existing state', () => {
    const t0 = 5_000_000;
    let tat: number | undefined;
    for (let i = 0; i < 3; i++) tat = gcra(tat, t0, rule, 1).tat ?? tat;
    // 3 used of 5; with the limit halved to 2 (factor 0.4) the next is refused.
    expect(gcra(tat, t0, { ...rule, limit: 2 }, 1).decision.allowed).toBe(false);
  });

  it('non-integer emission intervals do not lose the last request of a burst', () => {
    const odd: LimitRule = { algorithm: 'gcra', limit: 7, windowMs: 60_000 };
    expect(runGcra(odd, Array(8).fill(123_456_789_012)).filter(Boolean)).toHaveLength(7);
  });
});

describe('sliding window counter', () => {
  const rule: LimitRule = { algorithm: 'sliding-window', limit: 10, windowMs: 60_000 };

  function run(state: WindowState | undefined, now: number, count: number) {
    let allowed = 0;
    let last;
    for (let i = 0; i < count; i++) {
      const outcome = slidingWindow(state, now, rule, 1);
      state = outcome.state ?? state;
      if (outcome.decision.allowed) allowed++;
      last = outcome.decision;
    }
    return { state, allowed, last: last! };
  }

  it('R-RL-1: allows `limit` per window and tells when the next one fits', () => {
    const start = 60_000 * 1000;
    const first = run(undefined, start + 30_000, 12);
    expect(first.allowed).toBe(10);
    // Current window alone is full: wait to the window end (30 s) and then until 10 × (W − e)/W ≤ 9 (6 s).
    expect(first.last).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 36_000 });
    // Just after the boundary the previous window still weighs almost fully.
    expect(run(first.state, start + 60_001, 1).allowed).toBe(0);
    // At the announced retry time exactly one fits (previous weight 0.9 → estimate 9).
    expect(run(first.state, start + 66_000, 10).allowed).toBe(1);
    // 24 s into the next window: previous weight 0.6 → estimate 6, four fit.
    expect(run(first.state, start + 84_000, 10).allowed).toBe(4);
  });

  it('R-RL-1: a window two windows later starts from zero', () => {
    const start = 60_000 * 2000;
    const first = run(undefined, start, 10);
    expect(run(first.state, start + 120_000, 11).allowed).toBe(10);
  });
});
