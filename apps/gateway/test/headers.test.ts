import { API_CONTENT_SECURITY_POLICY, PAGE_CONTENT_SECURITY_POLICY } from '@bursary/service-kit';
import { rawHttp } from '@bursary/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rawRequest, startEdgeGateway, type EdgeGateway } from './helpers/edge-gateway.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, type ClientResponse } from './helpers/gateway.js';

const SEO_PATHS = ['/robots.txt', '/sitemap.xml', '/sitemap-scholarships-1.xml', '/scholarships/merit-award'];

function expectHelmet(response: ClientResponse | { headers: Record<string, unknown> }, context: string): void {
  const headers = response.headers as Record<string, unknown>;
  expect(headers['x-content-type-options'], context).toBe('nosniff');
  expect(headers['x-frame-options'], context).toBe('DENY');
  expect(headers['referrer-policy'], context).toBe('no-referrer');
  expect(headers['strict-transport-security'], context).toMatch(/^max-age=\d+/);
  expect(headers['cross-origin-opener-policy'], context).toBe('same-origin');
  expect(typeof headers['content-security-policy'], context).toBe('string');
}

describe('gateway security headers and caching', () => {
  let catalog: FakeUpstream;
  let gateway: EdgeGateway;
  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    gateway = await startEdgeGateway(catalog);
  });
  afterAll(async () => {
    await gateway?.close();
    await catalog?.close();
  });
  beforeEach(() => {
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });

  it('R-HDR-1: helmet headers on every kind of gateway response: proxied, own routes, 404, 405, 502, host refusals', async () => {
    const cases: Array<[string, () => Promise<ClientResponse | { headers: Record<string, unknown> }>]> = [
      ['proxied', () => send(gateway.port, { path: '/v1/scholarships' })],
      ['own route', () => send(gateway.port, { path: '/healthz' })],
      ['404', () => send(gateway.port, { path: '/v1/no-such-route' })],
      ['405', () => send(gateway.port, { method: 'DELETE', path: '/v1/scholarships' })],
      ['502', () => send(gateway.port, { path: '/v1/me' })],
      ['host refused', () => rawHttp(gateway.port, rawRequest('GET', '/v1/scholarships', ['Host: evil.com']))],
    ];
    for (const [name, run] of cases) {
      const response = await run();
      expectHelmet(response, name);
      expect((response.headers as Record<string, unknown>)['content-security-policy'], name).toBe(API_CONTENT_SECURITY_POLICY);
    }
  });

  it('R-HDR-1: Cache-Control no-store on API, health and error responses', async () => {
    for (const [method, path] of [['GET', '/v1/scholarships'], ['POST', '/v1/purchases'], ['GET', '/healthz'], ['GET', '/readyz'], ['GET', '/v1/no-such-route'], ['GET', '/v1/me'], ['GET', '/no-such-page']] as const) {
      const response = await send(gateway.port, { method, path, ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
      expect(response.headers['cache-control'], `${method} ${path} → ${response.status}`).toBe('no-store');
    }
    const refused = await rawHttp(gateway.port, rawRequest('GET', '/robots.txt', ['Host: evil.com']));
    expect(refused.status).toBe(400);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it("R-HDR-1: proxied SEO pages, robots.txt and sitemaps keep the upstream's caching headers and never get no-store", async () => {
    catalog.handle((req, res) => {
      const html = req.url?.startsWith('/scholarships/');
      res.writeHead(200, {
        'content-type': html ? 'text/html; charset=utf-8' : 'text/plain',
        'cache-control': 'public, max-age=300, stale-while-revalidate=60',
        ...(html ? { 'content-security-policy': "default-src 'self'; img-src 'self' https://cdn.bursary.test" } : {}),
      });
      res.end(html ? '<!doctype html><title>Merit award</title>' : 'ok');
    });
    for (const path of SEO_PATHS) {
      const response = await send(gateway.port, { path });
      expect(response.status, path).toBe(200);
      expect(response.headers['cache-control'], path).toBe('public, max-age=300, stale-while-revalidate=60');
      expectHelmet(response, path);
    }
    const page = await send(gateway.port, { path: '/scholarships/merit-award' });
    expect(page.headers['content-security-policy']).toBe("default-src 'self'; img-src 'self' https://cdn.bursary.test");

    // An upstream that says nothing about caching gets nothing added on these paths.
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>x</title>');
    });
    for (const path of SEO_PATHS) {
      const response = await send(gateway.port, { path });
      expect(response.headers['cache-control'], path).toBeUndefined();
      // An HTML document without its own CSP gets the page policy, not `default-src 'none'`.
      expect(response.headers['content-security-policy'], path).toBe(PAGE_CONTENT_SECURITY_POLICY);
    }
  });

  it("R-HDR-1: an API response keeps an upstream's explicit Cache-Control", async () => {
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, max-age=10' });
      res.end('{}');
    });
    expect((await send(gateway.port, { path: '/v1/scholarships' })).headers['cache-control']).toBe('private, max-age=10');
  });

  it("R-HDR-1: /docs (Swagger UI) gets a CSP that allows its own assets, and the page only uses its own assets", async () => {
    const redirect = await send(gateway.port, { path: '/docs' });
    const location = String(redirect.headers['location'] ?? '/docs/static/index.html');
    const target = location.startsWith('/') ? location : `/docs/${location.replace(/^\.\//, '')}`;
    const page = await send(gateway.port, { path: redirect.status === 200 ? '/docs' : target });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toBe(PAGE_CONTENT_SECURITY_POLICY);
    for (const directive of ["script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    // Every script and stylesheet is a same-origin file; no inline script the CSP would block.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="(\.\/|\/docs\/)static\//);
      expect(body!.trim()).toBe('');
    }
    const initializer = await send(gateway.port, { path: '/docs/static/swagger-initializer.js' });
    expect(initializer.status).toBe(200);
    expectHelmet(page, '/docs');
  });
});
