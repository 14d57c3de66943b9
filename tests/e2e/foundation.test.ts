import { rawHttp, waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_SERVICES, startStack, type Stack } from '../support/stack.js';

// The foundation issue's "done when", tried as a client would, against the
// built services running as separate processes.
describe('platform foundation (e2e)', () => {
  let stack: Stack;
  let gateway: string;
  beforeAll(async () => {
    stack = await startStack();
    gateway = stack.gateway.url;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('every service and the gateway are ready', async () => {
    for (const service of [...Object.values(stack.services), stack.gateway]) {
      await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 200, { what: `${service.name} /readyz 200` });
    }
  });

  it('R-ERR-1: an unknown route is 404 problem+json with code and instance', async () => {
    const response = await fetch(`${gateway}/v1/no-such-route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(body['instance']).toBe(response.headers.get('x-request-id'));
  });

  it('R-ERR-1: /%zz and a malformed JSON body are 400 problem+json', async () => {
    const badUrl = await rawHttp(stack.gateway.port, 'GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(badUrl.body)).toMatchObject({ code: 'BAD_URL_ENCODING' });

    const malformed = await fetch(`${gateway}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await malformed.json()).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it('R-OPS-5: an x-request-id sent through the gateway is echoed', async () => {
    const response = await fetch(`${gateway}/v1/no-such-route`, { headers: { 'x-request-id': 'e2e-request-1' } });
    expect(response.headers.get('x-request-id')).toBe('e2e-request-1');
    expect(((await response.json()) as { instance: string }).instance).toBe('e2e-request-1');
  });

  it('/docs renders and lists the services', async () => {
    const page = await fetch(`${gateway}/docs`, { redirect: 'follow' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const spec = await fetch(`${gateway}/docs/openapi.json`);
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it('R-OPS-1: metrics answer on the internal port and /metrics on the public port is 404', async () => {
    for (const service of [...Object.values(stack.services), stack.gateway]) {
      const metrics = await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('http_request_duration_seconds');
      expect((await fetch(`${service.url}/metrics`)).status).toBe(404);
    }
  });

  it('R-DB-2: stopping Postgres turns /readyz to 503 naming postgres; starting it again returns 200 without a restart', async () => {
    stack.postgres.stop();
    for (const name of DATABASE_SERVICES) {
      const service = stack.services[name];
      const response = await waitFor(async () => {
        const r = await fetch(`${service.url}/readyz`);
        return r.status === 503 ? r : undefined;
      }, { what: `${name} to report postgres down`, timeoutMs: 15_000 });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ code: 'NOT_READY', dependencies: ['postgres'] }); // NATS stays up: only the database is named
    }
    expect((await fetch(`${stack.gateway.url}/healthz`)).status).toBe(200);
    stack.postgres.start();
    for (const name of DATABASE_SERVICES) {
      const service = stack.services[name];
      await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 200, { what: `${name} to recover`, timeoutMs: 30_000 });
    }
  });

  it('graceful shutdown: every service exits 0 on SIGTERM', async () => {
    const codes = await stack.stop();
    for (const [name, code] of Object.entries(codes)) expect(code, name).toBe(0);
    stack = undefined as unknown as Stack;
  });
});
