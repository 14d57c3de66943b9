import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePatterns, ROUTES } from '../src/modules/routing/route-table.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, startGateway, type RunningGateway } from './helpers/gateway.js';

type Name = 'accounts' | 'catalog' | 'payments' | 'webhooks';

describe('gateway routing table', () => {
  const upstreams = {} as Record<Name, FakeUpstream>;
  let gateway: RunningGateway;

  beforeAll(async () => {
    for (const name of ['accounts', 'catalog', 'payments', 'webhooks'] as const) upstreams[name] = await startFakeUpstream(name);
    gateway = await startGateway(upstreams);
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
  });

  it.each([
    ['POST', '/v1/auth/login', 'accounts'],
    ['POST', '/v1/auth/refresh', 'accounts'],
    ['GET', '/v1/me', 'accounts'],
    ['PATCH', '/v1/me', 'accounts'],
    ['GET', '/.well-known/jwks.json', 'accounts'],
    ['GET', '/v1/scholarships', 'catalog'],
    ['GET', '/v1/scholarships/abc', 'catalog'],
    ['GET', '/v1/scholarships/abc/documents/1', 'catalog'],
    ['GET', '/v1/search?q=engineering', 'catalog'],
    ['POST', '/v1/eligibility', 'catalog'],
    ['GET', '/v1/recommendations', 'catalog'],
    ['GET', '/v1/shortlist', 'catalog'],
    ['DELETE', '/v1/shortlist/s1', 'catalog'],
    ['POST', '/v1/applications', 'catalog'],
    ['GET', '/v1/applications/a1', 'catalog'],
    ['POST', '/v1/provider/scholarships', 'catalog'],
    ['PUT', '/v1/provider/scholarships/p1', 'catalog'],
    ['GET', '/robots.txt', 'catalog'],
    ['GET', '/sitemap.xml', 'catalog'],
    ['GET', '/sitemap-scholarships-1.xml', 'catalog'],
    ['GET', '/scholarships/stem-women-2026', 'catalog'],
    ['GET', '/v1/credit-packages', 'payments'],
    ['GET', '/v1/credits', 'payments'],
    ['POST', '/v1/purchases', 'payments'],
    ['GET', '/v1/purchases/pu_1', 'payments'],
    ['POST', '/v1/refunds', 'payments'],
    ['POST', '/v1/psp/webhooks', 'payments'],
    ['POST', '/v1/provider/webhook-endpoints', 'webhooks'],
    ['DELETE', '/v1/provider/webhook-endpoints/we_1', 'webhooks'],
    ['GET', '/v1/webhook-deliveries', 'webhooks'],
    ['POST', '/v1/webhook-deliveries/wd_1/replay', 'webhooks'],
  ])('%s %s → %s', async (method, path, expected) => {
    const response = await send(gateway.port, { method, path, ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
    expect(response.status).toBe(200);
    expect(response.headers['x-upstream']).toBe(expected);
    expect(response.json()).toMatchObject({ upstream: expected, method, url: path });
  });

  it.each([
    '/v1/scholarshipsfoo',
    '/v1/scholarships-x',
    '/v1/mex',
    '/v1/me/extra',
    '/v1/searchable',
    '/v1/no-such-route',
    '/v1',
    '/',
    '/sitemap-.xml',
    '/sitemap-a/b.xml',
    '/scholarships',
    '/scholarships/a/b',
    '/.well-known/openid-configuration',
    '/V1/ME',
  ])('R-ERR-1: %s is 404 problem+json and reaches no upstream', async (path) => {
    const before = Object.values(upstreams).reduce((sum, upstream) => sum + upstream.requests.length, 0);
    const response = await send(gateway.port, { path, headers: { 'x-request-id': 'route-404' } });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: 'route-404' });
    const after = Object.values(upstreams).reduce((sum, upstream) => sum + upstream.requests.length, 0);
    expect(after).toBe(before);
  });

  it('R-ERR-1: a routed path with a method the table does not allow is 405 with Allow', async () => {
    const response = await send(gateway.port, { method: 'DELETE', path: '/v1/search' });
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect(response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const psp = await send(gateway.port, { method: 'GET', path: '/v1/psp/webhooks' });
    expect(psp.status).toBe(405);
    expect(psp.headers['allow']).toBe('POST');
  });

  it('dot-segments are refused with 400, not forwarded', async () => {
    for (const path of ['/v1/scholarships/../me', '/v1/scholarships/%2e%2e/me', '/v1/scholarships/.%2E/x', '/v1/shortlist/a/..%2f..%2fadmin']) {
      const response = await send(gateway.port, { path });
      expect(response.status, path).toBe(400);
      expect(response.json()).toMatchObject({ code: 'PATH_DOT_SEGMENT' });
    }
  });

  it('every table entry names a known upstream, at least one method and a timeout class', () => {
    for (const entry of ROUTES) {
      expect(['accounts', 'catalog', 'payments', 'webhooks']).toContain(entry.upstream);
      expect(entry.methods.length).toBeGreaterThan(0);
      expect(['read', 'default', 'payment']).toContain(entry.timeout);
    }
    expect(routePatterns({ path: '/v1/scholarships*' })).toEqual(['/v1/scholarships', '/v1/scholarships/*']);
    expect(routePatterns({ path: '/v1/auth/*' })).toEqual(['/v1/auth/*']);
    expect(routePatterns({ path: '/v1/me' })).toEqual(['/v1/me']);
  });
});
