import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/accounts-harness.js';

describe('accounts OpenAPI', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('R-ERR-1: every accounts route is in /openapi.json with its problem+json error responses', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const path of ['/v1/auth/signup', '/v1/auth/login', '/v1/auth/provider/login', '/v1/auth/refresh', '/v1/auth/logout', '/v1/auth/password-reset/request', '/v1/auth/password-reset/confirm']) {
      expect(spec.paths[path]?.['post'], path).toBeDefined();
      expect(Object.keys(spec.paths[path]!['post']!.responses), path).toContain('400');
    }
    expect(Object.keys(spec.paths['/v1/me']!['get']!.responses)).toEqual(expect.arrayContaining(['200', '401']));
    expect(spec.paths['/.well-known/jwks.json']?.['get']).toBeDefined();
  });
});
