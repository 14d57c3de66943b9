import { errorBoundaryPlugin, requestIdFrom } from '@bursary/errors';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { accountKeyFromBody } from '../src/account-key.js';
import { createRateLimitStore } from '../src/fastify-store.js';
import { LimiterUnavailableError, type Limiter } from '../src/limiter.js';
import { createMemoryLimiter } from '../src/memory-limiter.js';
import { definePolicy } from '../src/policy.js';
import { rateLimitPlugin, type RateLimitPluginOptions } from '../src/rate-limit-plugin.js';

/** A shared limiter whose backend is switched off and on by the test. */
function switchableLimiter(): Limiter & { down: boolean } {
  const inner = createMemoryLimiter();
  const limiter = {
    kind: 'redis' as const,
    down: false,
    consume: (key: string, rule: Parameters<Limiter['consume']>[1], cost?: number) =>
      limiter.down ? Promise.reject(new LimiterUnavailableError('down')) : inner.consume(key, rule, cost),
    close: () => inner.close(),
  };
  return limiter;
}

const policies = [
  definePolicy({ name: 'read', algorithm: 'sliding-window', limit: 3, windowMs: 60_000, stage: 'request', whenUnavailable: 'open', key: (r) => r.ip }),
  definePolicy({ name: 'auth-ip', algorithm: 'gcra', limit: 4, windowMs: 60_000, stage: 'request', whenUnavailable: 'closed', key: (r) => r.ip }),
  definePolicy({ name: 'auth-account', algorithm: 'gcra', limit: 2, windowMs: 900_000, stage: 'handler', whenUnavailable: 'closed', key: (r) => accountKeyFromBody(r.body) }),
];

async function build(overrides: Partial<RateLimitPluginOptions> = {}) {
  const limiter = switchableLimiter();
  const registry = new Registry();
  let factor = 1;
  const app = Fastify({ genReqId: requestIdFrom });
  await app.register(errorBoundaryPlugin);
  await app.register(rateLimitPlugin, {
    limiter,
    policies,
    select: (request) => (request.url.startsWith('/login') ? ['auth-ip', 'auth-account'] : request.url.startsWith('/items') ? ['read'] : []),
    factor: () => factor,
    registry,
    backendUp: () => !limiter.down,
    ...overrides,
  });
  app.get('/items', async () => ({ ok: true }));
  app.get('/health', async () => ({ ok: true }));
  app.post('/login', async () => ({ ok: true }));
  await app.ready();
  return { app, limiter, registry, setFactor: (f: number) => void (factor = f) };
}

const metric = async (registry: Registry, policy: string, outcome: string) => {
  const values = (await registry.getSingleMetric('ratelimit_decisions_total')!.get()).values;
  return values.find((v) => v.labels['policy'] === policy && v.labels['outcome'] === outcome)?.value ?? 0;
};

describe('rate-limit plugin', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('R-RL-1: every limited response carries RateLimit-Policy / RateLimit (draft-10) and RateLimit-Limit/-Remaining/-Reset', async () => {
    const built = await build();
    app = built.app;
    const first = await app.inject({ method: 'GET', url: '/items' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"read";q=3;w=60');
    expect(first.headers['ratelimit']).toMatch(/^"read";r=2;t=\d+$/);
    expect(first.headers['ratelimit-limit']).toBe('3');
    expect(first.headers['ratelimit-remaining']).toBe('2');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.headers['ratelimit-policy']).toBeUndefined();
  });

  it('R-RL-1, R-ERR-1: over the limit → 429 problem+json RATE_LIMITED with Retry-After and the headers', async () => {
    const built = await build();
    app = built.app;
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(200);
    const limited = await app.inject({ method: 'GET', url: '/items', headers: { 'x-request-id': 'rl-429' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(limited.headers['ratelimit']).toMatch(/^"read";r=0;t=\d+$/);
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', instance: 'rl-429', policy: 'read' });
    expect(await metric(built.registry, 'read', 'allowed')).toBe(3);
    expect(await metric(built.registry, 'read', 'limited')).toBe(1);
  });

  it('R-RL-1: per-account policy counts the account named in the body, across IPs, after the per-IP one', async () => {
    const built = await build();
    app = built.app;
    const login = (email: string, ip: string) => app!.inject({ method: 'POST', url: '/login', remoteAddress: ip, payload: { email, password: 'x' } });
    expect((await login('ada@example.org', '10.0.0.1')).statusCode).toBe(200);
    const second = await login('ADA@example.org', '10.0.0.2');
    expect(second.statusCode).toBe(200);
    expect(second.headers['ratelimit-policy']).toBe('"auth-ip";q=4;w=60, "auth-account";q=2;w=900');
    const third = await login('ada@example.org', '10.0.0.3');
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ code: 'RATE_LIMITED', policy: 'auth-account' });
    expect((await login('bob@example.org', '10.0.0.3')).statusCode).toBe(200);
  });

  it('R-RL-2: backend down → reads fail open to the local limiter (still limited), auth fails closed 503 RATE_LIMIT_UNAVAILABLE; recovery', async () => {
    const built = await build();
    app = built.app;
    built.limiter.down = true;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'GET', url: '/items' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const login = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ada@example.org' } });
    expect(login.statusCode).toBe(503);
    expect(login.headers['retry-after']).toBe('5');
    expect(login.json()).toMatchObject({ status: 503, code: 'RATE_LIMIT_UNAVAILABLE' });
    expect(await metric(built.registry, 'read', 'degraded_open')).toBe(3);
    expect(await metric(built.registry, 'auth-ip', 'degraded_closed')).toBe(1);
    expect((await built.registry.getSingleMetricAsString('ratelimit_backend_up'))).toMatch(/ratelimit_backend_up 0/);
    built.limiter.down = false;
    expect((await app.inject({ method: 'POST', url: '/login', payload: { email: 'ada@example.org' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/items' })).statusCode).toBe(200);
  });

  it('R-OPS-3: the factor getter scales limits at request time', async () => {
    const built = await build();
    app = built.app;
    built.setFactor(2);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await app.inject({ method: 'GET', url: '/items' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    built.setFactor(0.5);
    const after = await app.inject({ method: 'GET', url: '/items', remoteAddress: '10.9.9.9' });
    expect(after.headers['ratelimit-policy']).toBe('"read";q=2;w=60');
  });
});

describe('store used directly by @fastify/rate-limit', () => {
  it('R-RL-1: works as the `store` option with per-route config (global hook, built-in headers)', async () => {
    const app = Fastify();
    const limiter = createMemoryLimiter();
    await app.register(fastifyRateLimit, { store: createRateLimitStore({ limiter, fallback: createMemoryLimiter() }), max: 2, timeWindow: 60_000, enableDraftSpec: true });
    app.get('/a', async () => 'a');
    const routeLimit = { max: 1, timeWindow: 60_000, policy: { name: 'route-b', algorithm: 'gcra', whenUnavailable: 'open' } };
    app.get('/b', { config: { rateLimit: routeLimit } }, async () => 'b');
    const a = [await app.inject('/a'), await app.inject('/a'), await app.inject('/a')];
    expect(a.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    expect(a[0]!.headers['ratelimit-limit']).toBe('2');
    expect(a[0]!.headers['ratelimit-remaining']).toBe('1');
    expect(a[2]!.headers['retry-after']).toBeDefined();
    const b = [await app.inject('/b'), await app.inject('/b')];
    expect(b.map((r) => r.statusCode)).toEqual([200, 429]);
    await app.close();
  });
});
