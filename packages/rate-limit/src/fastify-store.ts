import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Algorithm, Limiter, LimitDecision } from './limiter.js';
import type { UnavailableMode } from './policy.js';
import { RateLimitErrors } from './rate-limit-errors.js';
import type { RateLimitOutcome } from './rate-limit-metrics.js';

/** The part of a policy the store needs; passed to `createRateLimit({ policy })` / route `config.rateLimit.policy`. */
export interface StorePolicy {
  name: string;
  algorithm: Algorithm;
  whenUnavailable: UnavailableMode;
}

export interface RateLimitStoreOptions {
  /** The shared limiter (Redis). */
  limiter: Limiter;
  /** The per-instance limiter fail-open policies fall back to. */
  fallback: Limiter;
  /** Retry-After of the 503 a fail-closed policy answers while the shared limiter is down. */
  unavailableRetryAfterSeconds?: number;
  onDecision?: (policy: string, outcome: RateLimitOutcome) => void;
  /** Called on every failed shared-limiter call (the plugin logs transitions, not each one). */
  onBackendError?: (error: unknown) => void;
  onBackendOk?: () => void;
}

type StoreCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const DEFAULT_POLICY: StorePolicy = { name: 'default', algorithm: 'sliding-window', whenUnavailable: 'open' };

/**
 * @fastify/rate-limit compares `current` with `max` and turns `ttl` into the
 * reset / Retry-After seconds; a decision maps onto that exactly:
 * remaining = max − current, and a limited request reports max + 1.
 */
function toStoreResult(decision: LimitDecision): { current: number; ttl: number } {
  return decision.allowed
    ? { current: decision.limit - decision.remaining, ttl: decision.resetMs }
    : { current: decision.limit + 1, ttl: decision.retryAfterMs };
}

/**
 * A `store` for @fastify/rate-limit (v10/v11 custom store API: constructed
 * with the plugin's options, `incr(key, cb, timeWindow, max)` answering
 * `{ current, ttl }`, and `child(routeOptions)` per route / createRateLimit
 * call). Each child carries its policy (algorithm, fail mode) from the
 * `policy` member of its options.
 *
 * Degradation (R-RL-2): when the shared limiter fails, a fail-open policy is
 * decided by the in-memory fallback, and a fail-closed one answers an
 * AppError 503 RATE_LIMIT_UNAVAILABLE with Retry-After (which the plugin
 * rethrows and the error boundary renders) — never an unclassified 500.
 */
export function createRateLimitStore(options: RateLimitStoreOptions): FastifyRateLimitStoreCtor {
  const retryAfter = String(options.unavailableRetryAfterSeconds ?? 5);

  class BursaryRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _pluginOptions?: unknown,
      private readonly policy: StorePolicy = DEFAULT_POLICY,
    ) {}

    incr(key: string, callback: StoreCallback, timeWindow: number, max: number): void {
      const policy = this.policy;
      const rule = { algorithm: policy.algorithm, limit: Math.max(1, Math.trunc(max)), windowMs: Math.max(1, timeWindow) };
      const id = `${policy.name}:${key}`;
      options.limiter.consume(id, rule).then(
        (decision) => {
          options.onBackendOk?.();
          options.onDecision?.(policy.name, decision.allowed ? 'allowed' : 'limited');
          callback(null, toStoreResult(decision));
        },
        (error: unknown) => {
          options.onBackendError?.(error);
          if (policy.whenUnavailable === 'closed') {
            options.onDecision?.(policy.name, 'degraded_closed');
            callback(RateLimitErrors.RATE_LIMIT_UNAVAILABLE({
              detail: 'Rate limiting is temporarily unavailable for this route; please retry shortly.',
              headers: { 'retry-after': retryAfter },
              cause: error,
            }));
            return;
          }
          options.fallback.consume(id, rule).then(
            (decision) => {
              options.onDecision?.(policy.name, decision.allowed ? 'degraded_open' : 'limited');
              callback(null, toStoreResult(decision));
            },
            (fallbackError: unknown) => callback(fallbackError instanceof Error ? fallbackError : new Error(String(fallbackError))),
          );
        },
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const policy = (routeOptions as { policy?: StorePolicy }).policy;
      return new BursaryRateLimitStore(undefined, policy ?? this.policy);
    }
  }

  return BursaryRateLimitStore;
}
