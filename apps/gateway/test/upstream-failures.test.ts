import type { ServerResponse } from 'node:http';
import { waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';
import { send, startGateway, type RunningGateway } from './helpers/gateway.js';

const expectProblem = (response: Awaited<ReturnType<typeof send>>, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expect(problem).toMatchObject({ status, code, instance: response.headers['x-request-id'] });
  return problem;
};

describe('gateway upstream failures', () => {
  let catalog: FakeUpstream;
  let gateway: RunningGateway;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    catalog = await startFakeUpstream('catalog');
    // Short route timeouts so that the slow-upstream cases end quickly; accounts is down.
    gateway = await startGateway({ catalog }, { UPSTREAM_READ_TIMEOUT_MS: '300', UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_RESPONSE_BUFFER_BYTES: '4096' });
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    await gateway?.close();
    await catalog?.close();
  });

  it('R-ERR-3: an upstream that is down is 502 UPSTREAM_UNAVAILABLE problem+json', async () => {
    const response = await send(gateway.port, { path: '/v1/me', headers: { 'x-request-id': 'down-1' } });
    const problem = expectProblem(response, 502, 'UPSTREAM_UNAVAILABLE');
    expect(problem['instance']).toBe('down-1');
    expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|accounts/);
  });

  it('R-ERR-3: an upstream that sends no headers within the route timeout is 504 UPSTREAM_TIMEOUT', async () => {
    catalog.handle((_req, res) => void held.push(res));
    const response = await send(gateway.port, { path: '/v1/search?q=slow' });
    expectProblem(response, 504, 'UPSTREAM_TIMEOUT');
    await waitFor(() => catalog.aborted >= 1, { what: 'the upstream request to be aborted' });
  });

  it('R-ERR-3: an upstream whose body stalls within the route timeout is 504 UPSTREAM_TIMEOUT', async () => {
    catalog.handle((_req, res) => {
      held.push(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const response = await send(gateway.port, { path: '/v1/scholarships' });
    expectProblem(response, 504, 'UPSTREAM_TIMEOUT');
  });

  it('R-ERR-2: an upstream that drops the connection mid-response is 502, never 500', async () => {
    catalog.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"cut":');
      res.destroy();
    });
    const response = await send(gateway.port, { path: '/v1/scholarships/x' });
    expectProblem(response, 502, 'UPSTREAM_UNAVAILABLE');
  });

  it('cuts the client connection, never hangs, when a streamed body stalls past the deadline', async () => {
    catalog.handle((_req, res) => {
      held.push(res);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(16_384, 1));
    });
    const abortedBefore = catalog.aborted;
    // The status went out with the first streamed bytes, so it cannot become a 504 any more.
    await expect(send(gateway.port, { path: '/sitemap-stall.xml' })).rejects.toThrow();
    await waitFor(() => catalog.aborted > abortedBefore, { what: 'the upstream request to be aborted' });
  });

  it('aborts the upstream request when the client disconnects', async () => {
    let arrived = 0;
    catalog.handle((_req, res) => {
      arrived++;
      held.push(res);
    });
    const abortedBefore = catalog.aborted;
    const controller = new AbortController();
    const pending = send(gateway.port, { path: '/v1/recommendations', signal: controller.signal }).catch((error: unknown) => error);
    await waitFor(() => arrived === 1, { what: 'the request to reach the upstream' });
    controller.abort();
    await pending;
    await waitFor(() => catalog.aborted > abortedBefore, { what: 'the upstream request to be aborted' });
  });
});

describe('gateway upstream saturation', () => {
  it('sheds with 503 and Retry-After when the upstream queue is full', async () => {
    const payments = await startFakeUpstream('payments');
    const held: ServerResponse[] = [];
    payments.handle((_req, res) => void held.push(res));
    const gateway = await startGateway({ payments }, { UPSTREAM_POOL_CONNECTIONS: '1', UPSTREAM_MAX_QUEUED: '1' });
    try {
      const first = send(gateway.port, { path: '/v1/purchases/1' });
      await waitFor(() => held.length === 1, { what: 'the first request to occupy the only connection' });
      const second = send(gateway.port, { path: '/v1/purchases/2' });
      await waitFor(() => gateway.app.upstreams.payments.pool.stats.pending === 1, { what: 'the second request to queue' });
      const shed = await send(gateway.port, { path: '/v1/purchases/3' });
      expectProblem(shed, 503, 'SERVICE_UNAVAILABLE');
      expect(shed.headers['retry-after']).toBe('1');
      held[0]?.end('one');
      await waitFor(() => held.length === 2, { what: 'the queued request to be dispatched' });
      held[1]?.end('two');
      expect((await first).text).toBe('one');
      expect((await second).text).toBe('two');
      expect(payments.requests.map((r) => r.url)).toEqual(['/v1/purchases/1', '/v1/purchases/2']);
    } finally {
      await gateway.close();
      await payments.close();
    }
  });
});
