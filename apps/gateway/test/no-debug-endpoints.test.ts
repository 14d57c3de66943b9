import { createMemoryRuntimeConfig } from '@bursary/runtime-config';
import { serviceTestEnv } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadGatewayConfig } from '../src/config.js';

const DEBUG_PATHS = [
  '/_debug/config',
  '/_debug',
  '/_debug/vars',
  '/debug',
  '/debug/vars',
  '/debug/pprof',
  '/debug/config',
  '/env',
  '/.env',
  '/config',
  '/config.json',
  '/_config',
  '/configuration',
  '/settings',
  '/admin',
  '/admin/config',
  '/actuator',
  '/actuator/env',
  '/actuator/configprops',
  '/server-status',
  '/server-info',
  '/status',
  '/info',
  '/phpinfo.php',
  '/.git/config',
  '/heapdump',
  '/trace',
  '/metrics',
  '/_metrics',
  '/v1/_debug/config',
  '/v1/debug',
  '/v1/config',
  '/v1/env',
  '/v1/metrics',
  '/v1/admin',
];

describe('gateway: no debug or config endpoints', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  // The sweep is about which routes exist. The WAF refuses scanner probes
  // such as POST /.env with 403 before routing, which would hide a route, so
  // it is off for the sweep and checked on its own below.
  const runtimeConfig = createMemoryRuntimeConfig({ 'waf.mode': 'off' });
  beforeAll(async () => {
    app = await buildApp(loadGatewayConfig(serviceTestEnv()), { runtimeConfig });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(DEBUG_PATHS)('R-DBG-1: GET %s is 404 problem+json', async (url) => {
    for (const method of ['GET', 'POST'] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('R-DBG-1: with the WAF on, a probe is 404 or a WAF 403, never anything else', async () => {
    runtimeConfig.set('waf.mode', 'by-method');
    try {
      for (const url of DEBUG_PATHS) {
        for (const method of ['GET', 'POST'] as const) {
          const response = await app.inject({ method, url });
          expect([404, 403], `${method} ${url}`).toContain(response.statusCode);
          expect(response.json<{ code: string }>().code).toBe(response.statusCode === 404 ? 'NOT_FOUND' : 'WAF_BLOCKED');
        }
      }
    } finally {
      runtimeConfig.set('waf.mode', 'off');
    }
  });

  it('R-OPS-1: /metrics is not served on the public port', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('/healthz and /readyz answer without any upstream running (readiness does not cascade)', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });
});
