import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServiceMetrics, HTTP_DURATION_BUCKETS, loggerOptions, requestLoggingPlugin, startMetricsServer } from '../src/index.js';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: pino(loggerOptions({ service: 'test', level: 'info' }), stream) };
}

describe('observability', () => {
  it('R-OPS-5: redacts authorization, cookies, passwords, tokens and emails', () => {
    const { lines, logger } = captureLogger();
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def', cookie: 'sid=1' } },
      body: { password: 'hunter2', email: 'a@b.c', token: 't0k3n' },
      user: { email: 'x@y.z', refreshToken: 'r' },
    }, 'sensitive');
    const text = JSON.stringify(lines);
    for (const secret of ['abc.def', 'sid=1', 'hunter2', 'a@b.c', 't0k3n', 'x@y.z', '"r"']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('R-OPS-5: one structured line per request with host, request id, client ip, route, method, status, duration and error code', async () => {
    const { lines, logger } = captureLogger();
    const metrics = createServiceMetrics('test');
    const app = Fastify({ loggerInstance: logger, disableRequestLogging: true, genReqId: () => 'req-42' });
    await app.register(requestLoggingPlugin, { metrics });
    app.get('/items/:id', async (_request, reply) => {
      reply.errorCode = 'ITEM_GONE';
      return reply.code(410).send({});
    });
    await app.inject({ method: 'GET', url: '/items/7?q=1', headers: { host: 'api.example.test' } });
    await app.close();
    const requestLines = lines.filter((line) => line['msg'] === 'request');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      host: 'api.example.test', reqId: 'req-42', clientIp: '127.0.0.1', method: 'GET', route: '/items/:id', url: '/items/7', status: 410, errorCode: 'ITEM_GONE', service: 'test',
    });
    expect(typeof requestLines[0]!['durationMs']).toBe('number');
  });

  it('R-OPS-1: request duration histogram by route template, method and status, with the 0.12 s and 0.3 s gate buckets', async () => {
    expect(HTTP_DURATION_BUCKETS).toEqual(expect.arrayContaining([0.12, 0.3]));
    const metrics = createServiceMetrics('test');
    const app = Fastify();
    await app.register(requestLoggingPlugin, { metrics });
    app.get('/items/:id', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/items/1' });
    await app.inject({ method: 'GET', url: '/items/2' });
    await app.close();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.12",service="test",route="\/items\/:id",method="GET",status="200"\} 2/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.3",/);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('R-OPS-1: metrics are served by their own listener and nothing else is', async () => {
    const metrics = createServiceMetrics('test');
    const server = await startMetricsServer(metrics.registry, '127.0.0.1', 0);
    try {
      const ok = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('process_cpu_user_seconds_total');
      const other = await fetch(`http://127.0.0.1:${server.port}/anything`);
      expect(other.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
