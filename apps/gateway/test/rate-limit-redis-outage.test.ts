import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createMemoryRuntimeConfig } from '@bursary/runtime-config';
import type { ServiceInstance } from '@bursary/service-kit';
import { freePort, serviceTestEnv, waitFor } from '@bursary/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadGatewayConfig } from '../src/config.js';
import { startFakeUpstream, type FakeUpstream } from './helpers/fake-upstream.js';

/** A redis-server of this file's own (no persistence), stopped and started to simulate an outage; only the child it spawned is signalled. */
async function throwawayRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitFor(accepts, { what: `redis-server on ${port}` });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
      });
    },
  };
}

describe('gateway with Redis down (throwaway redis-server)', () => {
  let redis: Awaited<ReturnType<typeof throwawayRedis>>;
  let catalog: FakeUpstream;
  let accounts: FakeUpstream;
  let app: ServiceInstance | undefined;

  const build = async () =>
    buildApp(
      loadGatewayConfig(
        serviceTestEnv({
          REDIS_URL: redis.url,
          UPSTREAM_CATALOG_URL: catalog.url,
          UPSTREAM_ACCOUNTS_URL: accounts.url,
          RATE_LIMIT_READ_MAX: '3',
          RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_S: '7',
        }),
      ),
      { runtimeConfig: createMemoryRuntimeConfig() },
    );
  const login = (ip: string) =>
    app!.inject({ method: 'POST', url: '/v1/auth/login', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: '{"email":"ada@example.org","password":"pw"}' });
  const read = (ip: string) => app!.inject({ method: 'GET', url: '/v1/scholarships', remoteAddress: ip });

  beforeAll(async () => {
    redis = await throwawayRedis();
    catalog = await startFakeUpstream('catalog');
    accounts = await startFakeUpstream('accounts');
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await catalog?.close();
    await accounts?.close();
  });

  it('R-RL-2: Redis stopped → GETs still 200 (then limited by the local limiter), login 503 RATE_LIMIT_UNAVAILABLE, zero 500s, still ready; recovery when Redis returns', async () => {
    await redis.start();
    app = await build();
    expect((await read('198.51.100.1')).statusCode).toBe(200);
    expect((await login('198.51.100.1')).statusCode).toBe(200);

    await redis.stop();
    // A batch of mixed requests while Redis is down: every one settles, none is a 500.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await read('198.51.100.2')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const parallel = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => read(`198.51.100.${10 + i}`)),
      ...Array.from({ length: 10 }, (_, i) => login(`198.51.100.${30 + i}`)),
    ]);
    expect(parallel.filter((r) => r.statusCode >= 500 && r.statusCode !== 503)).toHaveLength(0);
    expect(parallel.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    for (const response of parallel.slice(10)) {
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 503, code: 'RATE_LIMIT_UNAVAILABLE' });
    }
    // The login never reached accounts while unprotected.
    const loginsSeen = accounts.requests.length;
    expect(loginsSeen).toBe(1);
    // The gateway stays ready (it degrades) and says so.
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { 'rate-limit': { ok: true, details: { backend: 'local (degraded)' } } } });
    const metrics = await app.serviceMetrics.registry.getSingleMetricAsString('ratelimit_decisions_total');
    expect(metrics).toMatch(/policy="read",outcome="degraded_open",service="gateway"\} 13/);
    expect(metrics).toMatch(/policy="auth-ip",outcome="degraded_closed",service="gateway"\} 10/);
    expect(await app.serviceMetrics.registry.getSingleMetricAsString('ratelimit_backend_up')).toMatch(/ratelimit_backend_up\{service="gateway"\} 0/);

    await redis.start();
    const recovered = await waitFor(async () => {
      const response = await login('198.51.100.99');
      return response.statusCode === 200 ? response : undefined;
    }, { what: 'login to be served again after Redis returned', timeoutMs: 15_000 });
    expect(recovered.headers['ratelimit-policy']).toContain('"auth-ip"');
    expect((await read('198.51.100.2')).statusCode).toBe(200);
    expect(await app.serviceMetrics.registry.getSingleMetricAsString('ratelimit_backend_up')).toMatch(/ratelimit_backend_up\{service="gateway"\} 1/);
  });

  it('R-RL-2: a gateway that boots while Redis is down starts degraded (ready, reads served, login 503) and recovers', async () => {
    await app?.close();
    await redis.stop();
    app = await build();
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await read('198.51.100.50')).statusCode).toBe(200);
    const refused = await login('198.51.100.50');
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMIT_UNAVAILABLE' });
    await redis.start();
    await waitFor(async () => (await login('198.51.100.51')).statusCode === 200, { what: 'login after Redis came up', timeoutMs: 15_000 });
  });
});
