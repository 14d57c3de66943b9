import { errorBoundaryPlugin } from '@bursary/errors';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { wafPlugin, type WafPluginOptions } from '../src/fastify/index.js';
import type { WafMode } from '../src/index.js';

const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

interface TestApp {
  app: FastifyInstance;
  metrics: Registry;
  setMode: (mode: WafMode) => void;
  logs: Array<Record<string, unknown>>;
}

/** A tiny gateway: error boundary, WAF, a few routes that echo what they received. */
async function buildApp(options: Partial<WafPluginOptions> = {}): Promise<TestApp> {
  let mode: WafMode = 'by-method';
  const logs: Array<Record<string, unknown>> = [];
  const metrics = new Registry();
  const app = Fastify({
    logger: { level: 'warn', stream: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) } },
    bodyLimit: 1024 * 1024,
  });
  apps.push(app);
  await app.register(errorBoundaryPlugin);
  await app.register(wafPlugin, {
    mode: () => mode,
    metrics,
    exclusions: [{ route: '/v1/auth/login', methods: ['POST'], location: 'body', pointer: '/password', categories: ['sqli', 'xss'] }],
    allowlist: ['10.20.0.0/16'],
    crawlerRanges: ['66.249.64.0/19'],
    crawlerPaths: (path) => path.startsWith('/scholarships/'),
    ...options,
  });
  app.post('/v1/auth/login', async (request) => ({ received: request.body }));
  app.post('/v1/items', async (request) => ({ received: request.body }));
  app.get('/v1/search', async (request) => ({ query: request.query }));
  app.get('/scholarships/:slug', async () => ({ page: 'seo' }));
  await app.ready();
  return { app, metrics, setMode: (next) => (mode = next), logs };
}

const SQLI = "x' UNION SELECT password FROM users--";

async function detections(metrics: Registry): Promise<Array<{ labels: Partial<Record<string, string | number>>; value: number }>> {
  const metric = await metrics.getSingleMetric('waf_detections_total')?.get();
  return (metric?.values ?? []).map((v) => ({ labels: v.labels, value: v.value }));
}

describe('WAF Fastify plugin', () => {
  it('R-WAF-1: blocks a POST with an attack: 403 problem+json with WAF_BLOCKED, rule ids and score, never the payload', async () => {
    const { app, logs } = await buildApp();
    const response = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: SQLI } });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<Record<string, unknown>>();
    expect(problem['code']).toBe('WAF_BLOCKED');
    expect(problem['ruleIds']).toEqual(expect.arrayContaining(['WAF_SQLI_001']));
    expect(problem['score']).toBeGreaterThanOrEqual(5);
    expect(response.body).not.toContain('UNION');
    expect(response.body).not.toContain('password');
    // The log line names the rule and the field, not the value.
    const line = logs.find((l) => l['msg'] === 'request blocked by WAF');
    expect(JSON.stringify(line)).toContain('body:/name');
    expect(JSON.stringify(line)).not.toContain('UNION');
  });

  it('R-WAF-1: inspects requests that match no route (the 404 path is not a way around it)', async () => {
    const { app } = await buildApp();
    const response = await app.inject({ method: 'POST', url: '/v1/nowhere', payload: { q: SQLI } });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ code: string }>().code).toBe('WAF_BLOCKED');
  });

  it('R-WAF-1: hands the inspected body to the route unchanged', async () => {
    const { app } = await buildApp();
    const response = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: 'Ada Lovelace', note: "O'Brien -- fine" } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: { name: 'Ada Lovelace', note: "O'Brien -- fine" } });
  });

  it('R-WAF-2: GET is detect-only: logged and counted, then passed', async () => {
    const { app, metrics, logs } = await buildApp();
    const response = await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(SQLI)}` });
    expect(response.statusCode).toBe(200);
    expect(logs.some((l) => l['msg'] === 'WAF detection')).toBe(true);
    expect(await detections(metrics)).toContainEqual({ labels: { rule: 'WAF_SQLI_001', mode: 'detect', action: 'logged' }, value: 1 });
  });

  it('R-WAF-2: the mode is read per request, so a runtime switch takes effect at once', async () => {
    const { app, setMode, metrics } = await buildApp();
    const attack = { method: 'GET' as const, url: `/v1/search?q=${encodeURIComponent(SQLI)}` };
    expect((await app.inject(attack)).statusCode).toBe(200);
    setMode('block');
    expect((await app.inject(attack)).statusCode).toBe(403);
    setMode('detect');
    expect((await app.inject({ method: 'POST', url: '/v1/items', payload: { name: SQLI } })).statusCode).toBe(200);
    setMode('off');
    expect((await app.inject({ method: 'POST', url: '/v1/items', payload: { name: SQLI } })).statusCode).toBe(200);
    expect(await detections(metrics)).toContainEqual({ labels: { rule: 'WAF_SQLI_001', mode: 'block', action: 'blocked' }, value: 1 });
  });

  it('R-WAF-3: an exclusion by JSON pointer exempts that field on that route only', async () => {
    const { app } = await buildApp();
    const password = "x' OR '1'='1' --";
    const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'ada@example.com', password } });
    expect(login.statusCode).toBe(200);
    // The same field name elsewhere is still inspected: never global by name.
    const elsewhere = await app.inject({ method: 'POST', url: '/v1/items', payload: { password } });
    expect(elsewhere.statusCode).toBe(403);
    // And on the login route the other fields still are.
    const email = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: password, password: 'secret' } });
    expect(email.statusCode).toBe(403);
  });

  it('R-WAF-3: a mutating request whose body exceeds the inspection limit is refused with its own code', async () => {
    const { app } = await buildApp({ engine: { limits: { maxBodyBytes: 1024 } } });
    const big = await app.inject({ method: 'POST', url: '/v1/items', payload: { note: 'a'.repeat(4096) } });
    expect(big.statusCode).toBe(413);
    expect(big.json<{ code: string }>().code).toBe('WAF_BODY_TOO_LARGE');
    const small = await app.inject({ method: 'POST', url: '/v1/items', payload: { note: 'a'.repeat(100) } });
    expect(small.statusCode).toBe(200);
  });

  it('R-WAF-5: requests from an allowlisted CIDR (QA, uptime monitors) are not inspected', async () => {
    const { app } = await buildApp();
    const qa = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: SQLI }, remoteAddress: '10.20.3.4' });
    expect(qa.statusCode).toBe(200);
    const other = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: SQLI }, remoteAddress: '10.21.3.4' });
    expect(other.statusCode).toBe(403);
  });

  it('R-WAF-5: crawlers are recognised by published address ranges on SEO paths, not by User-Agent', async () => {
    const { app, setMode } = await buildApp();
    setMode('block');
    const probe = `/scholarships/x?ref=${encodeURIComponent(SQLI)}`;
    const googlebot = await app.inject({ method: 'GET', url: probe, remoteAddress: '66.249.66.1', headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' } });
    expect(googlebot.statusCode).toBe(200);
    const spoofed = await app.inject({ method: 'GET', url: probe, remoteAddress: '198.51.100.9', headers: { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' } });
    expect(spoofed.statusCode).toBe(403);
    const offPath = await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(SQLI)}`, remoteAddress: '66.249.66.1' });
    expect(offPath.statusCode).toBe(403);
  });
});
