import { freePort, rawHttp, serviceTestEnv, waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';

/**
 * The edge's counters as Prometheus scrapes them: from the gateway process's
 * internal metrics port, after traffic that must move each one. No services
 * behind it: every upstream is a closed port (a 502 is fine here).
 */

async function gatewayProcess(extra: Record<string, string>): Promise<ServiceProcess> {
  const closed = `http://127.0.0.1:${await freePort()}`;
  // The data services of the test profile, with a key prefix of this process's own.
  const test = serviceTestEnv();
  const env = Object.fromEntries((['REDIS_URL', 'REDIS_KEY_PREFIX', 'NATS_URL', 'RUNTIME_BUCKET'] as const).map((key) => [key, test[key]!]));
  return startServiceProcess('gateway', {
    ...env,
    UPSTREAM_ACCOUNTS_URL: closed,
    UPSTREAM_CATALOG_URL: closed,
    UPSTREAM_PAYMENTS_URL: closed,
    UPSTREAM_WEBHOOKS_URL: closed,
    ALLOWED_HOSTS: '127.0.0.1',
    ...extra,
  });
}

/** The sum of the series of `name` whose labels include all of `labels`, from the metrics port. */
async function scrape(gateway: ServiceProcess, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const get = (gateway: ServiceProcess, path: string, headers: Record<string, string> = {}) => fetch(`${gateway.url}${path}`, { headers });
const postJson = (gateway: ServiceProcess, path: string, body: unknown) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const SQLI = "x' UNION SELECT password FROM users--";

describe('edge metrics on the gateway metrics port', () => {
  const processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;

  beforeAll(async () => {
    gateway = await gatewayProcess({ RATE_LIMIT_READ_MAX: '2', RATE_LIMIT_READ_WINDOW_S: '600' });
    processes.push(gateway);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('R-HOST-2: refused hosts move host_rejections_total{reason,mode}', async () => {
    // fetch cannot send a foreign Host; a raw request can.
    const response = await rawHttp(gateway.port, 'GET /v1/scholarships HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(400);
    expect(await scrape(gateway, 'host_rejections_total', { reason: 'unknown', mode: 'enforce' })).toBe(1);
  });

  it('R-WAF-2: WAF matches move waf_detections_total{rule,mode,action}: block on POST, detect on GET', async () => {
    expect((await postJson(gateway, '/v1/eligibility', { major: SQLI })).status).toBe(403);
    expect(await scrape(gateway, 'waf_detections_total', { mode: 'block', action: 'blocked' })).toBeGreaterThanOrEqual(1);
    expect(await scrape(gateway, 'waf_detections_total', { rule: 'WAF_SQLI_001', mode: 'block' })).toBeGreaterThanOrEqual(1);
    expect((await get(gateway, `/v1/eligibility?major=${encodeURIComponent(SQLI)}`)).status).not.toBe(403);
    expect(await scrape(gateway, 'waf_detections_total', { mode: 'detect', action: 'logged' })).toBeGreaterThanOrEqual(1);
  });

  it('R-RL-1: limiter decisions move ratelimit_decisions_total{policy,outcome}: allowed, then limited', async () => {
    const count = (outcome: string) => scrape(gateway, 'ratelimit_decisions_total', { policy: 'read', outcome });
    const [allowed, limited] = [await count('allowed'), await count('limited')];
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(gateway, '/v1/scholarships')).status);
    // The budget is 2 reads per window for this client, shared with the GETs of the test above.
    expect(statuses).toContain(429);
    expect(await count('allowed')).toBe(allowed + statuses.filter((s) => s !== 429).length);
    expect(await count('limited')).toBe(limited + statuses.filter((s) => s === 429).length);
  });

  it('R-RL-2: with Redis unreachable, decisions are counted as degraded_open (GET) and degraded_closed (login)', async () => {
    const degraded = await gatewayProcess({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    processes.push(degraded);
    expect((await get(degraded, '/v1/scholarships')).status).not.toBe(429);
    expect((await postJson(degraded, '/v1/auth/login', { email: 'a@example.com', password: 'x' })).status).toBe(503);
    expect(await scrape(degraded, 'ratelimit_decisions_total', { policy: 'read', outcome: 'degraded_open' })).toBeGreaterThanOrEqual(1);
    expect(await scrape(degraded, 'ratelimit_decisions_total', { outcome: 'degraded_closed' })).toBeGreaterThanOrEqual(1);
    expect(await scrape(degraded, 'ratelimit_backend_up', {})).toBe(0);
  });

  it('R-SHED-1: shed requests move shed_requests_total{class,signal}', async () => {
    // Thresholds so low that anonymous GETs are shed from the first pressure sample on.
    const pressed = await gatewayProcess({ SHED_MAX_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_HEAP_USED_RATIO: '0.99', SHED_ANONYMOUS_FACTOR: '0.000001', SHED_SAMPLE_INTERVAL_MS: '100' });
    processes.push(pressed);
    await waitFor(async () => (await get(pressed, '/v1/scholarships')).status === 503, { what: 'anonymous GETs to be shed' });
    expect(await scrape(pressed, 'shed_requests_total', { class: 'anonymous' })).toBeGreaterThanOrEqual(1);
  });
});
