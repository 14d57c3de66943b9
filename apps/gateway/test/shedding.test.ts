import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, startEdgeGateway, type EdgeGateway } from './helpers/edge-gateway.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send } from './helpers/gateway.js';

// Pressure is made deterministic through the thresholds, never through
// timing: a heap limit far below any real heap is always exceeded once the
// sampler (under-pressure, every 100 ms here) has taken its first reading.
const ELEVATED = { SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_HEAP_USED_RATIO: '0.99', SHED_ANONYMOUS_FACTOR: '0.000001', SHED_SAMPLE_INTERVAL_MS: '100', SHED_RETRY_AFTER_S: '9' };
const CRITICAL = { SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_HEAP_USED_RATIO: '0.000001', SHED_SAMPLE_INTERVAL_MS: '100' };

describe('gateway load shedding', () => {
  let catalog: FakeUpstream;
  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
  });
  afterAll(async () => {
    await catalog?.close();
  });

  const firstSample = (gateway: EdgeGateway) =>
    waitFor(async () => (await send(gateway.port, { path: '/v1/no-such-route' })).status === 503, { what: 'the first pressure sample' });

  it('R-SHED-1: under elevated pressure anonymous GETs are shed first (503 OVERLOADED + Retry-After); signed-in, auth, payment and health requests pass', async () => {
    const gateway = await startEdgeGateway(catalog, ELEVATED);
    try {
      await firstSample(gateway);
      catalog.requests.length = 0;
      for (const [method, path] of [['GET', '/v1/scholarships'], ['HEAD', '/v1/scholarships'], ['GET', '/robots.txt'], ['GET', '/docs/openapi.json']] as const) {
        const shed = await send(gateway.port, { method, path });
        expect(shed.status, `${method} ${path}`).toBe(503);
        expect(shed.headers['retry-after']).toBe('9');
        expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
        if (method === 'GET') expect(shed.json()).toMatchObject({ status: 503, code: 'OVERLOADED' });
      }
      expect(catalog.requests).toHaveLength(0);

      expect((await send(gateway.port, { path: '/v1/scholarships', headers: { authorization: 'Bearer anything' } })).status).toBe(200);
      const json = { 'content-type': 'application/json' };
      expect((await send(gateway.port, { method: 'POST', path: '/v1/auth/login', headers: json, body: '{}' })).status).not.toBe(503);
      expect((await send(gateway.port, { method: 'POST', path: '/v1/purchases', headers: json, body: '{}' })).status).toBe(200);
      for (const path of ['/healthz', '/readyz']) expect((await send(gateway.port, { path })).status, path).toBe(200);
      expect(await metricValue(gateway.app, 'shed_requests_total', { class: 'anonymous', signal: 'heap' })).toBeGreaterThanOrEqual(5);
      expect(await metricValue(gateway.app, 'shed_requests_total', { class: 'priority' })).toBe(0);
    } finally {
      await gateway.close();
    }
  });

  it('R-SHED-1: past the limit everything but health is shed, before the host check, auth or the proxy', async () => {
    const gateway = await startEdgeGateway(catalog, CRITICAL);
    try {
      await firstSample(gateway);
      catalog.requests.length = 0;
      expect((await send(gateway.port, { path: '/v1/scholarships', headers: { authorization: 'Bearer anything' } })).status).toBe(503);
      expect((await send(gateway.port, { method: 'POST', path: '/v1/purchases', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(503);
      expect(catalog.requests).toHaveLength(0);
      for (const path of ['/healthz', '/readyz']) {
        expect((await send(gateway.port, { path })).status, path).toBe(200);
        expect((await send(gateway.port, { method: 'HEAD', path })).status, path).toBe(200);
      }
      // Only the exact health routes are exempt.
      for (const path of ['/healthz/../v1/scholarships', '/HEALTHZ', '//healthz', '/healthz/']) expect((await send(gateway.port, { path })).status, path).toBe(503);
      expect(await metricValue(gateway.app, 'shed_requests_total', { class: 'priority', signal: 'heap' })).toBeGreaterThanOrEqual(2);
    } finally {
      await gateway.close();
    }
  });

  it('R-SHED-1: the default thresholds do not shed an idle gateway', async () => {
    const gateway = await startEdgeGateway(catalog, { SHED_SAMPLE_INTERVAL_MS: '100' });
    try {
      await waitFor(() => gateway.app.memoryUsage().heapUsed > 0, { what: 'the first pressure sample' });
      expect((await send(gateway.port, { path: '/v1/scholarships' })).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
