import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEdgeGateway, type EdgeGateway } from './helpers/edge-gateway.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, type ClientResponse } from './helpers/gateway.js';

const WEB = 'https://www.bursary.test';
const QA = 'https://qa.bursary.test';

const varyTokens = (response: ClientResponse) => String(response.headers['vary'] ?? '').split(',').map((t) => t.trim().toLowerCase());

describe('gateway CORS', () => {
  let catalog: FakeUpstream;
  let gateway: EdgeGateway;
  const responses: ClientResponse[] = [];
  const request = async (options: Parameters<typeof send>[1]) => {
    const response = await send(gateway.port, options);
    responses.push(response);
    return response;
  };

  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    gateway = await startEdgeGateway(catalog, { CORS_ORIGINS: `${WEB},${QA}` });
  });
  afterAll(async () => {
    // Whatever the case, no response ever carried a wildcard or a reflected foreign origin.
    for (const response of responses) {
      const acao = response.headers['access-control-allow-origin'];
      expect(acao === undefined || acao === WEB || acao === QA).toBe(true);
    }
    await gateway?.close();
    await catalog?.close();
  });
  beforeEach(() => {
    catalog.requests.length = 0;
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });

  it('R-CORS-1: a preflight from a listed origin on a proxied route is answered by the gateway: 204, exact origin, credentials, methods, headers', async () => {
    const response = await request({
      method: 'OPTIONS',
      path: '/v1/purchases',
      headers: { origin: WEB, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' },
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(WEB);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(String(response.headers['access-control-allow-methods'])).toMatch(/\bPOST\b/);
    expect(String(response.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
    expect(response.headers['access-control-max-age']).toBe('600');
    expect(varyTokens(response)).toContain('origin');
    expect(catalog.requests).toHaveLength(0);
    const qa = await request({ method: 'OPTIONS', path: '/v1/scholarships', headers: { origin: QA, 'access-control-request-method': 'GET' } });
    expect(qa.status).toBe(204);
    expect(qa.headers['access-control-allow-origin']).toBe(QA);
  });

  it('R-CORS-1: a preflight from any other origin gets 403 problem+json with no Access-Control-Allow-* header', async () => {
    const foreign = [
      'https://evil.example',
      'null',
      'https://www.bursary.test.evil.example',
      'https://evilwww.bursary.test',
      'http://www.bursary.test',
      'https://www.bursary.test:8443',
      'HTTPS://WWW.BURSARY.TEST',
      'https://www.bursary.test/',
      `${WEB}, https://evil.example`,
      '*',
    ];
    for (const origin of foreign) {
      const response = await request({ method: 'OPTIONS', path: '/v1/purchases', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(response.status, origin).toBe(403);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 403, code: 'CORS_ORIGIN_NOT_ALLOWED' });
      for (const name of ['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers']) {
        expect(response.headers[name], `${origin} ${name}`).toBeUndefined();
      }
      expect(varyTokens(response)).toContain('origin');
    }
    expect(catalog.requests).toHaveLength(0);
  });

  it('R-CORS-1: actual requests: the listed origin gets its exact ACAO and credentials (errors too); a foreign origin or none gets neither; Vary: Origin always', async () => {
    const listed = await request({ path: '/v1/scholarships', headers: { origin: WEB } });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe(WEB);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    expect(String(listed.headers['access-control-expose-headers'])).toContain('x-request-id');
    expect(varyTokens(listed)).toContain('origin');

    const notFound = await request({ path: '/v1/no-such-route', headers: { origin: WEB } });
    expect(notFound.status).toBe(404);
    expect(notFound.headers['access-control-allow-origin']).toBe(WEB);

    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, {}]) {
      const response = await request({ path: '/v1/scholarships', headers });
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      expect(varyTokens(response)).toContain('origin');
    }
  });

  it("R-CORS-1: the gateway is the only CORS authority: an upstream's wildcard never reaches the client, its Vary is kept", async () => {
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true', vary: 'Accept-Encoding' });
      res.end('{}');
    });
    const foreign = await request({ path: '/v1/scholarships', headers: { origin: 'https://evil.example' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers['access-control-allow-credentials']).toBeUndefined();
    expect(varyTokens(foreign)).toEqual(expect.arrayContaining(['accept-encoding', 'origin']));
    const listed = await request({ path: '/v1/scholarships', headers: { origin: WEB } });
    expect(listed.headers['access-control-allow-origin']).toBe(WEB);
    expect(varyTokens(listed)).toEqual(expect.arrayContaining(['accept-encoding', 'origin']));
  });

  it('R-CORS-1: an OPTIONS that is not a preflight is routed like any method (405 with Allow, 404), never a CORS answer', async () => {
    const known = await request({ method: 'OPTIONS', path: '/v1/scholarships', headers: { origin: WEB } });
    expect(known.status).toBe(405);
    expect(known.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(known.headers['allow']).toBe('GET, HEAD');
    expect(known.headers['access-control-allow-origin']).toBeUndefined();
    const unknown = await request({ method: 'OPTIONS', path: '/v1/no-such-route' });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(catalog.requests).toHaveLength(0);
  });

  it('R-CORS-1: with no CORS_ORIGINS nothing is allowed cross-origin', async () => {
    const closed = await startEdgeGateway(catalog);
    try {
      const preflight = await send(closed.port, { method: 'OPTIONS', path: '/v1/scholarships', headers: { origin: WEB, 'access-control-request-method': 'GET' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const get = await send(closed.port, { path: '/v1/scholarships', headers: { origin: WEB } });
      expect(get.status).toBe(200);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.close();
    }
  });
});
