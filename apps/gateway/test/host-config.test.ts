import { ConfigError } from '@bursary/config';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../src/config.js';
import { parseHost } from '../src/modules/edge/host-rules.js';

describe('gateway host allowlist configuration', () => {
  it('R-HOST-1: development and test default to localhost, 127.0.0.1 and [::1]; production has no default', () => {
    for (const APP_ENV of ['development', 'test']) expect(loadGatewayConfig({ APP_ENV }).ALLOWED_HOSTS).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(() => loadGatewayConfig({ APP_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ APP_ENV: 'production' })).toThrow(/^Missing environment variable ALLOWED_HOSTS: expected .*required when APP_ENV=production\)\.$/);
    expect(loadGatewayConfig({ APP_ENV: 'production', ALLOWED_HOSTS: 'api.bursary.dev' }).ALLOWED_HOSTS).toEqual(['api.bursary.dev']);
    // A configured list replaces the default, in every environment.
    expect(loadGatewayConfig({ APP_ENV: 'development', ALLOWED_HOSTS: 'staging.bursary.dev' }).ALLOWED_HOSTS).toEqual(['staging.bursary.dev']);
  });

  it('R-HOST-1: entries are normalized (case, trailing dot, IPv6 form) and the grammar is enforced at boot', () => {
    const config = loadGatewayConfig({ ALLOWED_HOSTS: ' API.Bursary.DEV. , .Bursary.Test:8443, [0:0:0:0:0:0:0:1]:8080, 203.0.113.7 ' });
    expect(config.ALLOWED_HOSTS).toEqual(['api.bursary.dev', '.bursary.test:8443', '[::1]:8080', '203.0.113.7']);
    for (const bad of ['*', '*.bursary.dev', '.com', '.', '..bursary.dev', 'bursary.dev/api', 'https://bursary.dev', 'user@bursary.dev', 'bursary.dev:0', 'bursary.dev:99999', '.127.0.0.1', '.[::1]', '127.1', 'bad host', 'bücher.de']) {
      expect(() => loadGatewayConfig({ ALLOWED_HOSTS: bad }), bad).toThrow(/^Invalid environment variable ALLOWED_HOSTS: /);
    }
  });

  it('R-HOST-3: the test-runner allowance is refused outside APP_ENV=test with a one-line ConfigError', () => {
    expect(loadGatewayConfig({ APP_ENV: 'test', ALLOWED_HOSTS_TEST_BYPASS: 'true' }).ALLOWED_HOSTS_TEST_BYPASS).toBe(true);
    for (const APP_ENV of ['production', 'development']) {
      const attempt = () => loadGatewayConfig({ APP_ENV, ALLOWED_HOSTS: 'api.bursary.dev', ALLOWED_HOSTS_TEST_BYPASS: 'true' });
      expect(attempt, APP_ENV).toThrow(ConfigError);
      try {
        attempt();
      } catch (error) {
        const message = (error as Error).message;
        expect(message).toMatch(/^Invalid environment variable ALLOWED_HOSTS_TEST_BYPASS: expected false: .*APP_ENV=test, got "true"\.$/);
        expect(message).not.toContain('\n');
      }
    }
    expect(loadGatewayConfig({ APP_ENV: 'production', ALLOWED_HOSTS: 'api.bursary.dev', ALLOWED_HOSTS_TEST_BYPASS: 'false' }).ALLOWED_HOSTS_TEST_BYPASS).toBe(false);
  });

  it('R-HOST-1: Host parsing normalizes listed forms and refuses everything outside the grammar', () => {
    expect(parseHost('WWW.Example.COM.:8080')).toEqual({ name: 'www.example.com', port: 8080 });
    expect(parseHost('[0:0::1]')).toEqual({ name: '[::1]', port: undefined });
    expect(parseHost('127.0.0.1:1')).toEqual({ name: '127.0.0.1', port: 1 });
    expect(parseHost('xn--bcher-kva.de')).toEqual({ name: 'xn--bcher-kva.de', port: undefined });
    for (const bad of ['', ' ', 'a b', 'a@b', 'a,b', 'a/b', 'bücher.de', 'a..b', '.a', 'a:', 'a:0', 'a:65536', 'a:01', '::1', '[::1', '[a::z]', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'x'.repeat(260)]) {
      expect(parseHost(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('R-CORS-1: CORS_ORIGINS takes exact origins only, never * or null', () => {
    expect(loadGatewayConfig({ CORS_ORIGINS: 'https://www.bursary.dev, HTTPS://QA.Bursary.dev:443/, http://localhost:3000' }).CORS_ORIGINS).toEqual([
      'https://www.bursary.dev',
      'https://qa.bursary.dev',
      'http://localhost:3000',
    ]);
    expect(loadGatewayConfig({}).CORS_ORIGINS).toEqual([]);
    for (const bad of ['*', 'null', 'https://*.bursary.dev', 'www.bursary.dev', 'https://www.bursary.dev/app', 'https://www.bursary.dev?x=1', 'https://user@www.bursary.dev', 'ftp://bursary.dev', 'file:///etc']) {
      expect(() => loadGatewayConfig({ CORS_ORIGINS: bad }), bad).toThrow(/^Invalid environment variable CORS_ORIGINS: /);
    }
  });
});
