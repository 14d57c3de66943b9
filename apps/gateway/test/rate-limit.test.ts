import { createRateLimitRedis } from '@bursary/rate-limit';
import { createMemoryRuntimeConfig } from '@bursary/runtime-config';
import type { ServiceInstance } from '@bursary/service-kit';
import { serviceTestEnv } from '@bursary/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadGatewayConfig } from '../src/config.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';

/** One Redis key prefix for this file: both "instances" below share it, other files never see it. */
const baseEnv = serviceTestEnv();
const prefix = baseEnv['REDIS_KEY_PREFIX']!;

const problemOf = (response: { headers: Record<string, unknown>; json(): unknown }) => {
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  return response.json() as Record<string, unknown>;
};

describe('gateway rate limits (real Redis)', () => {
  let catalog: FakeUpstream;
  let accounts: FakeUpstream;
  const runtimeConfig = createMemoryRuntimeConfig();
  const apps: ServiceInstance[] = [];

  async function gateway(env: Record<string, string> = {}): Promise<ServiceInstance> {
    const config = loadGatewayConfig({
      ...baseEnv,
      UPSTREAM_CATALOG_URL: catalog.url,
      UPSTREAM_ACCOUNTS_URL: accounts.url,
      RATE_LIMIT_READ_MAX: '5',
      RATE_LIMIT_AUTH_IP_MAX: '4',
      RATE_LIMIT_AUTH_ACCOUNT_MAX: '2',
      ...env,
    });
    const app = await buildApp(config, { runtimeConfig });
    await app.ready();
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    accounts = await startFakeUpstream('accounts');
  });
  afterEach(async () => {
    runtimeConfig.set('ratelimit.factor', 1);
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await catalog?.close();
    await accounts?.close();
    const redis = createRateLimitRedis({ url: baseEnv['REDIS_URL']! });
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('R-RL-1: two gateway instances with the same Redis share one counter', async () => {
    const [a, b] = [await gateway(), await gateway()];
    const ip = '198.51.100.1';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await (i % 2 === 0 ? a : b).inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip });
      statuses.push(response.statusCode);
      if (i < 5) expect(response.headers['ratelimit-remaining']).toBe(String(4 - i));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // Both instances now refuse this client; another client is unaffected.
    expect((await a.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip })).statusCode).toBe(429);
    expect((await b.inject({ method: 'GET', url: '/v1/search', remoteAddress: ip })).statusCode).toBe(429);
    expect((await b.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '198.51.100.2' })).statusCode).toBe(200);
  });

  it('R-RL-1: a restart (close and rebuild) keeps the counter', async () => {
    const ip = '198.51.100.3';
    const first = await gateway();
    for (let i = 0; i < 3; i++) expect((await first.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip })).statusCode).toBe(200);
    await first.close();
    const restarted = await gateway();
    const next = await restarted.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip });
    expect(next.statusCode).toBe(200);
    expect(next.headers['ratelimit-remaining']).toBe('1');
    expect((await restarted.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip })).statusCode).toBe(200);
    expect((await restarted.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip })).statusCode).toBe(429);
  });

  it('R-RL-1, R-ERR-1: 429 is problem+json RATE_LIMITED with Retry-After and the RateLimit headers; every limited response carries them', async () => {
    const app = await gateway();
    const ip = '198.51.100.4';
    for (let i = 0; i < 5; i++) {
      const ok = await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-policy']).toBe('"read";q=5;w=60');
      expect(ok.headers['ratelimit']).toMatch(new RegExp(`^"read";r=${4 - i};t=\\d+$`));
      expect(ok.headers['ratelimit-limit']).toBe('5');
    }
    const limited = await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip, headers: { 'x-request-id': 'rl-gw-429' } });
    expect(limited.statusCode).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    // Sliding window: at most the rest of this window plus the decay of the previous one.
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(limited.headers['ratelimit']).toBe(`"read";r=0;t=${retryAfter}`);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(problemOf(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED', instance: 'rl-gw-429', policy: 'read' });
    // The upstream never saw the refused request.
    expect(catalog.requests.filter((r) => r.headers['x-request-id'] === 'rl-gw-429')).toHaveLength(0);
    // Health, readiness and docs are not limited and carry no RateLimit headers.
    for (const url of ['/healthz', '/readyz', '/robots.txt']) {
      const response = await app.inject({ method: 'GET', url, remoteAddress: ip });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['ratelimit-policy'], url).toBeUndefined();
    }
  });

  it('R-RL-1: auth routes are limited per IP (GCRA) and per account named in the body, whatever the IP or spelling', async () => {
    const app = await gateway();
    const login = (email: string, ip: string, url = '/v1/auth/login') =>
      app.inject({ method: 'POST', url, remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email, password: 'wrong' }) });
    const first = await login('victim@example.org', '203.0.113.10');
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-policy']).toBe('"auth-ip";q=4;w=60, "auth-account";q=2;w=900');
    expect((await login('Victim@Example.org', '203.0.113.11')).statusCode).toBe(200);
    const third = await login('victim@example.org', '203.0.113.12', '/v1/auth/%6Cogin');
    expect(third.statusCode).toBe(429);
    expect(problemOf(third)).toMatchObject({ code: 'RATE_LIMITED', policy: 'auth-account' });
    // Per IP: four attempts on four accounts, the fifth is refused before its body is read.
    const ip = '203.0.113.20';
    for (let i = 0; i < 4; i++) expect((await login(`user${i}@example.org`, ip)).statusCode).toBe(200);
    const fifth = await login('user9@example.org', ip);
    expect(fifth.statusCode).toBe(429);
    expect(problemOf(fifth)).toMatchObject({ policy: 'auth-ip' });
    // Logout is not a guessing target: counted as a write, so it keeps working while Redis is down.
    const logout = await app.inject({ method: 'POST', url: '/v1/auth/logout', remoteAddress: ip, payload: { refreshToken: 'x' } });
    expect(logout.statusCode).toBe(200);
    expect(logout.headers['ratelimit-policy']).toBe('"write";q=60;w=60');
  });

  it('R-RL-1: IPv6 clients are grouped by /64; X-Forwarded-For counts only from a trusted proxy', async () => {
    const app = await gateway({ RATE_LIMIT_READ_MAX: '2' });
    const get = (remoteAddress: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress, headers });
    expect((await get('2001:db8:aa:bb::1')).statusCode).toBe(200);
    expect((await get('2001:db8:aa:bb:ffff::2')).statusCode).toBe(200);
    expect((await get('2001:db8:aa:bb::3')).statusCode).toBe(429);
    expect((await get('2001:db8:aa:bc::1')).statusCode).toBe(200);
    // Without trusted proxies a forged X-Forwarded-For does not buy a fresh budget.
    const peer = '192.0.2.50';
    expect((await get(peer, { 'x-forwarded-for': '1.1.1.1' })).statusCode).toBe(200);
    expect((await get(peer, { 'x-forwarded-for': '1.1.1.2' })).statusCode).toBe(200);
    expect((await get(peer, { 'x-forwarded-for': '1.1.1.3' })).statusCode).toBe(429);

    const behindProxy = await gateway({ RATE_LIMIT_READ_MAX: '2', TRUSTED_PROXIES: '192.0.2.60' });
    const viaProxy = (client: string) => behindProxy.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '192.0.2.60', headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 2; i++) expect((await viaProxy('198.18.0.1')).statusCode).toBe(200);
    expect((await viaProxy('198.18.0.1')).statusCode).toBe(429);
    expect((await viaProxy('198.18.0.2')).statusCode).toBe(200);
  });

  it('R-RL-1: RATE_LIMIT_EXEMPT clients and the PSP webhook route are not limited', async () => {
    const app = await gateway({ RATE_LIMIT_READ_MAX: '1', RATE_LIMIT_EXEMPT: '192.0.2.128/25' });
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '192.0.2.200' })).statusCode).toBe(200);
    // Signed PSP webhooks are never throttled (no payments upstream here: 502, but never 429).
    const limitedWrites = await gateway({ RATE_LIMIT_WRITE_MAX: '1' });
    for (let i = 0; i < 3; i++) {
      const webhook = await limitedWrites.inject({ method: 'POST', url: '/v1/psp/webhooks', remoteAddress: '192.0.2.10', payload: { id: `evt_${i}` } });
      expect(webhook.statusCode).not.toBe(429);
      expect(webhook.headers['ratelimit-policy']).toBeUndefined();
    }
    expect(() => loadGatewayConfig(serviceTestEnv({ RATE_LIMIT_READ_MAX: 'many' }))).toThrow(/RATE_LIMIT_READ_MAX/);
    await expect(gateway({ RATE_LIMIT_EXEMPT: '10.0.0.0/99' })).rejects.toThrow(/RATE_LIMIT_EXEMPT/);
  });

  it('R-OPS-3: changing ratelimit.factor in the runtime config changes the limit live, without a restart', async () => {
    const app = await gateway();
    const ip = '198.51.100.7';
    const get = () => app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip });
    for (let i = 0; i < 5; i++) expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(429);
    runtimeConfig.set('ratelimit.factor', 2);
    const raised = await get();
    expect(raised.statusCode).toBe(200);
    expect(raised.headers['ratelimit-policy']).toBe('"read";q=10;w=60');
    for (let i = 0; i < 4; i++) expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(429);
    runtimeConfig.set('ratelimit.factor', 0.2);
    const lowered = await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '198.51.100.8' });
    expect(lowered.headers['ratelimit-policy']).toBe('"read";q=1;w=60');
    expect((await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '198.51.100.8' })).statusCode).toBe(429);
  });

  it('R-RL-1: decisions are counted in ratelimit_decisions_total{policy,outcome}', async () => {
    const app = await gateway({ RATE_LIMIT_READ_MAX: '1' });
    await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '198.51.100.9' });
    await app.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: '198.51.100.9' });
    const text = await app.serviceMetrics.registry.getSingleMetricAsString('ratelimit_decisions_total');
    expect(text).toMatch(/ratelimit_decisions_total\{policy="read",outcome="allowed",service="gateway"\} 1/);
    expect(text).toMatch(/ratelimit_decisions_total\{policy="read",outcome="limited",service="gateway"\} 1/);
  });
});
