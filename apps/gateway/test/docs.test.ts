import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, startGateway, type RunningGateway } from './helpers/gateway.js';

const problemDetails = { $id: 'ProblemDetails', type: 'object', properties: { code: { type: 'string' } } };

function spec(title: string, paths: Record<string, unknown>, schemas: Record<string, unknown>) {
  return JSON.stringify({ openapi: '3.1.0', info: { title, version: '1.0.0' }, paths, components: { schemas, securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } } });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const op = (schema: string) => ({ responses: { 200: { description: 'ok', content: { 'application/json': { schema: ref(schema) } } }, 404: { description: 'no', content: { 'application/problem+json': { schema: ref('ProblemDetails') } } } } });

describe('gateway /docs', () => {
  let accounts: FakeUpstream;
  let catalog: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    accounts = await startFakeUpstream('accounts');
    catalog = await startFakeUpstream('catalog');
    accounts.handle((req, res) => {
      if (req.url !== '/openapi.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(spec('accounts', {
        '/v1/me': { get: op('Profile'), put: op('Profile') },
        '/v1/auth/login': { post: op('Profile') },
        '/internal/audit': { get: op('Profile') },
        '/healthz': { get: op('Profile') },
      }, { ProblemDetails: problemDetails, Profile: { type: 'object', properties: { id: { type: 'string' } } }, Thing: { type: 'string' } }));
    });
    catalog.handle((req, res) => {
      if (req.url !== '/openapi.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(spec('catalog', {
        '/v1/scholarships/{id}': { get: op('Thing') },
        '/scholarships/{slug}': { get: op('Thing') },
        '/v1/me': { get: op('Thing') },
      }, { ProblemDetails: problemDetails, Thing: { type: 'object', properties: { slug: { type: 'string' } } } }));
    });
    // payments and webhooks are down.
    gateway = await startGateway({ accounts, catalog });
  });
  afterAll(async () => {
    await gateway?.close();
    await accounts?.close();
    await catalog?.close();
  });

  it('renders Swagger UI as HTML with its assets served by the gateway itself', async () => {
    const page = await send(gateway.port, { path: '/docs/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs|jsdelivr)/);
    const bundle = await send(gateway.port, { path: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.status).toBe(200);
    const initializer = await send(gateway.port, { path: '/docs/static/swagger-initializer.js' });
    expect(initializer.text).toContain("resolveUrl('./json')");
  });

  it('/docs/openapi.json merges the upstream specs, keeping only what the gateway routes to each', async () => {
    const response = await send(gateway.port, { path: '/docs/openapi.json' });
    expect(response.status).toBe(200);
    const merged = response.json<{ openapi: string; info: Record<string, unknown>; paths: Record<string, Record<string, { 'x-upstream': string; tags: string[] }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } }>();
    expect(merged.openapi).toBe('3.1.0');
    expect(Object.keys(merged.paths).sort()).toEqual(['/scholarships/{slug}', '/v1/auth/login', '/v1/me', '/v1/scholarships/{id}']);
    // PUT /v1/me is not a method the gateway forwards; catalog's /v1/me is not routed to catalog.
    expect(Object.keys(merged.paths['/v1/me'] ?? {})).toEqual(['get']);
    expect(merged.paths['/v1/me']?.['get']?.['x-upstream']).toBe('accounts');
    expect(merged.paths['/v1/scholarships/{id}']?.['get']).toMatchObject({ 'x-upstream': 'catalog', tags: ['catalog'] });
    // Identical components are shared; different ones with one name are kept apart.
    expect(Object.keys(merged.components.schemas).sort()).toEqual(['ProblemDetails', 'Profile', 'Thing', 'Thing_catalog']);
    expect(JSON.stringify(merged.paths['/v1/scholarships/{id}'])).toContain('#/components/schemas/Thing_catalog');
    expect(merged.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(merged.info['x-upstreams']).toMatchObject({
      accounts: { status: 'available' },
      catalog: { status: 'available' },
      payments: { status: 'unavailable', reason: 'ECONNREFUSED' },
      webhooks: { status: 'unavailable' },
    });
  });

  it('the UI document (/docs/json) is the merged one, and it is cached briefly', async () => {
    const before = accounts.requests.length;
    const ui = await send(gateway.port, { path: '/docs/json' });
    const merged = await send(gateway.port, { path: '/docs/openapi.json' });
    expect(ui.json()).toEqual(merged.json());
    expect(accounts.requests.length).toBe(before);
  });

  it('the gateway spec fetches go through the upstream pools with a request id', async () => {
    const fetched = accounts.requests.find((request) => request.url === '/openapi.json');
    expect(fetched?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
