import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@bursary/testing';
import { describe, expect, it } from 'vitest';
import { buildService } from '../src/index.js';

const build = () => buildService({ name: 'kit', description: 'test', logLevel: 'silent', bodyLimitBytes: 1024 });

describe('service-kit', () => {
  it('R-OPS-5: x-request-id is generated when absent and echoed when sent', async () => {
    const app = await build();
    const generated = await app.inject({ method: 'GET', url: '/healthz' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const forged = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline"' } });
    expect(forged.headers['x-request-id']).not.toContain('bad');
    await app.close();
  });

  it('/readyz answers 503 problem+json naming the failing dependency, 200 when all answer', async () => {
    const app = await build();
    let postgresUp = false;
    app.readiness.add('postgres', async () => {
      if (!postgresUp) throw new Error('connection refused');
    });
    app.readiness.add('redis', async () => ({ latencyMs: 1 }));
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.json()).toMatchObject({ code: 'NOT_READY', dependencies: ['postgres'], checks: { postgres: { ok: false, error: 'connection refused' } } });
    postgresUp = true;
    const up = await app.inject({ method: 'GET', url: '/readyz' });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ status: 'ready', checks: { redis: { ok: true, details: { latencyMs: 1 } } } });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  });

  it('R-OPS-1: /metrics is not served on the public port', async () => {
    const app = await build();
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND' });
    await app.close();
  });

  it('serves OpenAPI generated from route schemas', async () => {
    const app = await build();
    app.get('/v1/things', { schema: { response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } } } }, async () => ({ n: 1 }));
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/v1/things');
    await app.close();
  });

  it('SIGTERM drains the in-flight request, closes pools and exits 0', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/slow-service.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=@bursary/source', '--import', 'tsx', fixture], {
      env: { ...process.env, SLOW_MS: '700' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const port = await waitFor(() => {
        const line = lines.find((l) => l.includes('fixture listening'));
        return line ? (JSON.parse(line) as { port: number }).port : undefined;
      }, { what: 'fixture to listen', timeoutMs: 15_000 });
      const inFlight = fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await waitFor(() => lines.some((l) => l.includes('slow request started')), { what: 'the request to be in flight' });
      child.kill('SIGTERM');
      const response = await inFlight;
      expect(response).toEqual({ status: 200, body: { finished: true } });
      expect(await exited).toBe(0);
      expect(lines.some((l) => l.includes('pools closed'))).toBe(true);
      expect(lines.some((l) => l.includes('shutdown complete'))).toBe(true);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
