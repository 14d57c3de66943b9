import { ConfigError } from '@bursary/config';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../src/config.js';

describe('gateway auth config', () => {
  it('R-AUTH-1: defaults: enforced, JWKS of the accounts upstream, EdDSA and ES256 only', () => {
    const config = loadGatewayConfig({});
    expect(config.auth).toMatchObject({
      mode: 'enforce',
      jwksUrl: 'http://127.0.0.1:8081/.well-known/jwks.json',
      algorithms: ['EdDSA', 'ES256'],
      issuer: 'urn:bursary:accounts',
      audience: 'urn:bursary:api',
    });
    expect(config.auth.clockToleranceSeconds).toBeLessThanOrEqual(60);
    expect(loadGatewayConfig({ UPSTREAM_ACCOUNTS_URL: 'http://accounts.internal:9000' }).auth.jwksUrl).toBe('http://accounts.internal:9000/.well-known/jwks.json');
    expect(loadGatewayConfig({ AUTH_JWKS_URL: 'https://id.example/keys' }).auth.jwksUrl).toBe('https://id.example/keys');
  });

  it('R-AUTH-1: auth can be off only in the test profile; production and development refuse to boot', () => {
    expect(loadGatewayConfig({ APP_ENV: 'test' }).auth.mode).toBe('off');
    expect(loadGatewayConfig({ APP_ENV: 'test', AUTH_MODE: 'enforce' }).auth.mode).toBe('enforce');
    // Production also needs its host allowlist (R-HOST-1).
    expect(loadGatewayConfig({ APP_ENV: 'production', ALLOWED_HOSTS: 'api.bursary.test' }).auth.mode).toBe('enforce');
    for (const APP_ENV of ['production', 'development']) {
      expect(() => loadGatewayConfig({ APP_ENV, AUTH_MODE: 'off', ALLOWED_HOSTS: 'api.bursary.test' })).toThrow(ConfigError);
      expect(() => loadGatewayConfig({ APP_ENV, AUTH_MODE: 'off', ALLOWED_HOSTS: 'api.bursary.test' })).toThrow(/AUTH_MODE/);
    }
    expect(() => loadGatewayConfig({ AUTH_MODE: 'permissive' })).toThrow(/AUTH_MODE/);
  });

  it('R-AUTH-1: AUTH_ALGORITHMS accepts asymmetric algorithms only', () => {
    expect(loadGatewayConfig({ AUTH_ALGORITHMS: 'ES256, RS256' }).auth.algorithms).toEqual(['ES256', 'RS256']);
    for (const bad of ['none', 'HS256', 'EdDSA,HS512', ',', 'es256']) {
      expect(() => loadGatewayConfig({ AUTH_ALGORITHMS: bad }), bad).toThrow(/AUTH_ALGORITHMS/);
    }
  });
});
