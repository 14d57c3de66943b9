import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../src/config.js';
import { metricValue, startEdgeGateway, type EdgeGateway } from './helpers/edge-gateway.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, type ClientResponse } from './helpers/gateway.js';
import { serviceTestEnv } from '@bursary/testing';

const SQLI = "x' UNION SELECT password FROM users--";
const XSS = '<script>alert(document.cookie)</script>';

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface Problem {
  status: number;
  code: string;
  ruleIds?: string[];
  score?: number;
}

function expectBlocked(response: ClientResponse, payload: string): Problem {
  expect(response.status).toBe(403);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json<Problem>();
  expect(problem).toMatchObject({ status: 403, code: 'WAF_BLOCKED' });
  expect(problem.ruleIds?.length).toBeGreaterThan(0);
  for (const id of problem.ruleIds ?? []) expect(id).toMatch(/^WAF_[A-Z]+_\d{3}$/);
  // Rule ids and the score, never what matched.
  expect(response.text).not.toContain(payload);
  expect(response.text.toLowerCase()).not.toContain('union select');
  return problem;
}

describe('gateway WAF (R-WAF-1..5)', () => {
  let upstream: FakeUpstream;
  let gateway: EdgeGateway;

  beforeAll(async () => {
    upstream = await startFakeUpstream('upstream');
    gateway = await startEdgeGateway(upstream, { UPSTREAM_ACCOUNTS_URL: upstream.url, RATE_LIMIT_EXEMPT: '127.0.0.1', WAF_BODY_LIMIT_BYTES: '4096' });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    gateway.runtimeConfig.set('waf.mode', 'by-method');
  });

  it('R-WAF-1: a POST carrying an attack is refused with 403 problem+json naming rule ids, before the upstream', async () => {
    const response = await send(gateway.port, { method: 'POST', path: '/v1/eligibility', ...json({ major: SQLI }) });
    const problem = expectBlocked(response, SQLI);
    expect(problem.ruleIds!.some((id) => id.startsWith('WAF_SQLI_'))).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });

  it('R-WAF-1: runs for requests that match no route (a 404 is no way around it) and inspects query, headers and cookies', async () => {
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/no/such/route', ...json({ note: XSS }) }), XSS);
    expectBlocked(await send(gateway.port, { method: 'DELETE', path: `/v1/shortlist/1?next=${encodeURIComponent(SQLI)}` }), SQLI);
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/v1/eligibility', headers: { 'x-campaign': '; cat /etc/passwd', 'content-type': 'application/json' }, body: '{}' }), '/etc/passwd');
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/v1/eligibility', headers: { cookie: `pref=${encodeURIComponent(XSS)}`, 'content-type': 'application/json' }, body: '{}' }), XSS);
    expect(upstream.requests).toHaveLength(0);
  });

  it('R-WAF-1: a clean POST reaches the upstream with its body byte for byte', async () => {
    const body = JSON.stringify({ major: 'Computer Science', gpa: 3.7, note: "I'm a 1st-gen student -- C# & SQL!" });
    const response = await send(gateway.port, { method: 'POST', path: '/v1/eligibility', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.body.toString('utf8')).toBe(body);
  });

  it('R-WAF-2: GET and HEAD are detect-only: passed to the upstream, counted with mode="detect"', async () => {
    const before = await metricValue(gateway.app, 'waf_detections_total', { mode: 'detect', action: 'logged' });
    const get = await send(gateway.port, { path: `/v1/scholarships?sort=${encodeURIComponent(SQLI)}` });
    expect(get.status).toBe(200);
    const head = await send(gateway.port, { method: 'HEAD', path: `/v1/scholarships?sort=${encodeURIComponent(XSS)}` });
    expect(head.status).toBe(200);
    expect(upstream.requests.map((r) => r.method)).toEqual(['GET', 'HEAD']);
    expect(await metricValue(gateway.app, 'waf_detections_total', { mode: 'detect', action: 'logged' })).toBeGreaterThanOrEqual(before + 2);
  });

  it('R-WAF-2: POST, PUT, PATCH and DELETE are blocked, counted with mode="block"', async () => {
    const before = await metricValue(gateway.app, 'waf_detections_total', { mode: 'block', action: 'blocked' });
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expectBlocked(await send(gateway.port, { method, path: '/v1/shortlist/7', ...json({ note: SQLI }) }), SQLI);
    }
    expect(upstream.requests).toHaveLength(0);
    expect(await metricValue(gateway.app, 'waf_detections_total', { mode: 'block', action: 'blocked' })).toBeGreaterThanOrEqual(before + 4);
  });

  it('R-WAF-2: waf.mode switches live from the runtime config: block refuses GETs too, detect and off pass POSTs', async () => {
    const attackGet = () => send(gateway.port, { path: `/v1/scholarships?sort=${encodeURIComponent(SQLI)}` });
    const attackPost = () => send(gateway.port, { method: 'POST', path: '/v1/eligibility', ...json({ major: SQLI }) });

    gateway.runtimeConfig.set('waf.mode', 'block');
    expectBlocked(await attackGet(), SQLI);

    gateway.runtimeConfig.set('waf.mode', 'detect');
    expect((await attackPost()).status).toBe(200);

    const counted = await metricValue(gateway.app, 'waf_detections_total', {});
    gateway.runtimeConfig.set('waf.mode', 'off');
    expect((await attackPost()).status).toBe(200);
    expect(await metricValue(gateway.app, 'waf_detections_total', {})).toBe(counted);

    gateway.runtimeConfig.set('waf.mode', 'by-method');
    expectBlocked(await attackPost(), SQLI);
    expect(upstream.requests).toHaveLength(2);
  });

  it('R-WAF-3: the password on the auth routes is not inspected; the other fields of the same body are', async () => {
    const password = "P@ss' OR 1=1 --<script>;cat /etc/passwd";
    for (const [path, field] of [['/v1/auth/login', 'password'], ['/v1/auth/signup', 'password'], ['/v1/auth/provider/login', 'password'], ['/v1/auth/password-reset/confirm', 'newPassword']] as const) {
      const body = JSON.stringify(field === 'password' ? { email: 'maria@example.edu', password } : { token: 'abc', newPassword: password });
      const response = await send(gateway.port, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
      expect(response.status, path).toBe(200);
      expect(upstream.requests.at(-1)!.body.toString('utf8')).toBe(body);
    }
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/v1/auth/login', ...json({ email: SQLI, password: 'x' }) }), SQLI);
    // The reset route excludes `newPassword`, not `password`.
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/v1/auth/password-reset/confirm', ...json({ token: 'abc', password: SQLI }) }), SQLI);
  });

  it('R-WAF-3: exclusions are per route, never global by name: `password` elsewhere and `q` off the search routes are inspected', async () => {
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/v1/eligibility', ...json({ password: SQLI }) }), SQLI);
    expectBlocked(await send(gateway.port, { method: 'POST', path: '/v1/auth/refresh', ...json({ password: SQLI }) }), SQLI);

    gateway.runtimeConfig.set('waf.mode', 'block');
    // Search text is bound as a parameter by catalog: SQL look-alikes pass there...
    expect((await send(gateway.port, { path: `/v1/search?q=${encodeURIComponent(SQLI)}` })).status).toBe(200);
    expect((await send(gateway.port, { path: `/v1/scholarships?q=${encodeURIComponent(SQLI)}` })).status).toBe(200);
    // ...but not XSS, and not the same text in `q` on another route or in another parameter of /v1/search.
    expectBlocked(await send(gateway.port, { path: `/v1/search?q=${encodeURIComponent(XSS)}` }), XSS);
    expectBlocked(await send(gateway.port, { path: `/v1/eligibility?q=${encodeURIComponent(SQLI)}` }), SQLI);
    expectBlocked(await send(gateway.port, { path: `/v1/search?q=nursing&sort=${encodeURIComponent(SQLI)}` }), SQLI);
  });

  it('R-WAF-3: a mutating request whose body exceeds WAF_BODY_LIMIT_BYTES is refused with 413 WAF_BODY_TOO_LARGE', async () => {
    const response = await send(gateway.port, { method: 'POST', path: '/v1/eligibility', ...json({ essay: 'a'.repeat(5000) }) });
    expect(response.status).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'WAF_BODY_TOO_LARGE' });
    expect(upstream.requests).toHaveLength(0);
    const small = await send(gateway.port, { method: 'POST', path: '/v1/eligibility', ...json({ essay: 'a'.repeat(3000) }) });
    expect(small.status).toBe(200);
  });

  it('R-WAF-3: a body above the gateway body limit gets the framework 413 PAYLOAD_TOO_LARGE, unread by the WAF', async () => {
    const limited = await startEdgeGateway(upstream, { BODY_LIMIT_BYTES: '65536', WAF_BODY_LIMIT_BYTES: '4096' });
    try {
      const response = await send(limited.port, { method: 'POST', path: '/v1/eligibility', ...json({ essay: 'a'.repeat(70_000) }) });
      expect(response.status).toBe(413);
      expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await limited.close();
    }
  });

  it('R-WAF-4: a binary upload (application/octet-stream) is not read as text: random bytes are no attack', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 131 + (i >> 3) * 17) % 256));
    const response = await send(gateway.port, { method: 'PUT', path: '/v1/applications/a1/document', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(response.status).toBe(200);
    expect(upstream.requests.at(-1)!.body.equals(bytes)).toBe(true);
  });
});

describe('gateway WAF allowlists (R-WAF-5)', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream('catalog');
  });
  afterAll(async () => {
    await upstream?.close();
  });

  it('R-WAF-5: requests from a WAF_ALLOWLIST range (QA, uptime monitors) are not inspected', async () => {
    const gateway = await startEdgeGateway(upstream, { WAF_ALLOWLIST: '10.0.0.0/8,127.0.0.1/32' });
    try {
      const response = await send(gateway.port, { method: 'POST', path: '/v1/eligibility', ...json({ major: SQLI }) });
      expect(response.status).toBe(200);
      expect(await metricValue(gateway.app, 'waf_detections_total', {})).toBe(0);
    } finally {
      await gateway.close();
    }
  });

  it('R-WAF-5: crawlers are verified by published address ranges, on SEO pages only, never by User-Agent', async () => {
    const googlebot = { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
    const seoAttack = `/scholarships/${encodeURIComponent(XSS)}`;

    // From an address outside the crawler ranges, the Googlebot User-Agent earns nothing.
    const outside = await startEdgeGateway(upstream, { WAF_CRAWLER_RANGES: '66.249.64.0/19' });
    try {
      outside.runtimeConfig.set('waf.mode', 'block');
      expectBlocked(await send(outside.port, { path: seoAttack, headers: googlebot }), 'document.cookie');
    } finally {
      await outside.close();
    }

    // From a crawler range, SEO pages are fetched uninspected, the API is not.
    const crawler = await startEdgeGateway(upstream, { WAF_CRAWLER_RANGES: '127.0.0.0/8' });
    try {
      crawler.runtimeConfig.set('waf.mode', 'block');
      expect((await send(crawler.port, { path: seoAttack })).status).toBe(200);
      expectBlocked(await send(crawler.port, { path: `/v1/scholarships?sort=${encodeURIComponent(SQLI)}` }), SQLI);
    } finally {
      await crawler.close();
    }
  });

  it('R-WAF-5: malformed WAF ranges or settings stop the boot naming the variable', () => {
    expect(() => loadGatewayConfig(serviceTestEnv({ WAF_ALLOWLIST: '10.0.0.0/33' }))).toThrow(/WAF_ALLOWLIST/);
    expect(() => loadGatewayConfig(serviceTestEnv({ WAF_CRAWLER_RANGES: 'googlebot' }))).toThrow(/WAF_CRAWLER_RANGES/);
    expect(() => loadGatewayConfig(serviceTestEnv({ WAF_PARANOIA_LEVEL: '5' }))).toThrow(/WAF_PARANOIA_LEVEL/);
    expect(() => loadGatewayConfig(serviceTestEnv({ WAF_DISABLED_RULES: 'SQLI' }))).toThrow(/WAF_DISABLED_RULES/);
    expect(loadGatewayConfig(serviceTestEnv({})).waf).toMatchObject({ paranoiaLevel: 2, inboundThreshold: 5, jsonBodyThreshold: 5 });
  });
});
