import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEmail, startHarness, strongPassword, type Harness } from './support/accounts-harness.js';

describe('brute-force limits in accounts', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ AUTH_ATTEMPTS_ACCOUNT_MAX: '3', AUTH_ATTEMPTS_IP_MAX: '5' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-RL-2: login attempts per account are limited whatever the IP: the 4th is 429 RATE_LIMITED with Retry-After', async () => {
    const email = newEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await h.post('/v1/auth/login', { email: i % 2 ? email.toUpperCase() : email, password: strongPassword() }, { 'x-forwarded-for': `192.0.2.${10 + i}` });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.headers['retry-after']).toMatch(/^\d+$/);
        expect(response.json()).toMatchObject({ code: 'RATE_LIMITED', policy: 'attempt-account' });
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another action of the same account has its own budget.
    expect((await h.post('/v1/auth/password-reset/request', { email }, { 'x-forwarded-for': '192.0.2.99' })).statusCode).toBe(202);
  });

  it('R-RL-2: attempts per client IP are limited across accounts: the 6th is 429 (attempt-ip)', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.77' };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.post('/v1/auth/login', { email: newEmail(), password: strongPassword() }, ip)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await h.post('/v1/auth/login', { email: newEmail(), password: strongPassword() }, { 'x-forwarded-for': '203.0.113.78' })).statusCode).toBe(401);
  });
});

describe('brute-force limits with Redis down', () => {
  let h: Harness;
  beforeAll(async () => {
    // Nothing listens on port 1: the shared limiter is unavailable from the start.
    h = await startHarness({ REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_S: '7' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-RL-2: login, signup and reset fail closed with 503 RATE_LIMIT_UNAVAILABLE and Retry-After; refresh, logout, JWKS and health still answer', async () => {
    for (const [url, body] of [
      ['/v1/auth/login', { email: newEmail(), password: strongPassword() }],
      ['/v1/auth/signup', { email: newEmail(), password: strongPassword() }],
      ['/v1/auth/password-reset/request', { email: newEmail() }],
    ] as const) {
      const response = await h.post(url, body);
      expect(response.statusCode, url).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'RATE_LIMIT_UNAVAILABLE' });
      expect(response.headers['retry-after']).toBe('7');
    }
    expect((await h.post('/v1/auth/refresh', { refreshToken: 'x'.repeat(43) })).statusCode).toBe(401);
    expect((await h.post('/v1/auth/logout', { refreshToken: 'x'.repeat(43) })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
