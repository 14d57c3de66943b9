import { rawHttp, type RawResponse } from '@bursary/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEdgeGateway, metricValue, rawRequest, type EdgeGateway } from './helpers/edge-gateway.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';

/** Hostile Host values; each must be refused on every method and path. */
const HOSTILE_HOSTS: Array<[label: string, lines: string[]]> = [
  ...[
    'evil.com',
    'evil.com:8080',
    'localhost.evil.com',
    'localhost.evil.com:80',
    'EVIL.com.',
    'evil.com..',
    '127.0.0.1.evil.com',
    'evillocalhost',
    '127.0.0.1@evil.com',
    'localhost@evil.com',
    'evil.com@localhost',
    'user:pass@localhost',
    'localhost:80@evil.com',
    'localhost, evil.com',
    'localhost,localhost',
    'localhost evil.com',
    'local host',
    'local\thost',
    'localhost/evil.com',
    'localhost\\evil.com',
    'localhost?evil.com',
    'localhost#evil.com',
    'localhost%2eevil.com',
    'http://localhost',
    '//localhost',
    'localhost:',
    'localhost:0',
    'localhost:65536',
    'localhost:080',
    'localhost:+80',
    'localhost:80:80',
    'localhost:8o',
    '.localhost',
    '-localhost',
    'localhost-',
    '_',
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '127.0.0.01',
    '256.0.0.1',
    '::1',
    '[::1',
    '::1]',
    '[::1]x',
    '[::1]:0',
    '[fe80::1%25eth0]',
    '[::ffff:127.0.0.2]',
    '[evil.com]',
    'lоcalhost', // Cyrillic о
    'ｌｏｃａｌｈｏｓｔ', // fullwidth
    'localhost\u200b', // zero-width space
    'xn--lcalhost-9nf', // punycode of a look-alike
    'xn--localhost',
    'a'.repeat(300),
    `${'a.'.repeat(130)}localhost`,
    `${'a'.repeat(64)}.localhost`,
    '*',
    '%00',
  ].map((host): [string, string[]] => [JSON.stringify(host), [`Host: ${host}`]]),
  ['empty', ['Host:']],
  ['blank', ['Host:    ']],
  ['duplicated (listed, then foreign)', ['Host: localhost', 'Host: evil.com']],
  ['duplicated (foreign, then listed)', ['Host: evil.com', 'Host: localhost']],
  ['duplicated (twice the same listed name)', ['Host: localhost', 'Host: localhost']],
  ['duplicated (different case of the name)', ['Host: localhost', 'HOST: localhost']],
];

/** Matched (the gateway's own route), unmatched (404 and 405) and proxied paths. */
const PATHS = ['/openapi.json', '/v1/no-such-route', '/v1/me/../../openapi.json', '/v1/scholarships', '/robots.txt', '/scholarships/merit-award', '/v1/purchases'];
const METHODS = ['GET', 'POST', 'OPTIONS', 'HEAD', 'DELETE'];

function expectHostRefused(response: RawResponse, context: string): void {
  expect(response.status, context).toBe(400);
  expect(response.headers['content-type'], context).toMatch(/^application\/problem\+json/);
  if (response.body !== '') expect(JSON.parse(response.body), context).toMatchObject({ status: 400, code: 'HOST_NOT_ALLOWED' });
}

describe('gateway host allowlist: hostile hosts', () => {
  let catalog: FakeUpstream;
  let gateway: EdgeGateway;
  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    gateway = await startEdgeGateway(catalog, { CORS_ORIGINS: 'https://www.bursary.test' });
  });
  afterAll(async () => {
    await gateway?.close();
    await catalog?.close();
  });
  beforeEach(() => {
    catalog.requests.length = 0;
  });

  it('R-HOST-1: the development/test default answers localhost, 127.0.0.1 and [::1] on any port', async () => {
    for (const host of ['localhost', 'localhost:8080', 'LOCALHOST:3000', 'localhost.', '127.0.0.1', '127.0.0.1:65535', '[::1]', '[::1]:8080', '[0:0:0:0:0:0:0:1]:80']) {
      const response = await rawHttp(gateway.port, rawRequest('GET', '/v1/scholarships', [`Host: ${host}`]));
      expect(response.status, host).toBe(200);
    }
    expect(catalog.requests).toHaveLength(9);
  });

  it('R-HOST-2: every hostile Host gets 400 problem+json HOST_NOT_ALLOWED, never a 2xx, on every method and path; nothing reaches an upstream', async () => {
    const statuses = new Map<number, number>();
    for (const [label, lines] of HOSTILE_HOSTS) {
      for (const method of METHODS) {
        for (const path of PATHS) {
          const body = method === 'POST' || method === 'DELETE' ? '{"a":' : '';
          const headers = [...lines, 'Origin: https://www.bursary.test', 'Access-Control-Request-Method: POST', ...(body ? ['Content-Type: application/json'] : [])];
          const response = await rawHttp(gateway.port, rawRequest(method, path, headers, body));
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expectHostRefused(response, `${method} ${path} Host ${label}`);
          expect(response.headers['access-control-allow-origin'], label).toBeUndefined();
        }
      }
    }
    expect([...statuses.keys()]).toEqual([400]);
    expect(catalog.requests).toHaveLength(0);
    for (const reason of ['unknown', 'malformed', 'duplicate']) {
      expect(await metricValue(gateway.app, 'host_rejections_total', { reason, mode: 'enforce' }), reason).toBeGreaterThan(0);
    }
    // An empty Host is refused by the kit's guard with the same code, counted under the same metric.
    expect(await metricValue(gateway.app, 'host_rejections_total', { reason: 'empty', mode: 'enforce' })).toBeGreaterThan(0);
  });

  it('R-HOST-2: the Host check runs before body parsing, body limits, routing answers (404/405) and the proxy', async () => {
    const cases: Array<[string, string, string[], string]> = [
      ['POST', '/v1/purchases', ['Content-Type: application/json'], '{"broken":'],
      ['POST', '/v1/purchases', ['Content-Type: application/json'], `{"big":"${'x'.repeat(2 * 1024 * 1024)}"}`],
      ['POST', '/v1/purchases', ['Content-Type: application/xml'], '<a/>'],
      ['DELETE', '/v1/scholarships', [], ''],
      ['GET', '/v1/no-such-route', [], ''],
      ['PATCH', '/robots.txt', [], ''],
    ];
    for (const [method, path, headers, body] of cases) {
      const response = await rawHttp(gateway.port, rawRequest(method, path, ['Host: evil.com', ...headers], body), 15_000);
      expectHostRefused(response, `${method} ${path}`);
    }
    // A target the router itself cannot decode is refused before any hook, Host or not: still a 400, no route ran.
    const badUrl = await rawHttp(gateway.port, rawRequest('GET', '/v1/scholarships/%zz', ['Host: evil.com']));
    expect(badUrl.status).toBe(400);
    expect(JSON.parse(badUrl.body)).toMatchObject({ code: 'BAD_URL_ENCODING' });
    expect(catalog.requests).toHaveLength(0);
  });

  it('R-HOST-2: an absolute-form request target must name an allowed host too', async () => {
    for (const target of ['http://evil.com/v1/scholarships', 'http://localhost@evil.com/v1/scholarships', 'https://evil.com:443/healthz']) {
      expectHostRefused(await rawHttp(gateway.port, rawRequest('GET', target, ['Host: localhost'])), target);
    }
    expect(catalog.requests).toHaveLength(0);
  });

  it('R-HOST-2: a missing Host is HOST_MISSING (the error contract of every service); an empty one HOST_NOT_ALLOWED', async () => {
    const missing = await rawHttp(gateway.port, 'GET /v1/scholarships HTTP/1.0\r\n\r\n');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 'HOST_MISSING' });
    const empty = await rawHttp(gateway.port, rawRequest('GET', '/v1/scholarships', ['Host:']));
    expectHostRefused(empty, 'empty Host');
    expect(catalog.requests).toHaveLength(0);
  });

  it('R-HOST-4: health paths bypass the list for GET/HEAD of exactly /healthz and /readyz; no path trick reaches an API', async () => {
    for (const method of ['GET', 'HEAD']) {
      for (const path of ['/healthz', '/readyz']) {
        const response = await rawHttp(gateway.port, rawRequest(method, path, ['Host: 10.0.3.7:8080']));
        expect(response.status, `${method} ${path}`).toBe(200);
      }
    }
    const tricks = [
      '/healthz/../v1/scholarships',
      '/healthz/..%2Fv1%2Fscholarships',
      '/healthz%2F..%2Fv1%2Fscholarships',
      '/healthz%2f..',
      '/readyz/../v1/purchases',
      '/HEALTHZ',
      '/Healthz',
      '//healthz',
      '/./healthz',
      '/healthz/',
      '/healthz?x=1',
      '/healthz?',
      '/healthz#x',
      '/healthz;v1',
      '/%68ealthz',
      '/healthz%00',
      '/healthz/v1/scholarships',
      '/v1/scholarships?/healthz',
      'http://10.0.3.7/healthz',
    ];
    for (const path of tricks) {
      for (const method of ['GET', 'HEAD']) expectHostRefused(await rawHttp(gateway.port, rawRequest(method, path, ['Host: 10.0.3.7:8080'])), `${method} ${path}`);
    }
    for (const method of ['POST', 'OPTIONS', 'DELETE']) expectHostRefused(await rawHttp(gateway.port, rawRequest(method, '/healthz', ['Host: 10.0.3.7'])), `${method} /healthz`);
    // The bypass is for the list, not for syntax: a malformed or duplicated Host is still refused.
    expectHostRefused(await rawHttp(gateway.port, rawRequest('GET', '/healthz', ['Host: 127.0.0.1@evil.com'])), 'malformed');
    expectHostRefused(await rawHttp(gateway.port, rawRequest('GET', '/healthz', ['Host: 10.0.3.7', 'Host: localhost'])), 'duplicate');
    expect(catalog.requests).toHaveLength(0);
  });
});

describe('gateway host allowlist: configured lists, modes and proxies', () => {
  let catalog: FakeUpstream;
  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
  });
  afterAll(async () => {
    await catalog?.close();
  });

  const status = async (gateway: EdgeGateway, lines: string[], path = '/v1/scholarships', method = 'GET') =>
    (await rawHttp(gateway.port, rawRequest(method, path, lines))).status;

  it('R-HOST-1: exact names, case-insensitive, trailing dot stripped, `.domain` wildcards and per-entry ports', async () => {
    const gateway = await startEdgeGateway(catalog, { ALLOWED_HOSTS: 'api.bursary.test, .bursary.dev, admin.bursary.test:8443, [::1]:8080, 203.0.113.10' });
    try {
      const allowed = [
        'api.bursary.test',
        'API.Bursary.TEST',
        'api.bursary.test.',
        'api.bursary.test:443',
        'api.bursary.test:8080',
        'bursary.dev',
        'www.bursary.dev',
        'a.b.c.bursary.dev:9999',
        'WWW.BURSARY.DEV.',
        'admin.bursary.test:8443',
        '[::1]:8080',
        '[0::1]:8080',
        '203.0.113.10',
        '203.0.113.10:80',
      ];
      for (const host of allowed) expect(await status(gateway, [`Host: ${host}`]), host).toBe(200);
      const refused = [
        'bursary.test',
        'www.api.bursary.test',
        'api.bursary.test.evil.com',
        'xbursary.dev',
        'bursary.dev.evil.com',
        'evilbursary.dev',
        'admin.bursary.test',
        'admin.bursary.test:443',
        '[::1]',
        '[::1]:8081',
        '203.0.113.1',
        'localhost',
        '127.0.0.1',
      ];
      for (const host of refused) expect(await status(gateway, [`Host: ${host}`]), host).toBe(400);
    } finally {
      await gateway.close();
    }
  });

  it('R-HOST-4: hosts.mode=monitor logs and counts would-rejects and lets them pass; enforce refuses again', async () => {
    const gateway = await startEdgeGateway(catalog, { ALLOWED_HOSTS: 'api.bursary.test' });
    try {
      expect(await status(gateway, ['Host: evil.com'])).toBe(400);
      gateway.runtimeConfig.set('hosts.mode', 'monitor');
      catalog.requests.length = 0;
      expect(await status(gateway, ['Host: evil.com'])).toBe(200);
      expect(await status(gateway, ['Host: 127.0.0.1@evil.com'])).toBe(200);
      expect(await status(gateway, ['Host: evil.com', 'Host: api.bursary.test'])).toBe(200);
      expect(catalog.requests).toHaveLength(3);
      expect(await metricValue(gateway.app, 'host_rejections_total', { reason: 'unknown', mode: 'monitor' })).toBe(1);
      expect(await metricValue(gateway.app, 'host_rejections_total', { reason: 'malformed', mode: 'monitor' })).toBe(1);
      expect(await metricValue(gateway.app, 'host_rejections_total', { reason: 'duplicate', mode: 'monitor' })).toBe(1);
      // An empty Host names nothing to pass on: refused in either mode.
      expect(await status(gateway, ['Host:'])).toBe(400);
      gateway.runtimeConfig.set('hosts.mode', 'enforce');
      expect(await status(gateway, ['Host: evil.com'])).toBe(400);
      expect(await metricValue(gateway.app, 'host_rejections_total', { reason: 'unknown', mode: 'enforce' })).toBe(2);
    } finally {
      await gateway.close();
    }
  });

  it('R-HOST-4: X-Forwarded-Host is ignored unless the peer is a trusted proxy', async () => {
    const gateway = await startEdgeGateway(catalog, { ALLOWED_HOSTS: 'www.bursary.test' });
    try {
      expect(await status(gateway, ['Host: evil.com', 'X-Forwarded-Host: www.bursary.test'])).toBe(400);
      expect(await status(gateway, ['Host: www.bursary.test', 'X-Forwarded-Host: evil.com'])).toBe(200);
    } finally {
      await gateway.close();
    }
    // Trusted proxies that do not include our peer (127.0.0.1) change nothing.
    const elsewhere = await startEdgeGateway(catalog, { ALLOWED_HOSTS: 'www.bursary.test', TRUSTED_PROXIES: '10.0.0.0/8,::ffff:10.0.0.0/104' });
    try {
      expect(await status(elsewhere, ['Host: evil.com', 'X-Forwarded-Host: www.bursary.test'])).toBe(400);
    } finally {
      await elsewhere.close();
    }
  });

  it('R-HOST-4: from a trusted proxy the LAST X-Forwarded-Host value is the host checked', async () => {
    const gateway = await startEdgeGateway(catalog, { ALLOWED_HOSTS: 'www.bursary.test', TRUSTED_PROXIES: '127.0.0.1/32,::1' });
    try {
      // The proxy rewrote Host to its upstream name; the client's host is in X-Forwarded-Host.
      expect(await status(gateway, ['Host: gateway.internal:8080', 'X-Forwarded-Host: www.bursary.test'])).toBe(200);
      expect(await status(gateway, ['Host: gateway.internal:8080', 'X-Forwarded-Host: evil.com, www.bursary.test'])).toBe(200);
      expect(await status(gateway, ['Host: gateway.internal:8080', 'X-Forwarded-Host: evil.com', 'X-Forwarded-Host: www.bursary.test'])).toBe(200);
      expect(await status(gateway, ['Host: www.bursary.test', 'X-Forwarded-Host: www.bursary.test, evil.com'])).toBe(400);
      expect(await status(gateway, ['Host: www.bursary.test', 'X-Forwarded-Host: www.bursary.test', 'X-Forwarded-Host: evil.com'])).toBe(400);
      expect(await status(gateway, ['Host: www.bursary.test', 'X-Forwarded-Host: www.bursary.test,'])).toBe(400);
      expect(await status(gateway, ['Host: www.bursary.test', 'X-Forwarded-Host: www.bursary.test@evil.com'])).toBe(400);
      // Without X-Forwarded-Host the Host itself is checked; it must be single and well-formed either way.
      expect(await status(gateway, ['Host: www.bursary.test'])).toBe(200);
      expect(await status(gateway, ['Host: gateway.internal:8080'])).toBe(400);
      expect(await status(gateway, ['Host: a b', 'X-Forwarded-Host: www.bursary.test'])).toBe(400);
      expect(await status(gateway, ['Host: x', 'Host: y', 'X-Forwarded-Host: www.bursary.test'])).toBe(400);
      const forwarded = catalog.requests.at(-1);
      expect(forwarded?.headers['x-forwarded-host']).toBe('www.bursary.test');
    } finally {
      await gateway.close();
    }
  });

  it('R-HOST-3: the test-runner allowance lets any well-formed Host through, in the test profile only', async () => {
    const gateway = await startEdgeGateway(catalog, { APP_ENV: 'test', ALLOWED_HOSTS: 'api.bursary.test', ALLOWED_HOSTS_TEST_BYPASS: 'true' });
    try {
      expect(await status(gateway, ['Host: anything.example:1234'])).toBe(200);
      expect((await gateway.app.inject({ method: 'GET', url: '/v1/scholarships', headers: { host: 'runner.local' } })).statusCode).toBe(200);
      expect(await status(gateway, ['Host: 127.0.0.1@evil.com'])).toBe(400);
      expect(await status(gateway, ['Host: a', 'Host: b'])).toBe(400);
    } finally {
      await gateway.close();
    }
  });

  it('R-HOST-4: ALLOWED_HOSTS_HEALTH_BYPASS=false refuses unknown hosts on health paths too', async () => {
    const gateway = await startEdgeGateway(catalog, { ALLOWED_HOSTS_HEALTH_BYPASS: 'false' });
    try {
      expect(await status(gateway, ['Host: 10.0.3.7'], '/healthz')).toBe(400);
      expect(await status(gateway, ['Host: localhost'], '/healthz')).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
