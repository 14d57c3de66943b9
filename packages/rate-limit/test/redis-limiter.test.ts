import { serviceTestEnv } from '@bursary/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLimiter } from '../src/memory-limiter.js';
import { createRateLimitRedis } from '../src/redis-client.js';
import { createRedisLimiter } from '../src/redis-limiter.js';
import type { Algorithm, Limiter, LimitRule } from '../src/limiter.js';

const env = serviceTestEnv();
const url = env['REDIS_URL']!;
const prefix = env['REDIS_KEY_PREFIX']!;

describe('Redis limiter (real Redis)', () => {
  // Two clients stand for two gateway instances.
  let clientA: Redis;
  let clientB: Redis;
  let a: Limiter;
  let b: Limiter;

  beforeAll(async () => {
    clientA = createRateLimitRedis({ url });
    clientB = createRateLimitRedis({ url });
    await Promise.all([clientA.connect(), clientB.connect()]);
    a = createRedisLimiter({ redis: clientA, keyPrefix: prefix });
    b = createRedisLimiter({ redis: clientB, keyPrefix: prefix });
  });
  afterAll(async () => {
    const keys = await clientA.keys(`${prefix}*`);
    if (keys.length > 0) await clientA.del(...keys);
    await a.close();
    await b.close();
  });

  it.each<Algorithm>(['gcra', 'sliding-window'])('R-RL-1: %s is atomic: 400 parallel requests from two clients never pass more than the limit', async (algorithm) => {
    // A one-hour window: nothing replenishes while the test runs, so exactly `limit` may pass.
    const rule: LimitRule = { algorithm, limit: 50, windowMs: 3_600_000 };
    const key = `atomic-${algorithm}`;
    const decisions = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).consume(key, rule)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(50);
    const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((x, y) => x - y);
    // Every allowed request saw a distinct remaining count 0..49: no two read the same state.
    expect(remaining).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const d of decisions.filter((x) => !x.allowed)) {
      expect(d.remaining).toBe(0);
      expect(d.retryAfterMs).toBeGreaterThan(0);
    }
  });

  it.each<Algorithm>(['gcra', 'sliding-window'])('R-RL-1: %s in Redis answers like the in-memory twin', async (algorithm) => {
    const rule: LimitRule = { algorithm, limit: 7, windowMs: 3_600_000 };
    const memory = createMemoryLimiter();
    const fromRedis = [];
    const fromMemory = [];
    for (let i = 0; i < 9; i++) {
      fromRedis.push(await a.consume(`twin-${algorithm}`, rule));
      fromMemory.push(await memory.consume(`twin-${algorithm}`, rule));
    }
    const shape = (d: { allowed: boolean; remaining: number }) => [d.allowed, d.remaining];
    expect(fromRedis.map(shape)).toEqual(fromMemory.map(shape));
    expect(fromRedis.map(shape)).toEqual([...Array.from({ length: 7 }, (_, i) => [true, 6 - i]), [false, 0], [false, 0]]);
  });

  it('R-RL-1: state lives in Redis under the prefix and expires by itself', async () => {
    await a.consume('expiry', { algorithm: 'gcra', limit: 10, windowMs: 60_000 });
    await a.consume('expiry', { algorithm: 'sliding-window', limit: 10, windowMs: 60_000 });
    const gcraTtl = await clientA.pttl(`${prefix}rl:gcra:expiry`);
    const windowTtl = await clientA.pttl(`${prefix}rl:sliding-window:expiry`);
    expect(gcraTtl).toBeGreaterThan(0);
    expect(gcraTtl).toBeLessThanOrEqual(6_000);
    expect(windowTtl).toBeGreaterThan(60_000);
    expect(windowTtl).toBeLessThanOrEqual(120_000);
  });

  it('R-RL-2: a flushed script cache (Redis restart, failover) is reloaded transparently', async () => {
    await clientA.script('FLUSH');
    const decision = await a.consume('reload', { algorithm: 'gcra', limit: 3, windowMs: 60_000 });
    expect(decision).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('rejects rules that would make no sense', async () => {
    await expect(a.consume('bad', { algorithm: 'gcra', limit: 0, windowMs: 1000 })).rejects.toThrow(RangeError);
    await expect(a.consume('bad', { algorithm: 'gcra', limit: 2, windowMs: 1000 }, 3)).rejects.toThrow(RangeError);
  });
});
