import { gcra, slidingWindow, type WindowState } from './algorithms.js';
import { assertRule, type Limiter, type LimitDecision, type LimitRule } from './limiter.js';

export interface MemoryLimiterOptions {
  /** Most keys kept; the least recently used go first (a flood of spoofed keys cannot exhaust memory). */
  maxKeys?: number;
  now?: () => number;
}

interface Entry {
  expiresAt: number;
  tat?: number;
  window?: WindowState;
}

/**
 * One process's limiter: unit tests, and the per-instance fallback for
 * fail-open policies while Redis is down (R-RL-2). Same algorithms and
 * answers as the Redis one; a JavaScript call is atomic by construction.
 */
export function createMemoryLimiter(options: MemoryLimiterOptions = {}): Limiter & { size(): number } {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function take(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    return entry.expiresAt > now() ? entry : undefined;
  }

  function put(key: string, entry: Entry): void {
    entries.set(key, entry);
    while (entries.size > maxKeys) {
      const oldest = entries.keys().next();
      if (oldest.done) break;
      entries.delete(oldest.value);
    }
  }

  return {
    kind: 'memory',
    async consume(key: string, rule: LimitRule, cost = 1): Promise<LimitDecision> {
      assertRule(rule, cost);
      const fullKey = `${rule.algorithm}:${key}`;
      const at = now();
      const entry = take(fullKey);
      if (rule.algorithm === 'gcra') {
        const outcome = gcra(entry?.tat, at, rule, cost);
        const tat = outcome.tat ?? entry?.tat;
        if (tat !== undefined && tat > at) put(fullKey, { tat, expiresAt: tat });
        return outcome.decision;
      }
      const outcome = slidingWindow(entry?.window, at, rule, cost);
      const state = outcome.state ?? entry?.window;
      if (state) put(fullKey, { window: state, expiresAt: (state.window + 2) * rule.windowMs });
      return outcome.decision;
    },
    size: () => entries.size,
    async close() {
      entries.clear();
    },
  };
}
