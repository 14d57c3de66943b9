import { waitFor } from '@bursary/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimiterUnavailableError, type Limiter } from '../src/limiter.js';
import { createRateLimitRedis } from '../src/redis-client.js';
import { createRedisLimiter } from '../src/redis-limiter.js';
import { startThrowawayRedis, type ThrowawayRedis } from './helpers/throwaway-redis.js';

describe('Redis outage (throwaway redis-server)', () => {
  let server: ThrowawayRedis;
  let client: Redis;
  let limiter: Limiter;
  const rule = { algorithm: 'gcra', limit: 100, windowMs: 60_000 } as const;

  beforeAll(async () => {
    server = await startThrowawayRedis();
    client = createRateLimitRedis({ url: server.url, maxReconnectDelayMs: 200 });
    client.on('error', () => undefined);
    await client.connect();
    limiter = createRedisLimiter({ redis: client, keyPrefix: 'outage:' });
  });
  afterAll(async () => {
    await limiter?.close();
    await server?.stop();
  });

  it('R-RL-2: while Redis is down every call fails fast with LimiterUnavailableError (no offline queue); it recovers when Redis returns', async () => {
    expect((await limiter.consume('k', rule)).allowed).toBe(true);
    await server.stop();
    await waitFor(() => client.status !== 'ready', { what: 'client to notice the outage' });
    // Many calls while down: each settles (none waits for a reconnect).
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => limiter.consume('k', rule)));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(LimiterUnavailableError);
    }
    await server.start();
    const decision = await waitFor(async () => limiter.consume('k', rule).catch(() => undefined), { what: 'the limiter to recover', timeoutMs: 15_000 });
    expect(decision.allowed).toBe(true);
  });

  it('R-RL-2: a hung Redis (accepts, never answers) fails calls by the command timeout, then is skipped briefly; recovery after it resumes', async () => {
    expect((await limiter.consume('hung', rule)).allowed).toBe(true);
    // A second limiter on the same client whose breaker stays open for the whole test.
    const guarded = createRedisLimiter({ redis: client, keyPrefix: 'outage:', breakerMs: 600_000, ownsClient: false });
    server.pause();
    try {
      const first = await Promise.allSettled([guarded.consume('hung', rule)]);
      expect(first[0]!.status).toBe('rejected');
      expect((first[0] as PromiseRejectedResult).reason).toBeInstanceOf(LimiterUnavailableError);
      // The breaker is open: the next call fails without waiting for another timeout.
      await expect(guarded.consume('hung', rule)).rejects.toThrow(/skipping/);
    } finally {
      server.resume();
    }
    const decision = await waitFor(async () => limiter.consume('hung', rule).catch(() => undefined), { what: 'the limiter to recover', timeoutMs: 15_000 });
    expect(decision.allowed).toBe(true);
  });
});
