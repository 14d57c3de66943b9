import type { AddressInfo } from 'node:net';
import { rawHttp } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_CONTENT_SECURITY_POLICY, buildService, PAGE_CONTENT_SECURITY_POLICY, type PressureSample, type ServiceInstance } from '../src/index.js';

const build = (loadShedding: Parameters<typeof buildService>[0]['loadShedding'] = {}) =>
  buildService({ name: 'kit', description: 'test', logLevel: 'silent', bodyLimitBytes: 1024, loadShedding });

const metricValue = async (app: ServiceInstance, name: string, labels: Record<string, string>): Promise<number> => {
  const metric = (await app.serviceMetrics.registry.getSingleMetric(name)?.get())?.values ?? [];
  return metric.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
};

describe('service-kit: security headers and cache policy', () => {
  let app: ServiceInstance;
  let port: number;
  beforeAll(async () => {
    app = await build();
    app.get('/v1/things', async () => ({ ok: true }));
    app.get('/v1/cached', async (_request, reply) => reply.header('cache-control', 'private, max-age=30').send({ ok: true }));
    app.get('/v1/fails', async () => {
      throw new Error('boom');
    });
    app.get('/robots.txt', async (_request, reply) => reply.type('text/plain').send('User-agent: *\nAllow: /\n'));
    app.get('/sitemap.xml', async (_request, reply) => reply.type('application/xml').send('<sitemapindex/>'));
    app.get('/sitemap-:part(^[a-z0-9]+).xml', async (_request, reply) => reply.type('application/xml').send('<urlset/>'));
    app.get('/scholarships/:slug', async (_request, reply) => reply.type('text/html; charset=utf-8').send('<!doctype html><title>x</title>'));
    app.get('/pages/about', { config: { cachePolicy: 'page' } }, async (_request, reply) => reply.type('text/html').send('<p>about</p>'));
    app.get('/internal/report', { config: { cachePolicy: 'no-store' } }, async () => ({ ok: true }));
    app.get('/own-csp', async (_request, reply) => reply.header('content-security-policy', "default-src 'self' cdn.example").type('text/html').send('<p/>'));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('R-HDR-1: helmet headers with API settings on success, 404, 500 and edge refusals', async () => {
    const responses = [
      await app.inject({ method: 'GET', url: '/v1/things' }),
      await app.inject({ method: 'GET', url: '/v1/no-such' }),
      await app.inject({ method: 'GET', url: '/v1/fails' }),
      await app.inject({ method: 'GET', url: '/healthz' }),
    ];
    const empty = await rawHttp(port, 'GET /v1/things HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n');
    expect(responses.map((r) => r.statusCode)).toEqual([200, 404, 500, 200]);
    for (const headers of [...responses.map((r) => r.headers as Record<string, unknown>), empty.headers]) {
      expect(headers['content-security-policy']).toBe(API_CONTENT_SECURITY_POLICY);
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(headers['x-powered-by']).toBeUndefined();
    }
  });

  it('R-HDR-1: an HTML document gets the page CSP (its own assets), unless its route chose one', async () => {
    const page = await app.inject({ method: 'GET', url: '/scholarships/merit-award' });
    expect(page.headers['content-security-policy']).toBe(PAGE_CONTENT_SECURITY_POLICY);
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(PAGE_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    const own = await app.inject({ method: 'GET', url: '/own-csp' });
    expect(own.headers['content-security-policy']).toBe("default-src 'self' cdn.example");
  });

  it('R-HDR-1: Cache-Control no-store on API, health and error responses (an edge refusal on an SEO path too)', async () => {
    for (const url of ['/v1/things', '/v1/no-such', '/v1/fails', '/healthz', '/readyz', '/no-such-page', '/scholarships/a/b', '/internal/report']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
    const empty = await rawHttp(port, 'GET /robots.txt HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n');
    expect(empty.status).toBe(400);
    expect(empty.headers['cache-control']).toBe('no-store');
  });

  it('R-HDR-1: never no-store on SEO pages, robots.txt or sitemaps; an explicit Cache-Control is kept', async () => {
    for (const url of ['/robots.txt', '/sitemap.xml', '/sitemap-1.xml', '/scholarships/merit-award', '/scholarships/merit-award?utm=x', '/pages/about']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBeUndefined();
    }
    const cached = await app.inject({ method: 'GET', url: '/v1/cached' });
    expect(cached.headers['cache-control']).toBe('private, max-age=30');
  });

  it('R-HOST-2: an absent Host is HOST_MISSING, an empty one HOST_NOT_ALLOWED, both counted', async () => {
    const missing = await rawHttp(port, 'GET /v1/things HTTP/1.0\r\n\r\n');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'HOST_MISSING' });
    for (const host of ['', '   ']) {
      const empty = await rawHttp(port, `GET /v1/things HTTP/1.1\r\nHost:${host}\r\nConnection: close\r\n\r\n`);
      expect(empty.status).toBe(400);
      expect(empty.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(empty.body)).toMatchObject({ code: 'HOST_NOT_ALLOWED', status: 400 });
    }
    expect(await metricValue(app, 'host_rejections_total', { reason: 'missing' })).toBeGreaterThanOrEqual(1);
    expect(await metricValue(app, 'host_rejections_total', { reason: 'empty' })).toBeGreaterThanOrEqual(2);
  });
});

describe('service-kit: load shedding', () => {
  const calm: PressureSample = { eventLoopDelayMs: 1, eventLoopUtilization: 0.2, heapUsedBytes: 50e6 };
  let current = calm;
  let app: ServiceInstance;
  beforeAll(async () => {
    // Limits: 200 ms of lag; anonymous reads go at half of it.
    app = await build({ maxEventLoopDelayMs: 200, anonymousFactor: 0.5, retryAfterSeconds: 7, pressureSource: () => current });
    app.get('/v1/things', async () => ({ ok: true }));
    app.post('/v1/purchases', async () => ({ ok: true }));
    app.get('/v1/popular', { config: { shedding: 'priority' } }, async () => ({ ok: true }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const status = async (method: 'GET' | 'POST' | 'HEAD' | 'OPTIONS', url: string, headers: Record<string, string> = {}) =>
    (await app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) })).statusCode;

  it('R-SHED-1: no pressure, nothing shed', async () => {
    current = calm;
    expect(await status('GET', '/v1/things')).toBe(200);
    expect(await status('POST', '/v1/purchases')).toBe(200);
  });

  it('R-SHED-1: elevated pressure sheds anonymous reads first with 503 OVERLOADED and Retry-After; signed-in, writes and health pass', async () => {
    current = { ...calm, eventLoopDelayMs: 150 };
    const shed = await app.inject({ method: 'GET', url: '/v1/things' });
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.headers['retry-after']).toBe('7');
    expect(shed.headers['cache-control']).toBe('no-store');
    expect(shed.json()).toMatchObject({ status: 503, code: 'OVERLOADED', instance: shed.headers['x-request-id'] });
    expect(await status('HEAD', '/v1/things')).toBe(503);
    expect(await status('GET', '/v1/no-such-route')).toBe(503);
    expect(await status('GET', '/v1/things', { authorization: 'Bearer x' })).toBe(200);
    expect(await status('POST', '/v1/purchases')).toBe(200);
    expect(await status('GET', '/v1/popular')).toBe(200);
    expect(await status('GET', '/healthz')).toBe(200);
    expect(await status('GET', '/readyz')).toBe(200);
    expect(await status('HEAD', '/healthz')).toBe(200);
    expect(await metricValue(app, 'shed_requests_total', { class: 'anonymous', signal: 'event_loop_delay' })).toBeGreaterThanOrEqual(3);
  });

  it('R-SHED-1: past the limit everything but health is shed; a path that only looks like health is not exempt', async () => {
    current = { ...calm, eventLoopDelayMs: 250 };
    expect(await status('GET', '/v1/things', { authorization: 'Bearer x' })).toBe(503);
    expect(await status('POST', '/v1/purchases')).toBe(503);
    expect(await status('GET', '/v1/popular')).toBe(503);
    expect(await status('GET', '/healthz')).toBe(200);
    expect(await status('GET', '/readyz')).toBe(200);
    for (const url of ['/healthz/../v1/things', '/HEALTHZ', '//healthz', '/healthz/']) expect(await status('GET', url), url).toBe(503);
    expect(await metricValue(app, 'shed_requests_total', { class: 'priority', signal: 'event_loop_delay' })).toBeGreaterThanOrEqual(3);
  });

  it('R-SHED-1: heap and utilization signals; pressure gone, service again', async () => {
    const heapApp = await build({ maxEventLoopDelayMs: 0, maxHeapUsedRatio: 1e-9, pressureSource: () => current });
    heapApp.get('/v1/things', async () => ({ ok: true }));
    expect((await heapApp.inject({ method: 'GET', url: '/v1/things', headers: { authorization: 'Bearer x' } })).statusCode).toBe(503);
    expect(await metricValue(heapApp, 'shed_requests_total', { signal: 'heap' })).toBe(1);
    await heapApp.close();
    const eluApp = await build({ maxEventLoopDelayMs: 0, maxHeapUsedRatio: 0, maxEventLoopUtilization: 0.9, anonymousFactor: 0.9, pressureSource: () => ({ ...calm, eventLoopUtilization: 0.85 }) });
    eluApp.get('/v1/things', async () => ({ ok: true }));
    expect((await eluApp.inject({ method: 'GET', url: '/v1/things' })).statusCode).toBe(503);
    // A write is below its own limit (0.9): it reaches the router (405: /v1/things is GET only).
    expect((await eluApp.inject({ method: 'POST', url: '/v1/things' })).statusCode).toBe(405);
    await eluApp.close();
    current = calm;
    expect(await status('GET', '/v1/things')).toBe(200);
  });

  it('R-SHED-1: the real sampler (under-pressure) is wired: default limits do not shed an idle service', async () => {
    const real = await build();
    real.get('/v1/things', async () => ({ ok: true }));
    expect(typeof real.memoryUsage().heapUsed).toBe('number');
    expect((await real.inject({ method: 'GET', url: '/v1/things' })).statusCode).toBe(200);
    await real.close();
  });
});
