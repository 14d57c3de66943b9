import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeValue, startStack, type Stack } from '../support/stack.js';

/**
 * Debug, config-dumping and framework-introspection paths that scanners try
 * first. None may exist on any public port, in any environment (R-DBG-1).
 */
const DEBUG_PATHS = [
  '/_debug/config',
  '/_debug',
  '/_debug/vars',
  '/__debug__',
  '/__debug__/',
  '/debug',
  '/debug/',
  '/debug/vars',
  '/debug/pprof',
  '/debug/pprof/heap',
  '/debug/config',
  '/debug/requests',
  '/env',
  '/.env',
  '/.env.local',
  '/.env.production',
  '/config',
  '/config.json',
  '/config.yaml',
  '/_config',
  '/configuration',
  '/settings',
  '/vars',
  '/actuator',
  '/actuator/env',
  '/actuator/configprops',
  '/actuator/heapdump',
  '/actuator/mappings',
  '/server-status',
  '/server-info',
  '/status',
  '/info',
  '/phpinfo.php',
  '/info.php',
  '/_profiler',
  '/console',
  '/admin',
  '/admin/config',
  '/.git/config',
  '/.git/HEAD',
  '/heapdump',
  '/trace',
  '/metrics',
  '/_metrics',
  '/prometheus',
  '/api/debug',
  '/api/config',
  '/api/env',
  '/v1/_debug/config',
  '/v1/debug',
  '/v1/config',
  '/v1/env',
  '/v1/metrics',
  '/v1/admin',
  '/status/config',
  '/documentation/json',
];

describe('R-DBG-1: no debug or config endpoint on any public port', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    // The sweep is about which routes exist. The gateway's WAF refuses
    // scanner probes such as POST /.env with 403 before routing, which would
    // hide a route, so it is off for the sweep and checked on its own below.
    await setRuntimeValue(stack, 'waf.mode', 'off', async () => (await fetch(`${stack.gateway.url}/.env`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status === 404);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('R-DBG-1: every debug/config path is 404 problem+json (never 2xx, 3xx or 5xx) on every service and the gateway, for GET and POST', async () => {
    const processes = [...Object.values(stack.services), stack.gateway];
    const unexpected: string[] = [];
    let checked = 0;
    for (const service of processes) {
      for (const path of DEBUG_PATHS) {
        for (const method of ['GET', 'POST'] as const) {
          // Host is 127.0.0.1:<port>, which the gateway's test-profile allowlist accepts.
          const response = await fetch(`${service.url}${path}`, { method, redirect: 'manual', ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
          const type = response.headers.get('content-type') ?? '';
          const body = type.startsWith('application/problem+json') ? ((await response.json()) as { status?: number; code?: string }) : await response.text();
          checked++;
          const ok = response.status === 404 && typeof body === 'object' && body.code === 'NOT_FOUND' && body.status === 404;
          if (!ok) unexpected.push(`${service.name} ${method} ${path} → ${response.status} ${type} ${JSON.stringify(body).slice(0, 120)}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(checked).toBe(processes.length * DEBUG_PATHS.length * 2);
  });

  it('R-DBG-1: with the gateway WAF on, a probe through the gateway is 404 or a WAF 403, never anything else', async () => {
    await setRuntimeValue(stack, 'waf.mode', 'by-method', async () => (await fetch(`${stack.gateway.url}/.env`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status === 403);
    const unexpected: string[] = [];
    for (const path of DEBUG_PATHS) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await fetch(`${stack.gateway.url}${path}`, { method, redirect: 'manual', ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
        const body = (await response.json()) as { code?: string };
        const ok = (response.status === 404 && body.code === 'NOT_FOUND') || (response.status === 403 && body.code === 'WAF_BLOCKED');
        if (!ok) unexpected.push(`${method} ${path} → ${response.status} ${JSON.stringify(body).slice(0, 120)}`);
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('R-DBG-1: metrics answer only on the internal port of each process, never the public one', async () => {
    for (const service of [...Object.values(stack.services), stack.gateway]) {
      expect((await fetch(`${service.url}/metrics`)).status, service.name).toBe(404);
      const internal = await fetch(`http://127.0.0.1:${service.metricsPort}/metrics`);
      expect(internal.status, service.name).toBe(200);
    }
  });
});
