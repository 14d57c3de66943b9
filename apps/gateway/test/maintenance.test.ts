import { createMemoryRuntimeConfig } from '@bursary/runtime-config';
import { serviceTestEnv } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadGatewayConfig } from '../src/config.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';

describe('maintenance kill switch', () => {
  const runtimeConfig = createMemoryRuntimeConfig();
  let catalog: FakeUpstream;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    catalog.handle((_req, res) => res.end('ok'));
    app = await buildApp(loadGatewayConfig(serviceTestEnv({ UPSTREAM_CATALOG_URL: catalog.url, MAINTENANCE_RETRY_AFTER_S: '60' })), { runtimeConfig });
  });
  afterAll(async () => {
    await app?.close();
    await catalog?.close();
  });

  it('R-OPS-3: maintenance on → every /v1 request is 503 MAINTENANCE with Retry-After; health and SEO pages unaffected; off → served again', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/scholarships' })).statusCode).toBe(200);
    runtimeConfig.set('maintenance', true);
    for (const [method, url] of [['GET', '/v1/scholarships'], ['POST', '/v1/purchases'], ['GET', '/v1/no-such-route']] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode, url).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['retry-after']).toBe('60');
      expect(response.json()).toMatchObject({ code: 'MAINTENANCE', status: 503 });
    }
    expect(catalog.requests.filter((r) => r.url.startsWith('/v1/purchases'))).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/robots.txt' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/scholarships/merit-award' })).statusCode).toBe(200);
    runtimeConfig.set('maintenance', false);
    expect((await app.inject({ method: 'GET', url: '/v1/scholarships' })).statusCode).toBe(200);
  });
});
