import { randomBytes } from 'node:crypto';
import { waitFor } from '@bursary/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, startGateway, type RunningGateway } from './helpers/gateway.js';

describe('gateway forwarding', () => {
  let catalog: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    // api.bursary.test: the Host of the forged-header test below (R-HOST-1 allowlist).
    // These are the proxy's mechanics: the WAF, whose content-type policy
    // would refuse some of the bodies below, has its own tests (waf.test.ts),
    // so this client is on its allowlist.
    gateway = await startGateway({ catalog }, { BODY_LIMIT_BYTES: '65536', ALLOWED_HOSTS: '127.0.0.1,api.bursary.test', WAF_ALLOWLIST: '127.0.0.1' });
  });
  afterAll(async () => {
    await gateway?.close();
    await catalog?.close();
  });
  afterEach(() => {
    catalog.requests.length = 0;
    catalog.handle((_req, res) => res.end('ok'));
  });

  const last = () => {
    const request = catalog.requests.at(-1);
    if (!request) throw new Error('the upstream received nothing');
    return request;
  };

  it('preserves method, path and the raw query string byte for byte', async () => {
    const path = "/v1/scholarships/a%20b/c%2Fd?q=caf%C3%A9+cr%C3%A8me&x=a%2Fb&y=%20&empty=&dup=1&dup=2&raw=it's~*(!)&%5Bk%5D=v";
    const response = await send(gateway.port, { method: 'GET', path });
    expect(response.status).toBe(200);
    expect(last().method).toBe('GET');
    expect(last().url).toBe(path);
  });

  it('forwards a JSON body as the exact bytes sent, never re-serialised', async () => {
    const body = '{ "b": 2,\n  "a" : 1.50, "emoji": "\\ud83c\\udf93" }';
    const response = await send(gateway.port, { method: 'POST', path: '/v1/applications?draft=1', headers: { 'content-type': 'application/json; charset=utf-8' }, body });
    expect(response.status).toBe(200);
    expect(last()).toMatchObject({ method: 'POST', url: '/v1/applications?draft=1' });
    expect(last().body.toString('utf8')).toBe(body);
    expect(last().headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('R-ERR-1: a malformed JSON body is 400 MALFORMED_JSON at the edge and never reaches the upstream', async () => {
    for (const contentType of ['application/json', 'application/merge-patch+json; charset=utf-8']) {
      const response = await send(gateway.port, { method: 'POST', path: '/v1/applications', headers: { 'content-type': contentType }, body: '{"email":' });
      expect(response.status, contentType).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'MALFORMED_JSON' });
    }
    expect(catalog.requests).toHaveLength(0);
  });

  it('forwards a binary body of any content type byte for byte (no 415 at the gateway)', async () => {
    const bytes = randomBytes(20_000);
    for (const contentType of ['application/octet-stream', 'application/pdf', 'application/xml', 'multipart/form-data; boundary=----x', 'text/csv; charset=latin1']) {
      const response = await send(gateway.port, { method: 'PUT', path: '/v1/applications/a1/document', headers: { 'content-type': contentType }, body: bytes });
      expect(response.status, contentType).toBe(200);
      expect(last().method).toBe('PUT');
      expect(last().headers['content-type']).toBe(contentType);
      expect(last().body.equals(bytes)).toBe(true);
    }
  });

  it('forwards a body without a content type unchanged', async () => {
    const response = await send(gateway.port, { method: 'POST', path: '/v1/shortlist', body: 'plain bytes' });
    expect(response.status).toBe(200);
    expect(last().body.toString()).toBe('plain bytes');
    expect(last().headers['content-type']).toBeUndefined();
  });

  it('R-ERR-1: a body over the limit is 413 problem+json and never reaches the upstream', async () => {
    const response = await send(gateway.port, { method: 'POST', path: '/v1/applications', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(70_000) });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(catalog.requests).toHaveLength(0);
  });

  it('R-OPS-5: x-request-id is generated when absent, returned, and sent to the upstream', async () => {
    const response = await send(gateway.port, { path: '/v1/search?q=x' });
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(last().headers['x-request-id']).toBe(id);
  });

  it('R-OPS-5: a client x-request-id is echoed and propagated; an unsafe one is replaced', async () => {
    catalog.handle((_req, res) => {
      res.setHeader('x-request-id', 'upstream-made-this-up');
      res.end('ok');
    });
    const echoed = await send(gateway.port, { path: '/v1/search', headers: { 'x-request-id': 'client-abc.123' } });
    expect(echoed.headers['x-request-id']).toBe('client-abc.123');
    expect(last().headers['x-request-id']).toBe('client-abc.123');
    const forged = await send(gateway.port, { path: '/v1/search', headers: { 'x-request-id': 'a"b c' } });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(last().headers['x-request-id']).toBe(forged.headers['x-request-id']);
  });

  it('R-HOST-4: x-forwarded-for is the peer and forged X-Forwarded-* values are dropped when no proxy is trusted', async () => {
    await send(gateway.port, { path: '/v1/search', headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', forwarded: 'for=1.2.3.4', host: 'api.bursary.test' } });
    expect(last().headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(last().headers['x-forwarded-proto']).toBe('http');
    expect(last().headers['x-forwarded-host']).toBe('api.bursary.test');
    expect(last().headers['forwarded']).toBeUndefined();
    expect(last().headers['host']).toBe(`127.0.0.1:${catalog.port}`);
  });

  it('drops hop-by-hop request headers and keeps end-to-end ones', async () => {
    await send(gateway.port, {
      path: '/v1/search',
      headers: {
        connection: 'keep-alive, x-hop-private',
        'x-hop-private': 'secret',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        upgrade: 'websocket',
        authorization: 'Bearer token-1',
        cookie: 'a=1',
        'accept-language': 'af-ZA',
      },
    });
    const headers = last().headers;
    for (const name of ['x-hop-private', 'keep-alive', 'te', 'proxy-authorization', 'upgrade', 'trailer', 'transfer-encoding']) expect(headers[name], name).toBeUndefined();
    expect(headers).toMatchObject({ authorization: 'Bearer token-1', cookie: 'a=1', 'accept-language': 'af-ZA' });
  });

  it('passes the upstream status, headers and body back unchanged, minus hop-by-hop headers', async () => {
    catalog.handle((_req, res) => {
      res.setHeader('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2; Path=/']);
      res.setHeader('x-custom', 'kept');
      res.setHeader('cache-control', 'public, max-age=60');
      res.setHeader('keep-alive', 'timeout=99');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('content-type', 'text/xml; charset=utf-8');
      res.writeHead(201);
      res.end('<urlset/>');
    });
    const response = await send(gateway.port, { path: '/sitemap.xml' });
    expect(response.status).toBe(201);
    expect(response.text).toBe('<urlset/>');
    expect(response.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/']);
    expect(response.headers['x-custom']).toBe('kept');
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(response.headers['proxy-authenticate']).toBeUndefined();
    expect(response.headers['keep-alive']).not.toBe('timeout=99');
  });

  it('R-ERR-1: an upstream 4xx/5xx problem+json passes through unchanged', async () => {
    for (const status of [404, 409, 422, 500, 503]) {
      const problem = JSON.stringify({ type: 'https://docs.bursary.dev/errors#X', title: 'T', status, detail: 'from upstream', code: `CAT_${status}`, instance: 'up-1' });
      catalog.handle((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8', 'retry-after': '7' });
        res.end(problem);
      });
      const response = await send(gateway.port, { path: '/v1/scholarships/missing' });
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.headers['retry-after']).toBe('7');
      expect(response.text).toBe(problem);
    }
  });

  it('streams a response larger than the buffer unchanged', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(big);
    });
    const response = await send(gateway.port, { path: '/sitemap-big.xml' });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(big.length);
    expect(response.body.equals(big)).toBe(true);
  });

  it('answers HEAD from the upstream without a body', async () => {
    catalog.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5', 'x-method': req.method ?? '' });
      res.end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const response = await send(gateway.port, { method: 'HEAD', path: '/robots.txt' });
    expect(response.status).toBe(200);
    expect(response.headers['x-method']).toBe('HEAD');
    expect(response.body.length).toBe(0);
    expect(last().method).toBe('HEAD');
  });

});

describe('gateway connection pooling', () => {
  it('reuses one keep-alive connection to an upstream across many requests', async () => {
    const payments = await startFakeUpstream('payments');
    const gateway = await startGateway({ payments });
    try {
      for (let i = 0; i < 25; i++) {
        const response = await send(gateway.port, { path: `/v1/credit-packages?i=${i}` });
        expect(response.status).toBe(200);
      }
      expect(payments.requests).toHaveLength(25);
      expect(payments.connections).toBe(1);
      const metrics = await gateway.app.serviceMetrics.registry.metrics();
      expect(metrics).toMatch(/gateway_upstream_pool_connections\{[^}]*upstream="payments",state="connected"[^}]*\} 1/);
      expect(metrics).toMatch(/gateway_upstream_pool_requests\{[^}]*upstream="payments",state="pending"[^}]*\} 0/);
    } finally {
      await gateway.close();
      await payments.close();
    }
  });
});

describe('gateway forwarding behind a trusted proxy', () => {
  it('R-HOST-4: a trusted proxy X-Forwarded-For chain gets the peer appended; its proto and host are believed', async () => {
    const catalog = await startFakeUpstream('catalog');
    // The believed X-Forwarded-Host is what the host allowlist checks (R-HOST-4).
    const gateway = await startGateway({ catalog }, { TRUSTED_PROXIES: '127.0.0.1/32,::1', ALLOWED_HOSTS: 'www.bursary.test' });
    try {
      await send(gateway.port, { path: '/v1/search', headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'www.bursary.test' } });
      const headers = catalog.requests.at(-1)?.headers ?? {};
      // 203.0.113.7 is not trusted, so it is the client; what it claimed before it is dropped.
      expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
      expect(headers['x-forwarded-proto']).toBe('https');
      expect(headers['x-forwarded-host']).toBe('www.bursary.test');
    } finally {
      await gateway.close();
      await catalog.close();
    }
  });
});

describe('gateway access log', () => {
  it('R-OPS-5: the access line of a proxied request names its upstream and request id', async () => {
    const catalog = await startFakeUpstream('catalog');
    const lines: Record<string, unknown>[] = [];
    const logStream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const gateway = await startGateway({ catalog }, { LOG_LEVEL: 'info' }, { logStream });
    try {
      const response = await send(gateway.port, { path: '/v1/search?q=nursing', headers: { 'x-request-id': 'req-upstream-binding-1' } });
      expect(response.status).toBe(200);
      const access = () => lines.filter((line) => line['requestId'] === 'req-upstream-binding-1');
      // The access line is written once the response has gone out.
      await waitFor(() => access().some((line) => line['status'] === 200), { what: 'the access line' });
      for (const line of access()) expect(line['upstream']).toBe('catalog');
    } finally {
      await gateway.close();
      await catalog.close();
    }
  });
});
