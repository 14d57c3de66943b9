import type { LimitDecision, LimitRule } from './limiter.js';

/**
 * The two algorithms as pure functions over (state, now), for the in-memory
 * limiter. The Lua scripts in lua-scripts.ts are line-for-line the same
 * arithmetic, so both backends answer alike (tests compare them).
 */

/** Float tolerance in milliseconds: far below any emission interval we allow. */
const EPSILON_MS = 0.01;

export interface GcraOutcome {
  decision: LimitDecision;
  /** The new theoretical arrival time to store, or undefined to leave the state as it is. */
  tat: number | undefined;
}

/**
 * GCRA with a burst of `limit`: each request moves the theoretical arrival
 * time (TAT) by T = windowMs / limit; a request is allowed while the TAT
 * stays within windowMs of now. From rest exactly `limit` pass at once.
 */
export function gcra(storedTat: number | undefined, now: number, rule: LimitRule, cost: number): GcraOutcome {
  const emission = rule.windowMs / rule.limit;
  const tat = storedTat === undefined || storedTat < now ? now : storedTat;
  const newTat = tat + emission * cost;
  const allowAt = newTat - rule.windowMs;
  if (allowAt - now > EPSILON_MS) {
    return {
      tat: undefined,
      decision: { allowed: false, limit: rule.limit, remaining: 0, resetMs: Math.ceil(tat - now), retryAfterMs: Math.max(1, Math.ceil(allowAt - now)) },
    };
  }
  const remaining = Math.max(0, Math.floor((rule.windowMs - (newTat - now) + EPSILON_MS) / emission));
  return {
    tat: newTat,
    decision: { allowed: true, limit: rule.limit, remaining, resetMs: Math.ceil(newTat - now), retryAfterMs: 0 },
  };
}

export interface WindowState {
  /** Index of the window `current` counts in (floor(now / windowMs)). */
  window: number;
  current: number;
  previous: number;
}

export interface SlidingWindowOutcome {
  decision: LimitDecision;
  state: WindowState | undefined;
}

/**
 * Sliding-window counter: the estimate is previous × (share of the previous
 * window still inside the sliding window) + current. Rejected requests are
 * not counted, so a client that backs off gets through again.
 */
export function slidingWindow(stored: WindowState | undefined, now: number, rule: LimitRule, cost: number): SlidingWindowOutcome {
  const size = rule.windowMs;
  const window = Math.floor(now / size);
  const elapsed = now - window * size;
  let current = 0;
  let previous = 0;
  if (stored && stored.window === window) {
    current = stored.current;
    previous = stored.previous;
  } else if (stored && stored.window === window - 1) {
    previous = stored.current;
  }
  const estimate = (previous * (size - elapsed)) / size + current;
  if (estimate + cost > rule.limit + 1e-9) {
    let wait: number;
    if (current + cost <= rule.limit) {
      // Only the previous window's weight is in the way: wait until it has decayed enough.
      wait = size - elapsed - ((rule.limit - current - cost) * size) / previous;
    } else {
      // The current window alone is over: wait for it to become the previous one and decay.
      wait = size - elapsed + Math.max(0, size - ((rule.limit - cost) * size) / current);
    }
    const retryAfterMs = Math.max(1, Math.ceil(wait));
    return { state: undefined, decision: { allowed: false, limit: rule.limit, remaining: 0, resetMs: retryAfterMs, retryAfterMs } };
  }
  current += cost;
  return {
    state: { window, current, previous },
    decision: {
      allowed: true,
      limit: rule.limit,
      remaining: Math.max(0, Math.floor(rule.limit - estimate - cost + 1e-9)),
      resetMs: Math.ceil(size - elapsed),
      retryAfterMs: 0,
    },
  };
}
