/**
 * `gcra`: the generic cell rate algorithm. A burst of up to `limit` is
 * allowed from rest, then one request every `windowMs / limit`; no boundary
 * effects, one key and one number per client. Used for auth and writes.
 *
 * `sliding-window`: the sliding-window counter (current window plus the
 * previous one weighted by how much of it still overlaps). Cheap and smooth
 * enough for high-volume reads.
 */
export type Algorithm = 'gcra' | 'sliding-window';

export const ALGORITHMS: readonly Algorithm[] = ['gcra', 'sliding-window'];

export interface LimitRule {
  algorithm: Algorithm;
  /** Requests allowed per window (≥ 1). */
  limit: number;
  windowMs: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** The limit the decision was taken against. */
  limit: number;
  /** Requests still allowed right now (0 when limited). */
  remaining: number;
  /** Milliseconds until the quota is back to full (gcra) or the current window ends (sliding-window). */
  resetMs: number;
  /** Milliseconds until a request of the same cost would be allowed; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * Takes `cost` units from the budget of `key` under `rule`, atomically:
 * concurrent calls for one key never let more than `limit` through.
 * Implementations: Redis (shared by every instance) and in-memory (one
 * process: unit tests and the degraded mode of R-RL-2).
 */
export interface Limiter {
  readonly kind: 'redis' | 'memory';
  consume(key: string, rule: LimitRule, cost?: number): Promise<LimitDecision>;
  close(): Promise<void>;
}

/**
 * The shared backend could not decide (Redis down, timed out, refused). The
 * caller decides what that means: fail open to a local limiter, or closed.
 */
export class LimiterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LimiterUnavailableError';
  }
}

export function assertRule(rule: LimitRule, cost: number): void {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new RangeError(`limit must be an integer ≥ 1, got ${rule.limit}`);
  if (!Number.isFinite(rule.windowMs) || rule.windowMs < 1) throw new RangeError(`windowMs must be ≥ 1, got ${rule.windowMs}`);
  if (!Number.isInteger(cost) || cost < 1 || cost > rule.limit) throw new RangeError(`cost must be an integer from 1 to the limit, got ${cost}`);
}
