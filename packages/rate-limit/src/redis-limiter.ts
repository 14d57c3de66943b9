import type { Redis } from 'ioredis';
import { assertRule, LimiterUnavailableError, type Limiter, type LimitDecision, type LimitRule } from './limiter.js';
import { LuaScript } from './lua-script.js';
import { GCRA_SCRIPT, SLIDING_WINDOW_SCRIPT } from './lua-scripts.js';

export interface RedisLimiterOptions {
  redis: Redis;
  /** Prepended to every key, e.g. the service's REDIS_KEY_PREFIX. */
  keyPrefix: string;
  /**
   * After a command timed out, skip Redis for this many ms and fail at once
   * (a hung Redis must not add the full command timeout to every request).
   */
  breakerMs?: number;
  /** Closes the Redis client on close(); false when the caller owns it. */
  ownsClient?: boolean;
  now?: () => number;
}

const scripts = {
  gcra: new LuaScript(GCRA_SCRIPT),
  'sliding-window': new LuaScript(SLIDING_WINDOW_SCRIPT),
} as const;

function toDecision(reply: unknown, limit: number): LimitDecision {
  if (!Array.isArray(reply) || reply.length !== 4) throw new LimiterUnavailableError('unexpected reply from the rate-limit script');
  const [allowed, remaining, resetMs, retryAfterMs] = reply.map(Number) as [number, number, number, number];
  return { allowed: allowed === 1, limit, remaining, resetMs, retryAfterMs };
}

/** The shared limiter (R-RL-1): every gateway instance, and every restart, sees the same counters. */
export function createRedisLimiter(options: RedisLimiterOptions): Limiter {
  const { redis, keyPrefix } = options;
  const breakerMs = options.breakerMs ?? 1_000;
  const now = options.now ?? Date.now;
  let skipUntil = 0;

  return {
    kind: 'redis',
    async consume(key: string, rule: LimitRule, cost = 1): Promise<LimitDecision> {
      assertRule(rule, cost);
      if (redis.status !== 'ready') throw new LimiterUnavailableError(`redis is ${redis.status}`);
      if (now() < skipUntil) throw new LimiterUnavailableError('redis timed out recently; skipping it for a moment');
      let reply: unknown;
      try {
        reply = await scripts[rule.algorithm].run(redis, [`${keyPrefix}rl:${rule.algorithm}:${key}`], [rule.limit, rule.windowMs, cost]);
      } catch (error) {
        if (error instanceof Error && /timed? ?out/i.test(error.message)) skipUntil = now() + breakerMs;
        throw new LimiterUnavailableError(`redis failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return toDecision(reply, rule.limit);
    },
    async close() {
      if (options.ownsClient === false) return;
      redis.disconnect();
    },
  };
}
