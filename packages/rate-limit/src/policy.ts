import type { FastifyRequest } from 'fastify';
import { ALGORITHMS, type Algorithm } from './limiter.js';

/**
 * When in the request lifecycle a policy is checked:
 * - `request` (onRequest): before the body is read, so a flood costs no body
 *   parsing; for keys known from the connection (client IP).
 * - `handler` (preHandler): after the body is parsed and after the auth
 *   layer's onRequest hooks, for keys from the body (account) or the
 *   authenticated user.
 */
export type PolicyStage = 'request' | 'handler';

/**
 * What the route does when the shared limiter (Redis) is unavailable
 * (R-RL-2): `open` counts in a per-instance in-memory limiter instead;
 * `closed` answers 503 RATE_LIMIT_UNAVAILABLE (brute-force targets).
 */
export type UnavailableMode = 'open' | 'closed';

/** Identity a request is counted under; undefined when the policy does not apply to it. */
export type KeyFunction = (request: FastifyRequest) => string | undefined;

/** One rate limit, as data (R-RL-1). */
export interface RateLimitPolicy {
  /** Header policy id, metric label and Redis key part: lower-case letters, digits and `-`. */
  readonly name: string;
  readonly algorithm: Algorithm;
  /** Requests per window before `ratelimit.factor` scales it. */
  readonly limit: number;
  readonly windowMs: number;
  readonly stage: PolicyStage;
  readonly whenUnavailable: UnavailableMode;
  readonly key: KeyFunction;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Validates a policy at boot: a typo in a limit must not reach production silently. */
export function definePolicy(policy: RateLimitPolicy): RateLimitPolicy {
  if (!NAME.test(policy.name)) throw new Error(`rate-limit policy name "${policy.name}" must match ${NAME}`);
  if (!ALGORITHMS.includes(policy.algorithm)) throw new Error(`rate-limit policy ${policy.name}: unknown algorithm ${String(policy.algorithm)}`);
  if (!Number.isInteger(policy.limit) || policy.limit < 1) throw new Error(`rate-limit policy ${policy.name}: limit must be an integer ≥ 1`);
  if (!Number.isInteger(policy.windowMs) || policy.windowMs < 1000) throw new Error(`rate-limit policy ${policy.name}: windowMs must be an integer ≥ 1000`);
  return Object.freeze({ ...policy });
}

/**
 * The live limit: `limit × factor` (R-OPS-3 `ratelimit.factor`), rounded,
 * never below 1. A factor that is not a positive number is ignored.
 */
export function scaledLimit(limit: number, factor: number): number {
  const f = Number.isFinite(factor) && factor > 0 ? factor : 1;
  return Math.max(1, Math.round(limit * f));
}
