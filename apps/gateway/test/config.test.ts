import { ConfigError } from '@bursary/config';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig, parseTrustedProxies } from '../src/config.js';

describe('gateway config', () => {
  it('defaults: port 8080, metrics 9080, upstreams on 8081-8084, no trusted proxies', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      METRICS_PORT: 9080,
      UPSTREAM_ACCOUNTS_URL: 'http://127.0.0.1:8081',
      UPSTREAM_CATALOG_URL: 'http://127.0.0.1:8082',
      UPSTREAM_PAYMENTS_URL: 'http://127.0.0.1:8083',
      UPSTREAM_WEBHOOKS_URL: 'http://127.0.0.1:8084',
      TRUSTED_PROXIES: [],
    });
    expect(config.UPSTREAM_PAYMENT_TIMEOUT_MS).toBeGreaterThan(config.UPSTREAM_TIMEOUT_MS);
    expect(config.UPSTREAM_READ_TIMEOUT_MS).toBeLessThan(config.UPSTREAM_TIMEOUT_MS);
  });

  it('R-HOST-4: TRUSTED_PROXIES takes addresses and CIDRs only', () => {
    expect(parseTrustedProxies(' 10.0.0.0/8, 192.168.1.10 ,::1,fd00::/8 ')).toEqual(['10.0.0.0/8', '192.168.1.10', '::1', 'fd00::/8']);
    for (const bad of ['true', '1', '2', '*', 'loopback', '10.0.0.0/33', '::/129', '10.0.0.1/8/1', 'example.com']) {
      expect(() => loadGatewayConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadGatewayConfig({ TRUSTED_PROXIES: 'true' })).toThrow(/^Invalid environment variable TRUSTED_PROXIES: expected comma-separated IP addresses or CIDRs.*got "true"\.$/);
  });

  it('GATEWAY_WORKERS: one process unless told, 1 to 64 processes', () => {
    expect(loadGatewayConfig({}).GATEWAY_WORKERS).toBe(1);
    expect(loadGatewayConfig({ GATEWAY_WORKERS: '2' }).GATEWAY_WORKERS).toBe(2);
    for (const bad of ['0', '65', 'auto']) expect(() => loadGatewayConfig({ GATEWAY_WORKERS: bad }), bad).toThrow(/GATEWAY_WORKERS/);
  });

  it('rejects an upstream URL with a path or another scheme, naming the variable', () => {
    expect(() => loadGatewayConfig({ UPSTREAM_CATALOG_URL: 'http://catalog:8082/api' })).toThrow(/UPSTREAM_CATALOG_URL/);
    expect(() => loadGatewayConfig({ UPSTREAM_PAYMENTS_URL: 'ftp://payments' })).toThrow(/UPSTREAM_PAYMENTS_URL/);
  });
});
